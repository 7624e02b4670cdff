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

var date = types.DateType

func registerDateFuncs(r map[string]*scalarFunc) {
	r["extract"] = &scalarFunc{bind: dateOrTimestamp(i64, str), eval: evalExtract, strict: true}
	r["date_part"], r["datepart"] = r["extract"], r["extract"]
	for _, part := range []string{"year", "month", "day", "quarter", "dayofweek", "dayofyear", "week"} {
		r[part] = &scalarFunc{bind: dateOrTimestamp(i64), eval: evalDatePart(part), strict: true}
	}
	r["dayofmonth"] = r["day"]
	r["date_trunc"] = &scalarFunc{bind: bindDateTrunc, eval: evalDateTrunc, strict: true}
	r["datetrunc"] = r["date_trunc"]
	registerTimestampFuncs(r)
	// The binder maps date arithmetic onto these.
	r["date_add"] = &scalarFunc{bind: fixed(date, date, types.IntervalType), eval: evalDateAddInterval(1), strict: true}
	r["date_sub"] = &scalarFunc{bind: fixed(date, date, types.IntervalType), eval: evalDateAddInterval(-1), strict: true}
	r["date_add_days"] = &scalarFunc{bind: fixed(date, date, i64), eval: evalDateAddDays, strict: true}
	r["date_diff_days"] = &scalarFunc{bind: fixed(i64, date, date), eval: evalDateDiff, strict: true}
}

// datePart computes one field of a date given as days since the epoch.
func datePart(part string, days int32) (int64, bool) {
	switch part {
	case "year", "years", "yr", "y":
		y, _, _ := types.CivilFromDays(days)
		return int64(y), true
	case "month", "months", "mon":
		_, m, _ := types.CivilFromDays(days)
		return int64(m), true
	case "day", "days", "d", "dayofmonth":
		_, _, d := types.CivilFromDays(days)
		return int64(d), true
	case "quarter":
		_, m, _ := types.CivilFromDays(days)
		return int64((m-1)/3 + 1), true
	case "dow", "dayofweek", "weekday":
		return int64((int(days)%7 + 11) % 7), true // 1970-01-01 was a Thursday; Sunday = 0
	case "isodow":
		return int64((int(days)%7+10)%7) + 1, true // Monday = 1 ... Sunday = 7
	case "isoyear":
		return isoYear(days), true
	case "doy", "dayofyear":
		y, _, _ := types.CivilFromDays(days)
		return int64(days-types.DaysFromCivil(y, 1, 1)) + 1, true
	case "week", "weeks", "weekofyear":
		return isoWeek(days), true
	case "epoch":
		return int64(days) * 86400, true
	}
	return 0, false
}

// isoWeek returns the ISO 8601 week number.
func isoWeek(days int32) int64 {
	wd := (int(days)%7 + 10) % 7 // Monday = 0
	thursday := days - int32(wd) + 3
	y, _, _ := types.CivilFromDays(thursday)
	return int64(thursday-types.DaysFromCivil(y, 1, 1))/7 + 1
}

func mapDates(env Env, n int, v Vec, f func(int32) int64) (arrow.Array, error) {
	a, err := argArray(env, v, date, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	buf, out := vector.AllocValues[int64](env.Alloc(), n)
	for i, d := range a.(*array.Date32).Date32Values() {
		out[i] = f(int32(d))
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}

func evalExtract(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	if args[0].Arr != nil {
		return nil, sqlerr.NotSupported("extract with a non-constant part")
	}
	part := strings.ToLower(args[0].Const.S)
	if _, ok := timestampPart(part, 0); !ok {
		return nil, sqlerr.NotSupported("extract(%s FROM %s)", part, strings.ToLower(argT[1].String()))
	}
	return evalDatePart(part)(env, n, args[1:], argT[1:], i64)
}

func evalDatePart(part string) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	byDate := evalDatePartOfDate(part)
	return func(env Env, n int, args []Vec, argT []types.T, ret types.T) (arrow.Array, error) {
		if argT[0].Kind == types.Timestamp {
			return mapTimestamps(env, n, args[0], func(us int64) int64 {
				v, _ := timestampPart(part, us)
				return v
			})
		}
		return byDate(env, n, args, argT, ret)
	}
}

func evalDatePartOfDate(part string) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	if part == "year" {
		// The year is the hot case (TPC-H Q7-Q9): a table of year starts
		// turns it into a short search instead of a civil-date conversion.
		return func(env Env, n int, args []Vec, _ []types.T, _ types.T) (arrow.Array, error) {
			return mapDates(env, n, args[0], yearOf)
		}
	}
	return func(env Env, n int, args []Vec, _ []types.T, _ types.T) (arrow.Array, error) {
		return mapDates(env, n, args[0], func(d int32) int64 {
			if v, ok := datePart(part, d); ok {
				return v
			}
			return 0 // hour ... microsecond: a date's time of day is zero
		})
	}
}

// yearStarts[i] is the first day of year 1900+i.
var yearStarts = func() (s [301]int32) {
	for i := range s {
		s[i] = types.DaysFromCivil(1900+i, 1, 1)
	}
	return s
}()

func yearOf(d int32) int64 {
	if d < yearStarts[0] || d >= yearStarts[len(yearStarts)-1] {
		y, _, _ := types.CivilFromDays(d)
		return int64(y)
	}
	i := int((d - yearStarts[0]) / 366) // never past the right year
	for yearStarts[i+1] <= d {
		i++
	}
	return int64(1900 + i)
}

// bindDateTrunc: date_trunc of a DATE is a DATE, of a TIMESTAMP a
// TIMESTAMP. (DuckDB makes both TIMESTAMPs; minisql keeps DATE arithmetic
// in DATEs, see the README.)
func bindDateTrunc(args []types.T) (types.T, []types.T, error) {
	ret, params, err := dateOrTimestamp(date, str)(args)
	if err == nil && params[1].Kind == types.Timestamp {
		ret = tstamp
	}
	return ret, params, err
}

func evalDateTrunc(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	if args[0].Arr != nil {
		return nil, sqlerr.NotSupported("date_trunc with a non-constant part")
	}
	if argT[1].Kind == types.Timestamp {
		return evalTimestampTrunc(env, n, args)
	}
	part := strings.ToLower(args[0].Const.S)
	f := truncDate(part)
	if f == nil {
		return nil, sqlerr.NotSupported("date_trunc('%s', date)", part)
	}
	return mapDatesToDates(env, n, args[1], f)
}

// truncDate returns the function date_trunc applies to dates for part, or
// nil for a part it does not know.
func truncDate(part string) func(int32) int64 {
	switch part {
	case "year":
		return func(d int32) int64 { y, _, _ := types.CivilFromDays(d); return civilDays(y, 1, 1) }
	case "quarter":
		return func(d int32) int64 {
			y, m, _ := types.CivilFromDays(d)
			return civilDays(y, (m-1)/3*3+1, 1)
		}
	case "month":
		return func(d int32) int64 { y, m, _ := types.CivilFromDays(d); return civilDays(y, m, 1) }
	case "week":
		return func(d int32) int64 { return int64(d) - int64((int(d)%7+10)%7) }
	case "day":
		return func(d int32) int64 { return int64(d) }
	}
	return nil
}

// mapDatesToDates applies f to every date. f works in int64 so that a
// result beyond the DATE range (about 5.8 million years either way) is
// seen, and is an overflow error on a valid row instead of wrapping.
func mapDatesToDates(env Env, n int, v Vec, f func(int32) int64) (arrow.Array, error) {
	a, err := argArray(env, v, date, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	buf, out := vector.AllocValues[arrow.Date32](env.Alloc(), n)
	for i, d := range a.(*array.Date32).Date32Values() {
		r := f(int32(d))
		if (r < math.MinInt32 || r > math.MaxInt32) && a.IsValid(i) {
			buf.Release()
			return nil, dateOverflow()
		}
		out[i] = arrow.Date32(r)
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewFixedArray(arrow.FixedWidthTypes.Date32, n, validity, nulls, buf), nil
}

func dateOverflow() error { return sqlerr.New(sqlerr.ErrOverflow, "date out of range") }

// civilDays is types.DaysFromCivil for a date that may lie outside the
// DATE range, which it reports as math.MaxInt64 (DaysFromCivil wraps).
func civilDays(y, m, d int) int64 {
	days := types.DaysFromCivil(y, m, d)
	if y2, m2, d2 := types.CivilFromDays(days); y2 != y || m2 != m || d2 != d {
		return math.MaxInt64
	}
	return int64(days)
}

// addMonths adds n months to a date, clamping the day to the end of the
// target month (2024-01-31 + 1 month = 2024-02-29), as DuckDB does.
func addMonths(days int32, n int64) int64 {
	y, m, d := types.CivilFromDays(days)
	total := int64(y)*12 + int64(m-1) + n
	if total > 12e7 || total < -12e7 { // far beyond the DATE range
		return math.MaxInt64
	}
	ny, nm := total/12, total%12
	if nm < 0 {
		ny, nm = ny-1, nm+12
	}
	return civilDays(int(ny), int(nm)+1, min(d, types.DaysInMonth(int(ny), int(nm)+1)))
}

func evalDateAddInterval(sign int64) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, _ []types.T, _ types.T) (arrow.Array, error) {
		if args[1].Arr != nil {
			return nil, sqlerr.NotSupported("date arithmetic with a non-constant interval")
		}
		months, days := sign*int64(args[1].Const.Months), sign*int64(args[1].Const.Days)
		return mapDatesToDates(env, n, args[0], func(d int32) int64 {
			r := int64(d)
			if months != 0 {
				if r = addMonths(d, months); r == math.MaxInt64 {
					return r
				}
			}
			return r + days
		})
	}
}

func evalDateAddDays(env Env, n int, args []Vec, _ []types.T, _ types.T) (arrow.Array, error) {
	arrs, err := materialise(env, n, args, []types.T{date, i64})
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	ds, ks := arrs[0].(*array.Date32).Date32Values(), arrs[1].(*array.Int64).Int64Values()
	buf, out := vector.AllocValues[arrow.Date32](env.Alloc(), n)
	bad := false
	for i := range out {
		// A wrapped int64 sum lands far outside the DATE range too.
		r := int64(ds[i]) + ks[i]
		bad = bad || r < math.MinInt32 || r > math.MaxInt32
		out[i] = arrow.Date32(r)
	}
	if bad {
		for i := range out {
			r := int64(ds[i]) + ks[i]
			if (r < math.MinInt32 || r > math.MaxInt32) && arrs[0].IsValid(i) && arrs[1].IsValid(i) {
				buf.Release()
				return nil, dateOverflow()
			}
		}
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return vector.NewFixedArray(arrow.FixedWidthTypes.Date32, n, validity, nulls, buf), nil
}

func evalDateDiff(env Env, n int, args []Vec, _ []types.T, _ types.T) (arrow.Array, error) {
	arrs, err := materialise(env, n, args, []types.T{date, date})
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	a, b := arrs[0].(*array.Date32).Date32Values(), arrs[1].(*array.Date32).Date32Values()
	buf, out := vector.AllocValues[int64](env.Alloc(), n)
	for i := range out {
		out[i] = int64(a[i]) - int64(b[i])
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}
