package expr

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// More date functions, of a DATE or a TIMESTAMP's day: last_day,
// monthname, dayname, make_date, and the parts isodow, isoyear, weekday
// and weekofyear. (current_date and current_timestamp are the statement's
// start time, constants the binder makes.)

func registerDateFuncsMore(r map[string]*scalarFunc) {
	for _, part := range []string{"isodow", "isoyear", "weekday", "weekofyear"} {
		r[part] = &scalarFunc{bind: dateOrTimestamp(i64), eval: evalDatePart(part), strict: true}
	}
	r["last_day"] = &scalarFunc{bind: dateOrTimestamp(date), eval: evalLastDay, strict: true}
	r["monthname"] = &scalarFunc{bind: dateOrTimestamp(str), eval: evalDayName(monthNames[:], func(d int32) int {
		_, m, _ := types.CivilFromDays(d)
		return m - 1
	}), strict: true}
	r["dayname"] = &scalarFunc{bind: dateOrTimestamp(str), eval: evalDayName(dayNames[:], func(d int32) int {
		return (int(d)%7 + 11) % 7 // 1970-01-01 was a Thursday; Sunday = 0
	}), strict: true}
	r["make_date"] = &scalarFunc{bind: fixed(date, i64, i64, i64), eval: evalMakeDate, strict: true}
}

var monthNames = [12]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

var dayNames = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// isoYear is the year of the ISO 8601 week a date falls in: that of the
// week's Thursday.
func isoYear(days int32) int64 {
	wd := (int(days)%7 + 10) % 7 // Monday = 0
	y, _, _ := types.CivilFromDays(days - int32(wd) + 3)
	return int64(y)
}

// dayNumbers returns the days of a DATE or TIMESTAMP argument (a
// timestamp's day is its date; one outside the DATE range is 0 under a
// NULL, an error otherwise) and the array for the result's validity.
func dayNumbers(env Env, n int, v Vec, t types.T) ([]int32, arrow.Array, error) {
	a, err := argArray(env, v, t, n)
	if err != nil {
		return nil, nil, err
	}
	if t.Kind != types.Timestamp {
		return date32Days(a.(*array.Date32).Date32Values()), a, nil
	}
	ts := a.(*array.Timestamp).TimestampValues()
	days := make([]int32, n)
	for i, us := range ts {
		d, _ := types.SplitTimestamp(int64(us))
		if d < math.MinInt32 || d > math.MaxInt32 {
			if a.IsValid(i) {
				a.Release()
				return nil, nil, dateOverflow()
			}
			continue
		}
		days[i] = int32(d)
	}
	return days, a, nil
}

func evalLastDay(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	if argT[0].Kind == types.Date {
		return mapDatesToDates(env, n, args[0], lastDay)
	}
	days, a, err := dayNumbers(env, n, args[0], argT[0])
	if err != nil {
		return nil, err
	}
	defer a.Release()
	buf, out := vector.AllocValues[arrow.Date32](env.Alloc(), n)
	for i, d := range days {
		r := lastDay(d)
		if r > math.MaxInt32 && a.IsValid(i) {
			buf.Release()
			return nil, dateOverflow()
		}
		out[i] = arrow.Date32(r)
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewFixedArray(arrow.FixedWidthTypes.Date32, n, validity, nulls, buf), nil
}

func lastDay(d int32) int64 {
	y, m, _ := types.CivilFromDays(d)
	return civilDays(y, m, types.DaysInMonth(y, m))
}

func evalDayName(names []string, index func(int32) int) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		days, a, err := dayNumbers(env, n, args[0], argT[0])
		if err != nil {
			return nil, err
		}
		defer a.Release()
		out := newStrOut(env, n, 9*n)
		for i, d := range days {
			if a.IsNull(i) {
				out.endRow()
				continue
			}
			out.addString(names[index(d)])
		}
		validity, nulls := vector.Validity(env.Alloc(), n, a)
		return out.finish(env, validity, nulls)
	}
}

// date32Days copies a DATE array's values as day numbers.
func date32Days(v []arrow.Date32) []int32 {
	out := make([]int32, len(v))
	for i, d := range v {
		out[i] = int32(d)
	}
	return out
}

func evalMakeDate(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	arrs, err := materialise(env, n, args, []types.T{i64, i64, i64})
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	ys, ms, ds := arrs[0].(*array.Int64).Int64Values(), arrs[1].(*array.Int64).Int64Values(), arrs[2].(*array.Int64).Int64Values()
	buf, out := vector.AllocValues[arrow.Date32](env.Alloc(), n)
	for i := range out {
		if arrs[0].IsNull(i) || arrs[1].IsNull(i) || arrs[2].IsNull(i) {
			continue
		}
		y, m, d := ys[i], ms[i], ds[i]
		r := int64(math.MaxInt64)
		if m >= 1 && m <= 12 && y > -6e6 && y < 6e6 && d >= 1 && d <= int64(types.DaysInMonth(int(y), int(m))) {
			r = civilDays(int(y), int(m), int(d))
		}
		if r < math.MinInt32 || r > math.MaxInt32 {
			buf.Release()
			return nil, sqlerr.New(sqlerr.ErrInvalidValue, "make_date: date out of range: %d-%d-%d", y, m, d)
		}
		out[i] = arrow.Date32(r)
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return vector.NewFixedArray(arrow.FixedWidthTypes.Date32, n, validity, nulls, buf), nil
}
