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
	r["epoch_ms"] = &scalarFunc{bind: bindEpochMs, eval: evalEpochMs, strict: true}
	r["make_timestamp"] = &scalarFunc{bind: bindMakeTimestamp, eval: evalMakeTimestamp, strict: true}
	r["strftime"] = &scalarFunc{bind: dateOrTimestampFirst(str, str), eval: evalStrftime, strict: true, cost: 4}
	r["strptime"] = &scalarFunc{bind: fixed(tstamp, str, str), eval: evalStrptime(false), strict: true, cost: 4}
	r["try_strptime"] = &scalarFunc{bind: fixed(tstamp, str, str), eval: evalStrptime(true), strict: true, cost: 4}
	r["date_diff"] = &scalarFunc{bind: bindDateDiff, eval: evalDateDiffPart, strict: true}
	r["datediff"] = r["date_diff"]
	// A DATE is cast to TIMESTAMP first: a checked conversion, since the
	// microseconds of the farthest dates leave the int64 range.
	r["epoch_us"] = &scalarFunc{bind: fixed(i64, tstamp), eval: evalEpochScaled(1), strict: true}
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
	return func(env Env, n int, args []Vec, _ []types.T, _ types.T) (arrow.Array, error) {
		return mapTimestamps(env, n, args[0], func(us int64) int64 { return floorDiv(us, unit) })
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
	return mapToTimestamps(env, n, args[1], tstamp, func(us int64) (int64, bool) { return f(us), true })
}

// mapToTimestamps applies f to every value of v, a TIMESTAMP or a BIGINT
// (of type in); f reports false for a result out of range, an error on a
// valid row.
func mapToTimestamps(env Env, n int, v Vec, in types.T, f func(int64) (int64, bool)) (arrow.Array, error) {
	a, err := argArray(env, v, in, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	buf, out := vector.AllocValues[arrow.Timestamp](env.Alloc(), n)
	for i, x := range vector.Int64View(a) {
		r, ok := f(x)
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
		return mapToTimestamps(env, n, args[0], tstamp, func(us int64) (int64, bool) {
			return types.AddInterval(us, months, days, micros)
		})
	}
}

// bindEpochMs: epoch_ms of a DATE or TIMESTAMP is its milliseconds since
// the epoch; epoch_ms of a number is the TIMESTAMP that many milliseconds
// after it, as in DuckDB.
func bindEpochMs(args []types.T) (types.T, []types.T, error) {
	if len(args) == 1 && (args[0].Kind == types.Int64 || args[0].Kind == types.Decimal) {
		return tstamp, []types.T{i64}, nil
	}
	return fixed(i64, tstamp)(args)
}

func evalEpochMs(env Env, n int, args []Vec, argT []types.T, ret types.T) (arrow.Array, error) {
	if ret.Kind != types.Timestamp {
		return evalEpochScaled(1000)(env, n, args, argT, ret)
	}
	return mapToTimestamps(env, n, args[0], i64, func(ms int64) (int64, bool) {
		return ms * 1000, ms <= math.MaxInt64/1000 && ms >= math.MinInt64/1000
	})
}

// bindMakeTimestamp: make_timestamp(microseconds) or make_timestamp(year,
// month, day, hour, minute, seconds).
func bindMakeTimestamp(args []types.T) (types.T, []types.T, error) {
	switch len(args) {
	case 1:
		return tstamp, []types.T{i64}, nil
	case 6:
		return tstamp, []types.T{i64, i64, i64, i64, i64, types.Float64Type}, nil
	}
	return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "make_timestamp takes 1 or 6 arguments, got %d", len(args))
}

func evalMakeTimestamp(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	if len(args) == 1 {
		return mapToTimestamps(env, n, args[0], i64, func(us int64) (int64, bool) { return us, true })
	}
	arrs, err := materialise(env, n, args, argT)
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	var parts [5][]int64
	for k := range parts {
		parts[k] = arrs[k].(*array.Int64).Int64Values()
	}
	secs := arrs[5].(*array.Float64).Float64Values()
	buf, out := vector.AllocValues[arrow.Timestamp](env.Alloc(), n)
	for i := range out {
		if !validRow(arrs, i) {
			continue
		}
		us, err := makeTimestamp(parts[0][i], parts[1][i], parts[2][i], parts[3][i], parts[4][i], secs[i])
		if err != nil {
			buf.Release()
			return nil, err
		}
		out[i] = arrow.Timestamp(us)
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return vector.NewFixedArray(tstamp.Arrow(), n, validity, nulls, buf), nil
}

func validRow(arrs []arrow.Array, i int) bool {
	for _, a := range arrs {
		if a.IsNull(i) {
			return false
		}
	}
	return true
}

// makeTimestamp checks and assembles one timestamp. Seconds round to the
// microsecond and may reach 60, as in DuckDB.
func makeTimestamp(y, mo, d, h, mi int64, s float64) (int64, error) {
	bad := func(what string) (int64, error) {
		return 0, sqlerr.New(sqlerr.ErrInvalidValue, "make_timestamp: %s out of range: %d-%d-%d %d:%d:%g", what, y, mo, d, h, mi, s)
	}
	if y < -290000 || y > 290000 || mo < 1 || mo > 12 || d < 1 || d > int64(types.DaysInMonth(int(y), int(mo))) {
		return bad("date")
	}
	micros := math.Round(s * types.MicrosPerSecond)
	if h < 0 || h > 23 || mi < 0 || mi > 59 || !(micros >= 0 && micros <= 60*types.MicrosPerSecond) {
		return bad("time")
	}
	days := int64(types.DaysFromCivil(int(y), int(mo), int(d)))
	return days*types.MicrosPerDay + h*types.MicrosPerHour + mi*types.MicrosPerMinute + int64(micros), nil
}

// dateOrTimestampFirst binds f(DATE or TIMESTAMP, rest...) returning ret.
func dateOrTimestampFirst(ret types.T, rest ...types.T) func([]types.T) (types.T, []types.T, error) {
	return func(args []types.T) (types.T, []types.T, error) {
		if len(args) != len(rest)+1 {
			return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "expected %d arguments, got %d", len(rest)+1, len(args))
		}
		first := date
		if args[0].Kind == types.Timestamp {
			first = tstamp
		}
		return ret, append([]types.T{first}, rest...), nil
	}
}
