package expr

import (
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// strptime(text, format) reads a TIMESTAMP with strftime's codes, as
// DuckDB does: fields the format leaves out default to 1900-01-01
// 00:00:00, whitespace in the format matches any run of it, and the whole
// text must be read. strptime fails on text that does not match;
// try_strptime gives NULL.

// parsedTime is what the codes read so far.
type parsedTime struct {
	y, mo, d, h, mi, s, us int
	yday                   int  // day of the year from %j, 0 if none
	pm                     int  // %p: 0 none, 1 AM, 2 PM
	hour12                 bool // %I read the hour
}

// ptPiece reads its part of s at pos into t and returns the new position,
// or -1 when s does not match.
type ptPiece func(s string, pos int, t *parsedTime) int

// digits reads between 1 and max digits at pos.
func digits(s string, pos, max int) (int, int) {
	v, i := 0, pos
	for i < len(s) && i-pos < max && s[i] >= '0' && s[i] <= '9' {
		v = v*10 + int(s[i]-'0')
		i++
	}
	if i == pos {
		return 0, -1
	}
	return v, i
}

// nameAt matches one of names (full, or its first three letters) at pos,
// ignoring case, and returns its index.
func nameAt(s string, pos int, name func(int) string, n int) (int, int) {
	for k := range n {
		full := name(k)
		for _, cand := range []string{full, full[:3]} {
			if len(s)-pos >= len(cand) && strings.EqualFold(s[pos:pos+len(cand)], cand) {
				return k, pos + len(cand)
			}
		}
	}
	return 0, -1
}

func strptimeCode(code string) ptPiece {
	num := func(max int, set func(t *parsedTime, v int)) ptPiece {
		return func(s string, pos int, t *parsedTime) int {
			v, end := digits(s, pos, max)
			if end >= 0 {
				set(t, v)
			}
			return end
		}
	}
	switch strings.TrimPrefix(code, "-") {
	case "Y":
		return num(4, func(t *parsedTime, v int) { t.y = v })
	case "y":
		return num(2, func(t *parsedTime, v int) {
			t.y = 1900 + v
			if v < 69 {
				t.y = 2000 + v
			}
		})
	case "m":
		return num(2, func(t *parsedTime, v int) { t.mo = v })
	case "d":
		return num(2, func(t *parsedTime, v int) { t.d = v })
	case "H":
		return num(2, func(t *parsedTime, v int) { t.h = v })
	case "I":
		return num(2, func(t *parsedTime, v int) { t.h, t.hour12 = v, true })
	case "M":
		return num(2, func(t *parsedTime, v int) { t.mi = v })
	case "S":
		return num(2, func(t *parsedTime, v int) { t.s = v })
	case "j":
		return num(3, func(t *parsedTime, v int) { t.yday = v })
	case "f", "g":
		// A fraction of a second: its digits, to the microsecond.
		return func(s string, pos int, t *parsedTime) int {
			_, end := digits(s, pos, 9)
			if end < 0 {
				return -1
			}
			frac := s[pos:end] + "000000"
			t.us, _ = digits(frac, 0, 6)
			return end
		}
	case "p":
		return func(s string, pos int, t *parsedTime) int {
			if len(s)-pos < 2 {
				return -1
			}
			switch strings.ToUpper(s[pos : pos+2]) {
			case "AM":
				t.pm = 1
			case "PM":
				t.pm = 2
			default:
				return -1
			}
			return pos + 2
		}
	case "b", "h", "B":
		return func(s string, pos int, t *parsedTime) int {
			m, end := nameAt(s, pos, func(k int) string { return monthName(k + 1) }, 12)
			t.mo = m + 1
			return end
		}
	case "a", "A":
		return func(s string, pos int, _ *parsedTime) int {
			_, end := nameAt(s, pos, weekdayName, 7)
			return end
		}
	case "%":
		return literalPiece("%")
	}
	return nil
}

func literalPiece(lit string) ptPiece {
	return func(s string, pos int, _ *parsedTime) int {
		if !strings.HasPrefix(s[pos:], lit) {
			return -1
		}
		return pos + len(lit)
	}
}

// spacePiece matches any run of whitespace, none included.
func spacePiece(s string, pos int, _ *parsedTime) int {
	for pos < len(s) && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n') {
		pos++
	}
	return pos
}

// parseStrptime reads a format into pieces.
func parseStrptime(format string) ([]ptPiece, error) {
	var pieces []ptPiece
	for i := 0; i < len(format); {
		c := format[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			for i < len(format) && (format[i] == ' ' || format[i] == '\t' || format[i] == '\n') {
				i++
			}
			pieces = append(pieces, spacePiece)
		case c == '%':
			n := 2
			if i+1 < len(format) && format[i+1] == '-' {
				n = 3
			}
			if i+n > len(format) {
				return nil, sqlerr.New(sqlerr.ErrInvalidValue, "strptime: the format ends in the middle of %q", format[i:])
			}
			p := strptimeCode(format[i+1 : i+n])
			if p == nil {
				return nil, sqlerr.NotSupported("strptime format code %s", format[i:i+n])
			}
			pieces = append(pieces, p)
			i += n
		default:
			j := i
			for j < len(format) && format[j] != '%' && format[j] != ' ' && format[j] != '\t' && format[j] != '\n' {
				j++
			}
			pieces = append(pieces, literalPiece(format[i:j]))
			i = j
		}
	}
	return pieces, nil
}

// strptimeValue reads one text; ok is false when it does not match or
// names no real time.
func strptimeValue(pieces []ptPiece, s string) (int64, bool) {
	t := parsedTime{y: 1900, mo: 1, d: 1}
	pos := 0
	for _, p := range pieces {
		if pos = p(s, pos, &t); pos < 0 {
			return 0, false
		}
	}
	if pos != len(s) {
		return 0, false
	}
	if t.hour12 || t.pm != 0 {
		if t.h < 1 || t.h > 12 {
			return 0, false
		}
		t.h %= 12
		if t.pm == 2 {
			t.h += 12
		}
	}
	if t.mo < 1 || t.mo > 12 || t.d < 1 || t.d > types.DaysInMonth(t.y, t.mo) || t.h > 23 || t.mi > 59 || t.s > 59 {
		return 0, false
	}
	days := types.DaysFromCivil(t.y, t.mo, t.d)
	if t.yday > 0 {
		if t.yday > 365 && !(t.yday == 366 && types.DaysInMonth(t.y, 2) == 29) {
			return 0, false
		}
		days = types.DaysFromCivil(t.y, 1, 1) + int32(t.yday-1)
	}
	us, ok := types.TimestampFromDays(days)
	return us + int64(t.h)*types.MicrosPerHour + int64(t.mi)*types.MicrosPerMinute +
		int64(t.s)*types.MicrosPerSecond + int64(t.us), ok
}

func evalStrptime(try bool) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, _ []types.T, _ types.T) (arrow.Array, error) {
		if args[1].Arr != nil {
			return nil, sqlerr.NotSupported("strptime with a non-constant format")
		}
		format := args[1].Const.S
		pieces, err := parseStrptime(format)
		if err != nil {
			return nil, err
		}
		a, err := argArray(env, args[0], str, n)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		texts := a.(*array.String)
		buf, out := vector.AllocValues[arrow.Timestamp](env.Alloc(), n)
		valid := make([]bool, n)
		for i := range n {
			if texts.IsNull(i) {
				continue
			}
			us, ok := strptimeValue(pieces, texts.Value(i))
			if !ok && !try {
				buf.Release()
				return nil, sqlerr.New(sqlerr.ErrInvalidValue, "could not parse %q with the format %q", texts.Value(i), format)
			}
			out[i], valid[i] = arrow.Timestamp(us), ok
		}
		validity, nulls := vector.ValidityOf(env.Alloc(), valid)
		return vector.NewFixedArray(tstamp.Arrow(), n, validity, nulls, buf), nil
	}
}
