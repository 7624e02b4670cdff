package expr

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// More math functions, with DuckDB's semantics and errors for arguments
// outside a function's domain. (mod is the % operator: the binder maps it.)

func registerMathFuncsMore(r map[string]*scalarFunc) {
	r["pi"] = &scalarFunc{bind: fixed(f64), eval: evalPi}
	r["random"] = &scalarFunc{bind: fixed(f64), eval: evalRandom, volatile: true}
	r["trunc"] = &scalarFunc{bind: bindTrunc, eval: evalTrunc, strict: true}
	for name, f := range map[string]func(float64) float64{
		"cbrt":    math.Cbrt,
		"degrees": func(x float64) float64 { return x * (180 / math.Pi) },
		"radians": func(x float64) float64 { return x * (math.Pi / 180) },
	} {
		r[name] = &scalarFunc{bind: fixed(f64, f64), eval: evalFloatUnary(f, nil), strict: true}
	}
	r["asin"] = &scalarFunc{bind: fixed(f64, f64), eval: evalFloatUnary(math.Asin, unitDomain("asin")), strict: true}
	r["acos"] = &scalarFunc{bind: fixed(f64, f64), eval: evalFloatUnary(math.Acos, unitDomain("acos")), strict: true}
	r["cot"] = &scalarFunc{bind: fixed(f64, f64), eval: evalFloatUnary(func(x float64) float64 { return 1 / math.Tan(x) }, cotDomain), strict: true}
	r["atan2"] = &scalarFunc{bind: fixed(f64, f64, f64), eval: evalFloatBinary(math.Atan2, nil), strict: true}
	r["log"] = &scalarFunc{bind: bindLog, eval: evalLog, strict: true}
	r["isnan"] = &scalarFunc{bind: fixed(types.BoolType, f64), eval: evalFloatPred(math.IsNaN), strict: true}
	r["isinf"] = &scalarFunc{bind: fixed(types.BoolType, f64), eval: evalFloatPred(func(x float64) bool { return math.IsInf(x, 0) }), strict: true}
	r["isfinite"] = &scalarFunc{bind: fixed(types.BoolType, f64), eval: evalFloatPred(func(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }), strict: true}
	r["even"] = &scalarFunc{bind: fixed(f64, f64), eval: evalFloatUnary(even, nil), strict: true}
	r["factorial"] = &scalarFunc{bind: fixed(i64, i64), eval: evalIntUnary(factorial), strict: true}
	r["gcd"] = &scalarFunc{bind: fixed(i64, i64, i64), eval: evalIntBinary(gcdChecked), strict: true}
	r["lcm"] = &scalarFunc{bind: fixed(i64, i64, i64), eval: evalIntBinary(lcm), strict: true}
	r["bit_count"] = &scalarFunc{bind: fixed(i64, i64), eval: evalIntUnary(func(x int64) (int64, error) {
		return int64(bits.OnesCount64(uint64(x))), nil
	}), strict: true}
}

func evalPi(env Env, n int, _ []Vec, _ []types.T, _ types.T) (arrow.Array, error) {
	buf, out := vector.AllocValues[float64](env.Alloc(), n)
	for i := range out {
		out[i] = math.Pi
	}
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, nil, 0, buf), nil
}

// evalRandom draws every row's value in [0, 1) from the runtime's
// generator, which is safe for concurrent use and seeded per process.
func evalRandom(env Env, n int, _ []Vec, _ []types.T, _ types.T) (arrow.Array, error) {
	buf, out := vector.AllocValues[float64](env.Alloc(), n)
	for i := range out {
		out[i] = rand.Float64()
	}
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, nil, 0, buf), nil
}

// unitDomain rejects arguments outside [-1, 1], DuckDB's error for asin
// and acos (rather than NaN).
func unitDomain(name string) func(float64) error {
	return func(v float64) error {
		if v < -1 || v > 1 {
			return sqlerr.New(sqlerr.ErrInvalidValue, "%s is undefined outside [-1,1]", name)
		}
		return nil
	}
}

func cotDomain(v float64) error {
	if v == 0 {
		return sqlerr.New(sqlerr.ErrInvalidValue, "cot of 0 is undefined")
	}
	return nil
}

// bindLog: log(x) is the base-10 logarithm, log(b, x) the base-b one.
func bindLog(args []types.T) (types.T, []types.T, error) {
	if err := argCount(args, 1, 2); err != nil {
		return types.T{}, nil, err
	}
	return f64, repeatType(f64, len(args)), nil
}

func evalLog(env Env, n int, args []Vec, argT []types.T, ret types.T) (arrow.Array, error) {
	if len(args) == 1 {
		return evalFloatUnary(math.Log10, logDomain)(env, n, args, argT, ret)
	}
	return evalFloatBinary(func(b, x float64) float64 { return math.Log(x) / math.Log(b) }, func(b, x float64) error {
		if err := logDomain(b); err != nil {
			return err
		}
		if err := logDomain(x); err != nil {
			return err
		}
		if b == 1 {
			return sqlerr.New(sqlerr.ErrDivisionByZero, "logarithm of base 1")
		}
		return nil
	})(env, n, args, argT, ret)
}

// evalFloatBinary applies f to every row's pair; domain, when set, is
// checked on the valid rows first.
func evalFloatBinary(f func(a, b float64) float64, domain func(a, b float64) error) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		arrs, err := materialise(env, n, args, []types.T{f64, f64})
		if err != nil {
			return nil, err
		}
		defer releaseArrays(arrs)
		a, b := arrs[0].(*array.Float64).Float64Values(), arrs[1].(*array.Float64).Float64Values()
		if domain != nil {
			for i := range a {
				if err := domain(a[i], b[i]); err != nil && arrs[0].IsValid(i) && arrs[1].IsValid(i) {
					return nil, err
				}
			}
		}
		buf, out := vector.AllocValues[float64](env.Alloc(), n)
		for i := range out {
			out[i] = f(a[i], b[i])
		}
		validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
		return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf), nil
	}
}

func evalFloatPred(pred func(float64) bool) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		a, err := argArray(env, args[0], f64, n)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		vbuf, out := vector.AllocBitmap(env.Alloc(), n)
		for i, v := range a.(*array.Float64).Float64Values() {
			out[i>>3] |= b2u(pred(v)) << (i & 7)
		}
		validity, nulls := vector.Validity(env.Alloc(), n, a)
		return vector.NewBoolArray(n, validity, nulls, vbuf), nil
	}
}

// even rounds away from zero to the next even integer.
func even(x float64) float64 {
	v := math.Ceil(x)
	if x < 0 {
		v = math.Floor(x)
	}
	if math.Mod(v, 2) == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	if x < 0 {
		return v - 1
	}
	return v + 1
}

// evalIntUnary applies f to every valid row; its error fails the batch.
func evalIntUnary(f func(int64) (int64, error)) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		a, err := argArray(env, args[0], i64, n)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		buf, out := vector.AllocValues[int64](env.Alloc(), n)
		for i, v := range a.(*array.Int64).Int64Values() {
			if a.IsNull(i) {
				continue
			}
			if out[i], err = f(v); err != nil {
				buf.Release()
				return nil, err
			}
		}
		validity, nulls := vector.Validity(env.Alloc(), n, a)
		return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
	}
}

// evalIntBinary applies f to every valid row's pair.
func evalIntBinary(f func(a, b int64) (int64, error)) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		arrs, err := materialise(env, n, args, []types.T{i64, i64})
		if err != nil {
			return nil, err
		}
		defer releaseArrays(arrs)
		a, b := arrs[0].(*array.Int64).Int64Values(), arrs[1].(*array.Int64).Int64Values()
		buf, out := vector.AllocValues[int64](env.Alloc(), n)
		for i := range out {
			if arrs[0].IsNull(i) || arrs[1].IsNull(i) {
				continue
			}
			if out[i], err = f(a[i], b[i]); err != nil {
				buf.Release()
				return nil, err
			}
		}
		validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
		return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
	}
}

// factorial fits BIGINT up to 20! (DuckDB's HUGEINT goes to 33!).
func factorial(x int64) (int64, error) {
	switch {
	case x < 0:
		return 0, sqlerr.New(sqlerr.ErrInvalidValue, "factorial of a negative number is undefined")
	case x > 20:
		return 0, sqlerr.New(sqlerr.ErrOverflow, "factorial(%d) is out of the BIGINT range", x)
	}
	r := int64(1)
	for k := int64(2); k <= x; k++ {
		r *= k
	}
	return r, nil
}

// gcd is Euclid's algorithm on the signed values, made non-negative at
// the end: only a result of 2^63 (gcd(-2^63, 0)) overflows.
func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func gcdChecked(a, b int64) (int64, error) {
	g := gcd(a, b)
	if g == math.MinInt64 {
		return 0, sqlerr.New(sqlerr.ErrOverflow, "gcd(%d, %d) is out of the BIGINT range", a, b)
	}
	return max(g, -g), nil
}

func lcm(a, b int64) (int64, error) {
	if a == 0 || b == 0 {
		return 0, nil
	}
	g, err := gcdChecked(a, b)
	if err != nil {
		return 0, err
	}
	x, y := uint64(a/g), uint64(b)
	if a/g < 0 {
		x = -x
	}
	if b < 0 {
		y = -y
	}
	hi, lo := bits.Mul64(x, y)
	if hi != 0 || lo > math.MaxInt64 {
		return 0, sqlerr.New(sqlerr.ErrOverflow, "lcm(%d, %d) is out of the BIGINT range", a, b)
	}
	return int64(lo), nil
}

// trunc(x) drops the fraction (a DECIMAL(p,s) becomes DECIMAL(p,0), as
// floor does); trunc(x, d) drops the digits after the d-th past the point
// (tens, hundreds, ... for a negative d) and keeps x's type, as minisql's
// round does (DuckDB's trunc(x, d) of a DECIMAL has scale d).
func bindTrunc(args []types.T) (types.T, []types.T, error) {
	if err := argCount(args, 1, 2); err != nil {
		return types.T{}, nil, err
	}
	if len(args) == 1 {
		return bindFloorCeil(args)
	}
	t, params, err := bindSameNumeric(args[:1])
	if err != nil {
		return t, params, err
	}
	return t, append(params, i64), nil
}

func evalTrunc(env Env, n int, args []Vec, argT []types.T, t types.T) (arrow.Array, error) {
	if len(args) == 1 {
		if argT[0].Kind == types.Float64 {
			return evalFloatUnary(math.Trunc, nil)(env, n, args, argT, t)
		}
		return evalTruncDigits(env, n, args[0], argT[0], t, 0)
	}
	if args[1].Arr != nil {
		return nil, sqlerr.NotSupported("trunc with a non-constant number of digits")
	}
	return evalTruncDigits(env, n, args[0], argT[0], t, args[1].Const.I)
}

// evalTruncDigits truncates toward zero at digits after the point. The
// result is never larger in magnitude than x: nothing overflows.
func evalTruncDigits(env Env, n int, x Vec, in, t types.T, digits int64) (arrow.Array, error) {
	a, err := argArray(env, x, in, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	mem := env.Alloc()
	validity, nulls := vector.Validity(mem, n, a)
	switch in.Kind {
	case types.Int64:
		buf, out := vector.AllocValues[int64](mem, n)
		vals := a.(*array.Int64).Int64Values()
		switch {
		case digits >= 0:
			copy(out, vals)
		case digits >= -18:
			unit := types.Pow10Int64(int(-digits))
			for i, v := range vals {
				out[i] = v / unit * unit
			}
		} // else every BIGINT truncates to 0
		return vector.NewFixedArray(t.Arrow(), n, validity, nulls, buf), nil
	case types.Float64:
		return truncFloat64(mem, a.(*array.Float64), digits, validity, nulls), nil
	}
	buf, out := vector.AllocValues[decimal128.Num](mem, n)
	vals := a.(*array.Decimal128).Values()
	drop := int64(in.Scale) - digits
	rescale := int64(in.Scale) - int64(t.Scale) // trunc(x) drops the scale too
	switch {
	case drop <= 0:
		copy(out, vals)
	case drop <= types.MaxDecimalPrecision:
		unit := types.Pow10(int(drop))
		for i, v := range vals {
			q, _ := v.Div(unit) // toward zero
			if drop > rescale {
				q, _ = types.MulInt128(q, types.Pow10(int(drop-rescale)))
			}
			out[i] = q
		}
	} // else every value truncates to 0
	return vector.NewFixedArray(t.Arrow(), n, validity, nulls, buf), nil
}

// truncFloat64 is trunc(x * 10^d) / 10^d, keeping x where that is not
// finite, as roundFloat64 does (and as DuckDB, which keeps x for every d
// below -323, where 10^d is 0 in a double: minisql gives 0, as round).
func truncFloat64(mem memory.Allocator, a *array.Float64, digits int64, validity *memory.Buffer, nulls int) arrow.Array {
	n := a.Len()
	buf, out := vector.AllocValues[float64](mem, n)
	vals := a.Float64Values()
	switch {
	case digits > 308:
		copy(out, vals)
	case digits < -308: // every finite double truncates to 0
		for i, v := range vals {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				out[i] = v
			}
		}
	default:
		p := math.Pow10(int(digits))
		for i, v := range vals {
			r := math.Trunc(v*p) / p
			if math.IsInf(r, 0) || math.IsNaN(r) {
				r = v
			}
			out[i] = r
		}
	}
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf)
}
