package expr

import (
	"math"
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// Arithmetic kernels compute every slot, NULL or not, in one tight loop and
// fold any overflow into an accumulator; only when that accumulator says
// something went wrong do they look at validity, so that garbage under a
// NULL never raises an error.

func int64Operand(v Vec) (vals []int64, c int64) {
	if v.Arr != nil {
		return v.Arr.(*array.Int64).Int64Values(), 0
	}
	return nil, v.Const.I
}

func float64Operand(v Vec) (vals []float64, c float64) {
	if v.Arr != nil {
		return v.Arr.(*array.Float64).Float64Values(), 0
	}
	return nil, v.Const.F
}

func decimalOperand(v Vec) (vals []decimal128.Num, c decimal128.Num) {
	if v.Arr != nil {
		return v.Arr.(*array.Decimal128).Values(), decimal128.Num{}
	}
	return nil, v.Const.D
}

// narrowType reports whether the values of an array operand are narrow
// by its type (types.NotNarrow): at most 18 digits. Whatever lies under
// a NULL is computed on too, and its result is never read. (The Parquet
// reader hands DECIMAL(p<=18) columns over as they are stored; a file
// holding values beyond its declared precision is malformed.)
func narrowType(v Vec) bool {
	return v.Arr == nil || v.Arr.DataType().(*arrow.Decimal128Type).Precision <= 18
}

// firstBadValidRow returns the first row for which bad(i) holds and every
// array operand is valid, or -1.
func firstBadValidRow(n int, l, r Vec, bad func(i int) bool) int {
	for i := 0; i < n; i++ {
		if bad(i) && validAt(l, i) && validAt(r, i) {
			return i
		}
	}
	return -1
}

func validAt(v Vec, i int) bool { return v.Arr == nil || v.Arr.IsValid(i) }

func overflowErr(t types.T, op BinOp) error {
	return sqlerr.New(sqlerr.ErrOverflow, "%s overflow in %s", t, op)
}

func divZeroErr() error { return sqlerr.New(sqlerr.ErrDivisionByZero, "") }

// int64Arith computes + - * DIV % over BIGINT operands (at most one constant).
func int64Arith(mem memory.Allocator, op BinOp, n int, l, r Vec) (arrow.Array, error) {
	a, ca := int64Operand(l)
	b, cb := int64Operand(r)
	at := func(i int) (int64, int64) {
		x, y := ca, cb
		if a != nil {
			x = a[i]
		}
		if b != nil {
			y = b[i]
		}
		return x, y
	}
	if op == OpIntDiv || op == OpMod {
		return int64DivMod(mem, op, n, l, r, at)
	}
	buf, out := vector.AllocValues[int64](mem, n)
	var acc int64 // sign bit set iff some slot overflowed
	switch op {
	case OpAdd:
		switch {
		case a == nil:
			for i := range out {
				s := ca + b[i]
				acc |= (ca ^ s) & (b[i] ^ s)
				out[i] = s
			}
		case b == nil:
			for i := range out {
				s := a[i] + cb
				acc |= (a[i] ^ s) & (cb ^ s)
				out[i] = s
			}
		default:
			for i := range out {
				s := a[i] + b[i]
				acc |= (a[i] ^ s) & (b[i] ^ s)
				out[i] = s
			}
		}
	case OpSub:
		switch {
		case a == nil:
			for i := range out {
				s := ca - b[i]
				acc |= (ca ^ b[i]) & (ca ^ s)
				out[i] = s
			}
		case b == nil:
			for i := range out {
				s := a[i] - cb
				acc |= (a[i] ^ cb) & (a[i] ^ s)
				out[i] = s
			}
		default:
			for i := range out {
				s := a[i] - b[i]
				acc |= (a[i] ^ b[i]) & (a[i] ^ s)
				out[i] = s
			}
		}
	case OpMul:
		var diff int64 // non-zero iff some product needs more than 64 bits
		for i := range out {
			x, y := at(i)
			hi, lo := bits.Mul64(uint64(x), uint64(y))
			// Signed high word of the 128-bit product.
			h := int64(hi) - (x>>63)&y - (y>>63)&x
			diff |= h ^ int64(lo)>>63
			out[i] = int64(lo)
		}
		if diff != 0 {
			acc = -1
		}
	default:
		buf.Release()
		return nil, internalf("int64Arith: operator %s", op)
	}
	if acc < 0 {
		row := firstBadValidRow(n, l, r, func(i int) bool {
			x, y := at(i)
			_, ok := checkedInt64(op, x, y)
			return !ok
		})
		if row >= 0 {
			buf.Release()
			return nil, overflowErr(types.Int64Type, op)
		}
	}
	validity, nulls := vector.Validity(mem, n, l.Arr, r.Arr)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}

// checkedInt64 is the row-at-a-time definition the kernels must agree with.
func checkedInt64(op BinOp, x, y int64) (int64, bool) {
	switch op {
	case OpAdd:
		s := x + y
		return s, (x^s)&(y^s) >= 0
	case OpSub:
		s := x - y
		return s, (x^y)&(x^s) >= 0
	case OpMul:
		if x == 0 || y == 0 {
			return 0, true
		}
		s := x * y
		return s, s/y == x && !(x == -1 && y == math.MinInt64) && !(y == -1 && x == math.MinInt64)
	}
	return 0, false
}

func int64DivMod(mem memory.Allocator, op BinOp, n int, l, r Vec, at func(int) (int64, int64)) (arrow.Array, error) {
	buf, out := vector.AllocValues[int64](mem, n)
	for i := range out {
		x, y := at(i)
		switch {
		case y == 0 || (y == -1 && x == math.MinInt64):
			if validAt(l, i) && validAt(r, i) {
				buf.Release()
				if y == 0 {
					return nil, divZeroErr()
				}
				return nil, overflowErr(types.Int64Type, op)
			}
		case op == OpIntDiv:
			out[i] = x / y
		default:
			out[i] = x % y
		}
	}
	validity, nulls := vector.Validity(mem, n, l.Arr, r.Arr)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}

// float64Arith computes + - * / % over DOUBLE operands.
func float64Arith(mem memory.Allocator, op BinOp, n int, l, r Vec) (arrow.Array, error) {
	a, ca := float64Operand(l)
	b, cb := float64Operand(r)
	buf, out := vector.AllocValues[float64](mem, n)
	get := func(i int) (float64, float64) {
		x, y := ca, cb
		if a != nil {
			x = a[i]
		}
		if b != nil {
			y = b[i]
		}
		return x, y
	}
	zero := false
	switch {
	case op == OpAdd && a != nil && b != nil:
		for i := range out {
			out[i] = a[i] + b[i]
		}
	case op == OpSub && a != nil && b != nil:
		for i := range out {
			out[i] = a[i] - b[i]
		}
	case op == OpMul && a != nil && b != nil:
		for i := range out {
			out[i] = a[i] * b[i]
		}
	default:
		for i := range out {
			x, y := get(i)
			switch op {
			case OpAdd:
				out[i] = x + y
			case OpSub:
				out[i] = x - y
			case OpMul:
				out[i] = x * y
			case OpDiv:
				zero = zero || y == 0
				out[i] = x / y
			case OpMod:
				zero = zero || y == 0
				out[i] = math.Mod(x, y)
			}
		}
	}
	if zero && firstBadValidRow(n, l, r, func(i int) bool { _, y := get(i); return y == 0 }) >= 0 {
		buf.Release()
		return nil, divZeroErr()
	}
	validity, nulls := vector.Validity(mem, n, l.Arr, r.Arr)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf), nil
}

// decimalArith computes + - * over DECIMAL operands. For + and - both
// operands have the result's scale already; for * the scales add up. When
// the result precision was capped at 38 digits every value is checked
// against it, as DuckDB does.
func decimalArith(mem memory.Allocator, op BinOp, n int, l, r Vec, out types.T) (arrow.Array, error) {
	a, ca := decimalOperand(l)
	b, cb := decimalOperand(r)
	buf, res := vector.AllocValuesUninit[decimal128.Num](mem, n) // every path writes every row
	checkPrec := out.Precision == types.MaxDecimalPrecision
	bad := false
	var f func(x, y decimal128.Num) (decimal128.Num, bool)
	switch op {
	case OpAdd:
		f = types.AddInt128
	case OpSub:
		f = types.SubInt128
	case OpMul:
		f = types.MulInt128
	case OpMod:
		f = types.RemInt128
		for i := 0; i < n; i++ { // find a zero divisor on a valid row first
			y := cb
			if b != nil {
				y = b[i]
			}
			if y == (decimal128.Num{}) && validAt(l, i) && validAt(r, i) {
				buf.Release()
				return nil, divZeroErr()
			}
		}
	default:
		buf.Release()
		return nil, internalf("decimalArith: operator %s", op)
	}
	if op != OpMod && narrowArith(op, a, b, ca, cb, res, narrowType(l) && narrowType(r)) {
		validity, nulls := vector.Validity(mem, n, l.Arr, r.Arr)
		return vector.NewFixedArray(out.Arrow(), n, validity, nulls, buf), nil
	}
	switch {
	case op == OpMul && a != nil && b != nil:
		for i := range res {
			v, ovf := types.MulInt128(a[i], b[i])
			bad = bad || ovf
			res[i] = v
		}
	case op == OpMul && a != nil && b == nil:
		for i := range res {
			v, ovf := types.MulInt128(a[i], cb)
			bad = bad || ovf
			res[i] = v
		}
	case op == OpMul && a == nil && b != nil:
		for i := range res {
			v, ovf := types.MulInt128(ca, b[i])
			bad = bad || ovf
			res[i] = v
		}
	case op == OpAdd && a != nil && b != nil:
		for i := range res {
			v, ovf := types.AddInt128(a[i], b[i])
			bad = bad || ovf
			res[i] = v
		}
	// A constant operand (1 - l_discount, 1 + l_tax) gets its own loops:
	// through f, every row would be an indirect call.
	case op == OpAdd && a != nil && b == nil:
		for i := range res {
			v, ovf := types.AddInt128(a[i], cb)
			bad = bad || ovf
			res[i] = v
		}
	case op == OpAdd && a == nil && b != nil:
		for i := range res {
			v, ovf := types.AddInt128(ca, b[i])
			bad = bad || ovf
			res[i] = v
		}
	case op == OpSub && a != nil && b != nil:
		for i := range res {
			v, ovf := types.SubInt128(a[i], b[i])
			bad = bad || ovf
			res[i] = v
		}
	case op == OpSub && a != nil && b == nil:
		for i := range res {
			v, ovf := types.SubInt128(a[i], cb)
			bad = bad || ovf
			res[i] = v
		}
	case op == OpSub && a == nil && b != nil:
		for i := range res {
			v, ovf := types.SubInt128(ca, b[i])
			bad = bad || ovf
			res[i] = v
		}
	default:
		for i := range res {
			x, y := ca, cb
			if a != nil {
				x = a[i]
			}
			if b != nil {
				y = b[i]
			}
			v, ovf := f(x, y)
			bad = bad || ovf
			res[i] = v
		}
	}
	if checkPrec && !bad {
		for i := range res {
			if !types.FitsPrecision(res[i], types.MaxDecimalPrecision) {
				bad = true
				break
			}
		}
	}
	if bad {
		row := firstBadValidRow(n, l, r, func(i int) bool {
			x, y := ca, cb
			if a != nil {
				x = a[i]
			}
			if b != nil {
				y = b[i]
			}
			v, ovf := f(x, y)
			return ovf || (checkPrec && !types.FitsPrecision(v, types.MaxDecimalPrecision))
		})
		if row >= 0 {
			buf.Release()
			return nil, overflowErr(out, op)
		}
	}
	validity, nulls := vector.Validity(mem, n, l.Arr, r.Arr)
	return vector.NewFixedArray(out.Arrow(), n, validity, nulls, buf), nil
}

// negate computes -x for BIGINT, DOUBLE and DECIMAL arrays.
func negate(mem memory.Allocator, x arrow.Array, t types.T) (arrow.Array, error) {
	n := x.Len()
	validity, nulls := vector.Validity(mem, n, x)
	switch t.Kind {
	case types.Int64:
		buf, out := vector.AllocValues[int64](mem, n)
		src := x.(*array.Int64).Int64Values()
		for i := range out {
			if src[i] == math.MinInt64 && x.IsValid(i) {
				buf.Release()
				if validity != nil {
					validity.Release()
				}
				return nil, overflowErr(t, OpSub)
			}
			out[i] = -src[i]
		}
		return vector.NewFixedArray(x.DataType(), n, validity, nulls, buf), nil
	case types.Float64:
		buf, out := vector.AllocValues[float64](mem, n)
		for i, v := range x.(*array.Float64).Float64Values() {
			out[i] = -v
		}
		return vector.NewFixedArray(x.DataType(), n, validity, nulls, buf), nil
	case types.Decimal:
		buf, out := vector.AllocValues[decimal128.Num](mem, n)
		for i, v := range x.(*array.Decimal128).Values() {
			out[i] = types.NegInt128(v)
		}
		return vector.NewFixedArray(x.DataType(), n, validity, nulls, buf), nil
	}
	if validity != nil {
		validity.Release()
	}
	return nil, errUnsupportedType("negation", t)
}
