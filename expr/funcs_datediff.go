package expr

import (
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// date_diff(part, start, end) counts, as DuckDB does, the boundaries of
// part between start and end (day: midnights crossed; month: month
// starts), except week, which is whole weeks of days. The result is
// negative when end comes first.

func bindDateDiff(args []types.T) (types.T, []types.T, error) {
	if len(args) != 3 {
		return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "date_diff takes 3 arguments, got %d", len(args))
	}
	t := date
	if args[1].Kind == types.Timestamp || args[2].Kind == types.Timestamp {
		t = tstamp
	}
	return i64, []types.T{str, t, t}, nil
}

// instant is a date or timestamp as a day and the microseconds into it,
// so that the farthest dates (beyond the timestamps' range) still count.
type instant struct{ days, micros int64 }

func instantOf(us int64) instant {
	d, m := types.SplitTimestamp(us)
	return instant{d, m}
}

// dateDiffFunc returns the count of part boundaries between two instants,
// or nil for a part it does not know.
func dateDiffFunc(part string) func(a, b instant) int64 {
	// by counts boundaries of a unit that divides a day.
	by := func(unit int64) func(a, b instant) int64 {
		return func(a, b instant) int64 {
			return (b.days-a.days)*(types.MicrosPerDay/unit) + b.micros/unit - a.micros/unit
		}
	}
	civil := func(f func(y, m int) int64) func(a, b instant) int64 {
		return func(a, b instant) int64 {
			ya, ma, _ := types.CivilFromDays(int32(a.days))
			yb, mb, _ := types.CivilFromDays(int32(b.days))
			return f(yb, mb) - f(ya, ma)
		}
	}
	switch part {
	case "year", "years", "yr", "yrs", "y":
		return civil(func(y, _ int) int64 { return int64(y) })
	case "quarter", "quarters":
		return civil(func(y, m int) int64 { return int64(y)*4 + int64(m-1)/3 })
	case "month", "months", "mon", "mons":
		return civil(func(y, m int) int64 { return int64(y)*12 + int64(m) })
	case "week", "weeks", "w":
		return func(a, b instant) int64 { return (b.days - a.days) / 7 }
	case "day", "days", "d", "dayofmonth":
		return func(a, b instant) int64 { return b.days - a.days }
	case "hour", "hours", "hr", "hrs", "h":
		return by(types.MicrosPerHour)
	case "minute", "minutes", "min", "mins", "m":
		return by(types.MicrosPerMinute)
	case "second", "seconds", "sec", "secs", "s":
		return by(types.MicrosPerSecond)
	case "millisecond", "milliseconds", "ms", "msec", "msecs":
		return by(1000)
	case "microsecond", "microseconds", "us", "usec", "usecs":
		return by(1)
	}
	return nil
}

func evalDateDiffPart(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	if args[0].Arr != nil {
		return nil, sqlerr.NotSupported("date_diff with a non-constant part")
	}
	part := strings.ToLower(args[0].Const.S)
	f := dateDiffFunc(part)
	if f == nil {
		return nil, sqlerr.NotSupported("date_diff('%s', ...)", part)
	}
	arrs, err := materialise(env, n, args[1:], argT[1:])
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	at := func(a arrow.Array) func(int) instant {
		if d, ok := a.(*array.Date32); ok {
			return func(i int) instant { return instant{days: int64(d.Value(i))} }
		}
		ts := a.(*array.Timestamp)
		return func(i int) instant { return instantOf(int64(ts.Value(i))) }
	}
	start, end := at(arrs[0]), at(arrs[1])
	buf, out := vector.AllocValues[int64](env.Alloc(), n)
	for i := range out {
		out[i] = f(start(i), end(i))
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}
