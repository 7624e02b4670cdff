package expr

import (
	"math"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

var tstamp = types.TimestampType

// The date functions take a TIMESTAMP too: the parts of its day are the
// date's, and hour, minute, second, millisecond and microsecond are the
// time of day's (zero for a DATE), as in DuckDB.

func registerTimestampFuncs(r map[string]*scalarFunc) {
	for _, part := range []string{"hour", "minute", "second", "millisecond", "microsecond"} {
		r[part] = &scalarFunc{bind: dateOrTimestamp(i64), eval: evalDatePart(part), strict: true}
	}
	r["epoch"] = &scalarFunc{bind: dateOrTimestamp(types.Float64Type), eval: evalEpoch, strict: true}
	r["epoch_ms"] = &scalarFunc{bind: dateOrTimestamp(i64), eval: evalEpochScaled(1000), strict: true}
	r["epoch_us"] = &scalarFunc{bind: dateOrTimestamp(i64), eval: evalEpochScaled(1), strict: true}
	// The binder maps TIMESTAMP +/- INTERVAL onto these.
	r["timestamp_add"] = &scalarFunc{bind: fixed(tstamp, tstamp, types.IntervalType), eval: evalTimestampAddInterval(1), strict: true}
	r["timestamp_sub"] = &scalarFunc{bind: fixed(tstamp, tstamp, types.IntervalType), eval: evalTimestampAddInterval(-1), strict: true}
}

// dateOrTimestamp binds a function of one DATE or TIMESTAMP argument
// (after any leading fixed ones, such as extract's part) returning ret.
func dateOrTimestamp(ret types.T, leading ...types.T) func([]types.T) (types.T, []types.T, error) {
	return func(args []types.T) (types.T, []types.T, error) {
		if len(args) != len(leading)+1 {
			return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "expected %d arguments, got %d", len(leading)+1, len(args))
		}
		params := append(append([]types.T(nil), leading...), date)
		if args[len(leading)].Kind == types.Timestamp {
			params[len(leading)] = tstamp
		}
		return ret, params, nil
	}
}

// timestampPart computes one field of a timestamp in microseconds.
func timestampPart(part string, us int64) (int64, bool) {
	days, micros := types.SplitTimestamp(us)
	switch part {
	case "hour", "hours", "h", "hr":
		return micros / types.MicrosPerHour, true
	case "minute", "minutes", "min", "m":
		return micros / types.MicrosPerMinute % 60, true
	case "second", "seconds", "sec", "s":
		return micros / types.MicrosPerSecond % 60, true
	case "millisecond", "milliseconds", "ms":
		return micros % types.MicrosPerMinute / 1000, true
	case "microsecond", "microseconds", "us":
		return micros % types.MicrosPerMinute, true
	case "epoch":
		return floorDiv(us, types.MicrosPerSecond), true
	}
	if days < math.MinInt32 || days > math.MaxInt32 {
		return 0, false
	}
	return datePart(part, int32(days))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// mapTimestamps applies f to every timestamp of v.
func mapTimestamps(env Env, n int, v Vec, f func(int64) int64) (arrow.Array, error) {
	a, err := argArray(env, v, tstamp, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	buf, out := vector.AllocValues[int64](env.Alloc(), n)
	for i, t := range a.(*array.Timestamp).TimestampValues() {
		out[i] = f(int64(t))
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}

func evalEpoch(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	t := argT[0]
	a, err := argArray(env, args[0], t, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	buf, out := vector.AllocValues[float64](env.Alloc(), n)
	if t.Kind == types.Timestamp {
		for i, us := range a.(*array.Timestamp).TimestampValues() {
			out[i] = float64(us) / types.MicrosPerSecond
		}
	} else {
		for i, d := range a.(*array.Date32).Date32Values() {
			out[i] = float64(d) * 86400
		}
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf), nil
}

// evalEpochScaled is epoch_ms (unit 1000) and epoch_us (unit 1): whole
// units since the epoch, rounded down.
func evalEpochScaled(unit int64) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		if argT[0].Kind == types.Timestamp {
			return mapTimestamps(env, n, args[0], func(us int64) int64 { return floorDiv(us, unit) })
		}
		return mapDates(env, n, args[0], func(d int32) int64 { return int64(d) * (types.MicrosPerDay / unit) })
	}
}

// truncTimestamp returns the function date_trunc applies to timestamps
// for part, or nil for a part it does not know.
func truncTimestamp(part string) func(int64) int64 {
	unit := int64(0)
	switch part {
	case "day":
		unit = types.MicrosPerDay
	case "hour":
		unit = types.MicrosPerHour
	case "minute":
		unit = types.MicrosPerMinute
	case "second":
		unit = types.MicrosPerSecond
	case "millisecond":
		unit = 1000
	case "microsecond":
		return func(us int64) int64 { return us }
	}
	if unit != 0 {
		return func(us int64) int64 { return floorDiv(us, unit) * unit }
	}
	byDay := truncDate(part)
	if byDay == nil {
		return nil
	}
	return func(us int64) int64 {
		days, _ := types.SplitTimestamp(us)
		return byDay(int32(days)) * types.MicrosPerDay
	}
}

func evalTimestampTrunc(env Env, n int, args []Vec) (arrow.Array, error) {
	part := strings.ToLower(args[0].Const.S)
	f := truncTimestamp(part)
	if f == nil {
		return nil, sqlerr.NotSupported("date_trunc('%s', timestamp)", part)
	}
	return mapTimestampsToTimestamps(env, n, args[1], func(us int64) (int64, bool) { return f(us), true })
}

// mapTimestampsToTimestamps applies f to every timestamp; f reports false
// for a result out of range, an error on a valid row.
func mapTimestampsToTimestamps(env Env, n int, v Vec, f func(int64) (int64, bool)) (arrow.Array, error) {
	a, err := argArray(env, v, tstamp, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	buf, out := vector.AllocValues[arrow.Timestamp](env.Alloc(), n)
	for i, t := range a.(*array.Timestamp).TimestampValues() {
		r, ok := f(int64(t))
		if !ok && a.IsValid(i) {
			buf.Release()
			return nil, sqlerr.New(sqlerr.ErrOverflow, "timestamp out of range")
		}
		out[i] = arrow.Timestamp(r)
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewFixedArray(tstamp.Arrow(), n, validity, nulls, buf), nil
}

func evalTimestampAddInterval(sign int64) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, _ []types.T, _ types.T) (arrow.Array, error) {
		if args[1].Arr != nil {
			return nil, sqlerr.NotSupported("timestamp arithmetic with a non-constant interval")
		}
		iv := args[1].Const
		months, days, micros := sign*int64(iv.Months), sign*int64(iv.Days), sign*iv.Micros
		return mapTimestampsToTimestamps(env, n, args[0], func(us int64) (int64, bool) {
			d, tod := types.SplitTimestamp(us)
			if months != 0 {
				if d < math.MinInt32 || d > math.MaxInt32 {
					return 0, false
				}
				if d = addMonths(int32(d), months); d == math.MaxInt64 {
					return 0, false
				}
			}
			d += days
			// Both bounds keep d * MicrosPerDay and the sums below exact.
			if d >= math.MaxInt64/types.MicrosPerDay-1 || d <= math.MinInt64/types.MicrosPerDay+1 {
				return 0, false
			}
			r := d*types.MicrosPerDay + tod
			s := r + micros
			if (micros > 0 && s < r) || (micros < 0 && s > r) {
				return 0, false
			}
			return s, true
		})
	}
}
