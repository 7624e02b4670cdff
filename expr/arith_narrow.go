package expr

import (
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
)

// The int64 path of + - * for DECIMAL batches whose values are all narrow
// (see types.NotNarrow). The check runs in the same loop as the
// arithmetic, since reading the operands is what these loops cost; a
// batch that fails it is computed again on the general 128-bit path.

func fromInt64(x int64) decimal128.Num { return decimal128.New(x>>63, uint64(x)) }

// mul128 is the exact signed 128-bit product of two int64.
func mul128(x, y int64) decimal128.Num {
	hi, lo := bits.Mul64(uint64(x), uint64(y))
	// The unsigned product read as signed needs y subtracted from the
	// high word when x < 0, and x when y < 0.
	shi := int64(hi) - (x>>63)&y - (y>>63)&x
	return decimal128.New(shi, lo)
}

// narrowArith computes res = a op b on int64 (a nil slice stands for the
// constant ca or cb; op is + - or *) and reports whether every operand was
// narrow; when it was not, res holds garbage. known says the array
// operands are narrow by their types (at most 18 digits): they are then
// not checked. (The branch on it in every loop costs 2-4% against loops
// without the check written out again, BenchmarkDecimalMul.)
func narrowArith(op BinOp, a, b []decimal128.Num, ca, cb decimal128.Num, res []decimal128.Num, known bool) bool {
	if a == nil && types.NotNarrow(ca) != 0 || b == nil && types.NotNarrow(cb) != 0 {
		return false
	}
	check := !known
	var bad uint64
	x, y := int64(ca.LowBits()), int64(cb.LowBits())
	switch {
	case a != nil && b != nil:
		a, b = a[:len(res)], b[:len(res)]
		switch op {
		case OpAdd:
			for i := range res {
				if check {
					bad |= types.NotNarrow(a[i]) | types.NotNarrow(b[i])
				}
				res[i] = fromInt64(int64(a[i].LowBits()) + int64(b[i].LowBits()))
			}
		case OpSub:
			for i := range res {
				if check {
					bad |= types.NotNarrow(a[i]) | types.NotNarrow(b[i])
				}
				res[i] = fromInt64(int64(a[i].LowBits()) - int64(b[i].LowBits()))
			}
		case OpMul:
			for i := range res {
				if check {
					bad |= types.NotNarrow(a[i]) | types.NotNarrow(b[i])
				}
				res[i] = mul128(int64(a[i].LowBits()), int64(b[i].LowBits()))
			}
		default:
			return false
		}
	case a != nil:
		a = a[:len(res)]
		switch op {
		case OpAdd:
			for i := range res {
				if check {
					bad |= types.NotNarrow(a[i])
				}
				res[i] = fromInt64(int64(a[i].LowBits()) + y)
			}
		case OpSub:
			for i := range res {
				if check {
					bad |= types.NotNarrow(a[i])
				}
				res[i] = fromInt64(int64(a[i].LowBits()) - y)
			}
		case OpMul:
			for i := range res {
				if check {
					bad |= types.NotNarrow(a[i])
				}
				res[i] = mul128(int64(a[i].LowBits()), y)
			}
		default:
			return false
		}
	case b != nil:
		b = b[:len(res)]
		switch op {
		case OpAdd:
			for i := range res {
				if check {
					bad |= types.NotNarrow(b[i])
				}
				res[i] = fromInt64(x + int64(b[i].LowBits()))
			}
		case OpSub:
			for i := range res {
				if check {
					bad |= types.NotNarrow(b[i])
				}
				res[i] = fromInt64(x - int64(b[i].LowBits()))
			}
		case OpMul:
			for i := range res {
				if check {
					bad |= types.NotNarrow(b[i])
				}
				res[i] = mul128(x, int64(b[i].LowBits()))
			}
		default:
			return false
		}
	default:
		return false
	}
	return bad == 0
}
