package expr

import (
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// strftime(date or timestamp, format) with DuckDB's (C's) format codes.
// The format is read once per batch into pieces, so each row only
// appends.

func weekdayName(wd int) string {
	return [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}[wd]
}

func monthName(m int) string {
	return [...]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}[m-1]
}

// civilTime is a timestamp taken apart.
type civilTime struct {
	days                  int32 // since the epoch
	y, mo, d              int
	h, mi, s, us, weekday int // weekday: Sunday = 0
}

func splitCivil(us int64) civilTime {
	days, micros := types.SplitTimestamp(us)
	return civilAt(days, micros)
}

// civilAt takes apart a day and a time of day; a DATE comes here directly,
// since the farthest dates are beyond the timestamps' range.
func civilAt(days, micros int64) civilTime {
	c := civilTime{days: int32(days)}
	c.y, c.mo, c.d = types.CivilFromDays(c.days)
	c.h, c.mi = int(micros/types.MicrosPerHour), int(micros/types.MicrosPerMinute%60)
	c.s, c.us = int(micros/types.MicrosPerSecond%60), int(micros%types.MicrosPerSecond)
	c.weekday = int((days%7 + 11) % 7) // 1970-01-01 was a Thursday
	return c
}

// strftimePiece appends one part of the output: literal text or a field.
type strftimePiece func(dst []byte, c *civilTime) []byte

func pad(dst []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// strftimeCode maps a format code (with its '-' for "no padding") to
// what it appends.
func strftimeCode(code string) strftimePiece {
	num := func(f func(c *civilTime) int, width int) strftimePiece {
		if strings.HasPrefix(code, "-") {
			width = 1
		}
		return func(dst []byte, c *civilTime) []byte { return pad(dst, f(c), width) }
	}
	hour12 := func(c *civilTime) int {
		if h := c.h % 12; h != 0 {
			return h
		}
		return 12
	}
	switch code {
	case "Y":
		return func(dst []byte, c *civilTime) []byte {
			if c.y < 0 {
				return strconv.AppendInt(dst, int64(c.y), 10)
			}
			return pad(dst, c.y, 4)
		}
	case "y", "-y":
		return num(func(c *civilTime) int { return ((c.y % 100) + 100) % 100 }, 2)
	case "m", "-m":
		return num(func(c *civilTime) int { return c.mo }, 2)
	case "d", "-d":
		return num(func(c *civilTime) int { return c.d }, 2)
	case "H", "-H":
		return num(func(c *civilTime) int { return c.h }, 2)
	case "I", "-I":
		return num(hour12, 2)
	case "M", "-M":
		return num(func(c *civilTime) int { return c.mi }, 2)
	case "S", "-S":
		return num(func(c *civilTime) int { return c.s }, 2)
	case "f":
		return num(func(c *civilTime) int { return c.us }, 6)
	case "g":
		return num(func(c *civilTime) int { return c.us / 1000 }, 3)
	case "j", "-j":
		return num(func(c *civilTime) int { return int(c.days-types.DaysFromCivil(c.y, 1, 1)) + 1 }, 3)
	case "w":
		return num(func(c *civilTime) int { return c.weekday }, 1)
	case "u":
		return num(func(c *civilTime) int { return (c.weekday+6)%7 + 1 }, 1)
	case "V":
		return num(func(c *civilTime) int { return int(isoWeek(c.days)) }, 2)
	case "p":
		return func(dst []byte, c *civilTime) []byte {
			if c.h < 12 {
				return append(dst, "AM"...)
			}
			return append(dst, "PM"...)
		}
	case "a":
		return func(dst []byte, c *civilTime) []byte { return append(dst, weekdayName(c.weekday)[:3]...) }
	case "A":
		return func(dst []byte, c *civilTime) []byte { return append(dst, weekdayName(c.weekday)...) }
	case "b", "h":
		return func(dst []byte, c *civilTime) []byte { return append(dst, monthName(c.mo)[:3]...) }
	case "B":
		return func(dst []byte, c *civilTime) []byte { return append(dst, monthName(c.mo)...) }
	case "%":
		return func(dst []byte, _ *civilTime) []byte { return append(dst, '%') }
	}
	return nil
}

// parseStrftime reads a format into pieces.
func parseStrftime(format string) ([]strftimePiece, error) {
	var pieces []strftimePiece
	lit := func(s string) strftimePiece {
		return func(dst []byte, _ *civilTime) []byte { return append(dst, s...) }
	}
	for len(format) > 0 {
		i := strings.IndexByte(format, '%')
		if i < 0 {
			pieces = append(pieces, lit(format))
			break
		}
		if i > 0 {
			pieces = append(pieces, lit(format[:i]))
		}
		n := 2
		if i+1 < len(format) && format[i+1] == '-' {
			n = 3
		}
		if i+n > len(format) {
			return nil, sqlerr.New(sqlerr.ErrInvalidValue, "strftime: the format ends in the middle of %q", format[i:])
		}
		code := format[i+1 : i+n]
		p := strftimeCode(code)
		if p == nil {
			return nil, sqlerr.NotSupported("strftime format code %%%s", code)
		}
		pieces = append(pieces, p)
		format = format[i+n:]
	}
	return pieces, nil
}

func evalStrftime(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	if args[1].Arr != nil {
		return nil, sqlerr.NotSupported("strftime with a non-constant format")
	}
	pieces, err := parseStrftime(args[1].Const.S)
	if err != nil {
		return nil, err
	}
	a, err := argArray(env, args[0], argT[0], n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	at := func(i int) civilTime { return splitCivil(int64(a.(*array.Timestamp).Value(i))) }
	if argT[0].Kind == types.Date {
		at = func(i int) civilTime { return civilAt(int64(a.(*array.Date32).Value(i)), 0) }
	}
	var buf []byte
	obuf, offs := vector.AllocValues[int32](env.Alloc(), n+1)
	for i := 0; i < n; i++ {
		if a.IsValid(i) {
			c := at(i)
			for _, p := range pieces {
				buf = p(buf, &c)
			}
		}
		if len(buf) > maxStringBytes {
			obuf.Release()
			return nil, errStringTooBig()
		}
		offs[i+1] = int32(len(buf))
	}
	dbuf := vector.NewBuffer(env.Alloc(), len(buf))
	copy(dbuf.Bytes(), buf)
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewStringArray(n, validity, nulls, obuf, dbuf), nil
}
