package expr

import (
	"math"
	"math/bits"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

var f64 = types.Float64Type

func registerMathFuncs(r map[string]*scalarFunc) {
	r["abs"] = &scalarFunc{bind: bindSameNumeric, eval: evalAbs, strict: true}
	r["negate"] = &scalarFunc{bind: bindSameNumeric, eval: evalNegate, strict: true}
	r["round"] = &scalarFunc{bind: bindRound, eval: evalRound, strict: true}
	r["floor"] = &scalarFunc{bind: bindFloorCeil, eval: evalFloorCeil(math.Floor), strict: true}
	r["ceil"] = &scalarFunc{bind: bindFloorCeil, eval: evalFloorCeil(math.Ceil), strict: true}
	r["ceiling"] = r["ceil"]
	for name, f := range map[string]func(float64) float64{
		"exp": math.Exp, "sin": math.Sin, "cos": math.Cos, "tan": math.Tan, "atan": math.Atan,
	} {
		r[name] = &scalarFunc{bind: fixed(f64, f64), eval: evalFloatUnary(f, nil), strict: true}
	}
	r["sqrt"] = &scalarFunc{bind: fixed(f64, f64), eval: evalFloatUnary(math.Sqrt, sqrtDomain), strict: true}
	for name, f := range map[string]func(float64) float64{"ln": math.Log, "log10": math.Log10, "log2": math.Log2} {
		r[name] = &scalarFunc{bind: fixed(f64, f64), eval: evalFloatUnary(f, logDomain), strict: true}
	}
	r["power"] = &scalarFunc{bind: fixed(f64, f64, f64), eval: evalPow, strict: true}
	r["pow"] = r["power"]
	r["sign"] = &scalarFunc{bind: fixed(i64, f64), eval: evalSign, strict: true}
	r["greatest"] = &scalarFunc{bind: bindGreatestLeast, eval: evalGreatestLeast(true), cost: 1}
	r["least"] = &scalarFunc{bind: bindGreatestLeast, eval: evalGreatestLeast(false), cost: 1}
}

func bindSameNumeric(args []types.T) (types.T, []types.T, error) {
	if err := argCount(args, 1, 1); err != nil {
		return types.T{}, nil, err
	}
	t := args[0]
	if t.Kind == types.Null {
		t = i64
	}
	if !t.IsNumeric() {
		return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "expected a number, got %s", t)
	}
	return t, []types.T{t}, nil
}

func evalAbs(env Env, n int, args []Vec, argT []types.T, t types.T) (arrow.Array, error) {
	a, err := argArray(env, args[0], t, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	mem := env.Alloc()
	validity, nulls := vector.Validity(mem, n, a)
	switch t.Kind {
	case types.Int64:
		buf, out := vector.AllocValues[int64](mem, n)
		for i, v := range a.(*array.Int64).Int64Values() {
			if v == math.MinInt64 && a.IsValid(i) {
				buf.Release()
				if validity != nil {
					validity.Release()
				}
				return nil, overflowErr(t, OpSub)
			}
			out[i] = max(v, -v)
		}
		return vector.NewFixedArray(t.Arrow(), n, validity, nulls, buf), nil
	case types.Float64:
		buf, out := vector.AllocValues[float64](mem, n)
		for i, v := range a.(*array.Float64).Float64Values() {
			out[i] = math.Abs(v)
		}
		return vector.NewFixedArray(t.Arrow(), n, validity, nulls, buf), nil
	default:
		buf, out := vector.AllocValues[decimal128.Num](mem, n)
		for i, v := range a.(*array.Decimal128).Values() {
			if v.Sign() < 0 {
				v = types.NegInt128(v)
			}
			out[i] = v
		}
		return vector.NewFixedArray(t.Arrow(), n, validity, nulls, buf), nil
	}
}

// round(x) and round(x, d): the nearest multiple of 10^-d, halves away
// from zero; a negative d rounds to tens, hundreds, ... A decimal keeps its
// scale and gains one digit of precision, since rounding may carry into a
// new one (round(9.9) is 10.0); a double stays a double.
func bindRound(args []types.T) (types.T, []types.T, error) {
	if err := argCount(args, 1, 2); err != nil {
		return types.T{}, nil, err
	}
	t, params, err := bindSameNumeric(args[:1])
	if err != nil {
		return t, params, err
	}
	if len(args) == 2 {
		params = append(params, i64)
	}
	if t.Kind == types.Decimal {
		t.Precision = min(t.Precision+1, types.MaxDecimalPrecision)
	}
	return t, params, nil
}

func evalRound(env Env, n int, args []Vec, argT []types.T, t types.T) (arrow.Array, error) {
	digits := int64(0)
	if len(args) == 2 {
		if args[1].Arr != nil {
			return nil, sqlerr.NotSupported("round with a non-constant number of digits")
		}
		digits = args[1].Const.I
	}
	in := argT[0]
	a, err := argArray(env, args[0], in, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	mem := env.Alloc()
	switch in.Kind {
	case types.Int64:
		if digits >= 0 {
			a.Retain()
			return a, nil
		}
		return roundInt64(mem, a.(*array.Int64), digits)
	case types.Float64:
		return roundFloat64(mem, a.(*array.Float64), digits), nil
	}
	return roundDecimal(mem, a.(*array.Decimal128), in, t, digits)
}

// roundFloat64 computes round(x * 10^d) / 10^d, keeping x where that is not
// finite (as DuckDB does): beyond 308 digits every double is already
// round, and below -308 every one rounds to 0.
func roundFloat64(mem memory.Allocator, a *array.Float64, digits int64) arrow.Array {
	n := a.Len()
	buf, out := vector.AllocValues[float64](mem, n)
	vals := a.Float64Values()
	switch {
	case digits > 308:
		copy(out, vals)
	case digits < -308:
		clear(out)
	default:
		p := math.Pow10(int(digits))
		for i, v := range vals {
			r := math.Round(v*p) / p
			if math.IsInf(r, 0) || math.IsNaN(r) {
				r = v
			}
			out[i] = r
		}
	}
	validity, nulls := vector.Validity(mem, n, a)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf)
}

// roundInt64 rounds integers to a multiple of 10^-digits (digits < 0).
func roundInt64(mem memory.Allocator, a *array.Int64, digits int64) (arrow.Array, error) {
	n := a.Len()
	buf, out := vector.AllocValues[int64](mem, n)
	if digits >= -18 {
		unit := types.Pow10Int64(int(-digits))
		for i, v := range a.Int64Values() {
			q, r := v/unit, v%unit
			if r >= unit-r { // 2r >= unit without overflow
				q++
			} else if -r >= unit+r {
				q--
			}
			hi, lo := bits.Mul64(uint64(max(q, -q)), uint64(unit))
			if (hi != 0 || lo > math.MaxInt64 && !(q < 0 && lo == 1<<63)) && a.IsValid(i) {
				buf.Release()
				return nil, overflowErr(types.Int64Type, OpMul)
			}
			out[i] = q * unit
		}
	} // else every BIGINT rounds to 0: 10^19 exceeds them all
	validity, nulls := vector.Validity(mem, n, a)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}

// roundDecimal rounds at digits after the point, keeping the input's
// scale; the result type t has one more digit of precision, except at 38,
// where a value that carries over is an overflow.
func roundDecimal(mem memory.Allocator, a *array.Decimal128, in, t types.T, digits int64) (arrow.Array, error) {
	n := a.Len()
	drop := int64(in.Scale) - digits
	if drop <= 0 { // nothing to round: the same values under the wider type
		d := array.NewData(t.Arrow(), n, a.Data().Buffers(), nil, a.NullN(), a.Data().Offset())
		defer d.Release()
		return array.MakeFromData(d), nil
	}
	buf, out := vector.AllocValues[decimal128.Num](mem, n)
	if drop <= types.MaxDecimalPrecision { // beyond, every value rounds to 0
		unit := types.Pow10(int(drop))
		for i, v := range a.Values() {
			q, _ := types.MulInt128(types.DivRoundInt128(v, unit), unit)
			if !types.FitsPrecision(q, int(t.Precision)) && a.IsValid(i) {
				buf.Release()
				return nil, overflowErr(t, OpAdd)
			}
			out[i] = q
		}
	}
	validity, nulls := vector.Validity(mem, n, a)
	return vector.NewFixedArray(t.Arrow(), n, validity, nulls, buf), nil
}

func bindFloorCeil(args []types.T) (types.T, []types.T, error) {
	t, params, err := bindSameNumeric(args)
	if err != nil {
		return t, params, err
	}
	if t.Kind == types.Decimal {
		return types.DecimalType(int(t.Precision), 0), params, nil
	}
	return t, params, nil
}

func evalFloorCeil(f func(float64) float64) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	up := f(0.5) == 1
	return func(env Env, n int, args []Vec, argT []types.T, t types.T) (arrow.Array, error) {
		in := argT[0]
		a, err := argArray(env, args[0], in, n)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		mem := env.Alloc()
		validity, nulls := vector.Validity(mem, n, a)
		switch in.Kind {
		case types.Float64:
			buf, out := vector.AllocValues[float64](mem, n)
			for i, v := range a.(*array.Float64).Float64Values() {
				out[i] = f(v)
			}
			return vector.NewFixedArray(t.Arrow(), n, validity, nulls, buf), nil
		case types.Decimal:
			buf, out := vector.AllocValues[decimal128.Num](mem, n)
			unit := types.Pow10(int(in.Scale))
			for i, v := range a.(*array.Decimal128).Values() {
				q, _ := v.Div(unit)
				// Div truncates toward zero; step once to reach floor/ceil.
				back, _ := types.MulInt128(q, unit)
				if c := types.CmpInt128(back, v); c != 0 && (c < 0) == up {
					step := decimal128.FromI64(1)
					if !up {
						step = decimal128.FromI64(-1)
					}
					q, _ = types.AddInt128(q, step)
				}
				out[i] = q
			}
			return vector.NewFixedArray(t.Arrow(), n, validity, nulls, buf), nil
		}
		if validity != nil {
			validity.Release()
		}
		a.Retain()
		return a, nil
	}
}

// sqrtDomain and logDomain reject the arguments outside a function's
// domain with DuckDB's errors (and PostgreSQL's), instead of NaN or -inf.
func sqrtDomain(v float64) error {
	if v < 0 {
		return sqlerr.New(sqlerr.ErrInvalidValue, "cannot take square root of a negative number")
	}
	return nil
}

func logDomain(v float64) error {
	switch {
	case v < 0:
		return sqlerr.New(sqlerr.ErrInvalidValue, "cannot take logarithm of a negative number")
	case v == 0:
		return sqlerr.New(sqlerr.ErrInvalidValue, "cannot take logarithm of zero")
	}
	return nil
}

// evalFloatUnary applies f to every row; domain, when set, is checked on
// the valid rows first.
func evalFloatUnary(f func(float64) float64, domain func(float64) error) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		a, err := argArray(env, args[0], f64, n)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		vals := a.(*array.Float64).Float64Values()
		if domain != nil {
			for i, v := range vals {
				if err := domain(v); err != nil && a.IsValid(i) {
					return nil, err
				}
			}
		}
		buf, out := vector.AllocValues[float64](env.Alloc(), n)
		for i, v := range vals {
			out[i] = f(v)
		}
		validity, nulls := vector.Validity(env.Alloc(), n, a)
		return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf), nil
	}
}

func evalPow(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	arrs, err := materialise(env, n, args, []types.T{f64, f64})
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	x, y := arrs[0].(*array.Float64).Float64Values(), arrs[1].(*array.Float64).Float64Values()
	buf, out := vector.AllocValues[float64](env.Alloc(), n)
	for i := range out {
		out[i] = math.Pow(x[i], y[i])
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf), nil
}

func evalSign(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	a, err := argArray(env, args[0], f64, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	buf, out := vector.AllocValues[int64](env.Alloc(), n)
	for i, v := range a.(*array.Float64).Float64Values() {
		switch {
		case v > 0:
			out[i] = 1
		case v < 0:
			out[i] = -1
		}
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}

// evalNegate is unary minus on a non-constant.
func evalNegate(env Env, n int, args []Vec, argT []types.T, t types.T) (arrow.Array, error) {
	a, err := argArray(env, args[0], t, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	return negate(env.Alloc(), a, t)
}

// bindGreatestLeast takes arguments the binder has already unified to one
// type (NULLs aside).
func bindGreatestLeast(args []types.T) (types.T, []types.T, error) {
	if len(args) == 0 {
		return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "expected at least one argument")
	}
	t := types.NullType
	for _, a := range args {
		switch {
		case a.Kind == types.Null:
		case t.Kind == types.Null:
			t = a
		case a != t:
			return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "arguments of types %s and %s", t, a)
		}
	}
	if t.Kind == types.Null || t.Kind == types.Interval {
		return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "not defined for %s", t)
	}
	return t, repeatType(t, len(args)), nil
}

// evalGreatestLeast picks, row by row, the largest (smallest) non-NULL
// argument; a row is NULL only when every argument is. Doubles order NaN
// above everything, as sorting does.
func evalGreatestLeast(greatest bool) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	sign := -1
	if greatest {
		sign = 1
	}
	return func(env Env, n int, args []Vec, argT []types.T, t types.T) (arrow.Array, error) {
		arrs, err := materialise(env, n, args, argT)
		if err != nil {
			return nil, err
		}
		defer releaseArrays(arrs)
		var win []int32
		switch t.Kind {
		case types.Int64:
			win = pickRows(n, arrs, func(a arrow.Array) []int64 { return a.(*array.Int64).Int64Values() },
				func(x, y int64) bool { return (x > y) == greatest && x != y })
		case types.Date:
			win = pickRows(n, arrs, func(a arrow.Array) []arrow.Date32 { return a.(*array.Date32).Date32Values() },
				func(x, y arrow.Date32) bool { return (x > y) == greatest && x != y })
		case types.Timestamp:
			win = pickRows(n, arrs, func(a arrow.Array) []arrow.Timestamp { return a.(*array.Timestamp).TimestampValues() },
				func(x, y arrow.Timestamp) bool { return (x > y) == greatest && x != y })
		case types.Float64:
			win = pickRows(n, arrs, func(a arrow.Array) []float64 { return a.(*array.Float64).Float64Values() },
				func(x, y float64) bool { return compareFloat(x, y) == sign })
		case types.Decimal:
			win = pickRows(n, arrs, func(a arrow.Array) []decimal128.Num { return a.(*array.Decimal128).Values() },
				func(x, y decimal128.Num) bool { return types.CmpInt128(x, y) == sign })
		case types.String:
			win = pickRows(n, arrs, func(a arrow.Array) []string { return stringValues(a.(*array.String)) },
				func(x, y string) bool { return strings.Compare(x, y) == sign })
		case types.Bool:
			win = pickRows(n, arrs, func(a arrow.Array) []bool { return boolValues(a.(*array.Boolean)) },
				func(x, y bool) bool { return x != y && x == greatest })
		default:
			return nil, errUnsupportedType("greatest/least", t)
		}
		refs := make([]vector.RowRef, n)
		for i, w := range win {
			refs[i] = vector.RowRef{Batch: w, Row: int32(i)}
		}
		return vector.TakeMulti(env.Alloc(), arrs, refs), nil
	}
}

// pickRows returns, for each row, the index of the argument array holding
// the best non-NULL value (0 when all are NULL, so the row is NULL).
func pickRows[T any](n int, arrs []arrow.Array, values func(arrow.Array) []T, better func(x, y T) bool) []int32 {
	win := make([]int32, n)
	have := make([]bool, n)
	vals := make([][]T, len(arrs))
	for j, a := range arrs {
		vals[j] = values(a)
	}
	for j, a := range arrs {
		bits, off := a.NullBitmapBytes(), a.Data().Offset()
		if a.NullN() == 0 {
			bits = nil
		}
		v := vals[j]
		for i := 0; i < n; i++ {
			if bits != nil && !bitutil.BitIsSet(bits, off+i) {
				continue
			}
			if !have[i] || better(v[i], vals[win[i]][i]) {
				win[i], have[i] = int32(j), true
			}
		}
	}
	return win
}

// stringValues and boolValues read a whole array for pickRows.
func stringValues(a *array.String) []string {
	out := make([]string, a.Len())
	for i := range out {
		out[i] = a.Value(i)
	}
	return out
}

func boolValues(a *array.Boolean) []bool {
	out := make([]bool, a.Len())
	for i := range out {
		out[i] = a.Value(i)
	}
	return out
}
