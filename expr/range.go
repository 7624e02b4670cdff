package expr

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// A conjunction of comparisons of one BIGINT, DATE, TIMESTAMP or narrow
// DECIMAL column with constants is a range, lo <= x <= hi: TPC-H's date filters, such
// as Q6's l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE
// '1995-01-01'. Evaluated as an AND of its comparisons it takes a pass
// per comparison and one to AND their bits; a range takes one pass and
// one comparison a row, uint64(x - lo) <= uint64(hi - lo). Its NULLs are
// the column's: a NULL x makes every comparison NULL, and their AND NULL.

type rangeEval struct {
	col    Evaluator
	t      types.T
	lo, hi int64
	empty  bool // no value is in the range (x > 5 AND x < 3)
}

// compileRange returns the range evaluator of args, or nil when they are
// not comparisons of one integer-like column with non-NULL constants.
func compileRange(args []Expr) (Evaluator, error) {
	if len(args) < 2 {
		return nil, nil
	}
	var col *ColumnRef
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	empty := false
	for _, a := range args {
		b, ok := a.(*Binary)
		if !ok {
			return nil, nil
		}
		ref, lit, op := rangeOperands(b)
		if ref == nil || col != nil && ref.Index != col.Index {
			return nil, nil
		}
		c, ok := rangeConst(ref.T, lit)
		if !ok {
			return nil, nil
		}
		col = ref
		if !narrowRange(op, c, &lo, &hi, &empty) {
			return nil, nil
		}
	}
	ev, err := Compile(col)
	if err != nil {
		return nil, err
	}
	return &rangeEval{col: ev, t: col.T, lo: lo, hi: hi, empty: empty || lo > hi}, nil
}

// narrowRange narrows [lo, hi] to the values x <op> c holds for, setting
// empty when none does; false when op is not one a range can take (<>).
func narrowRange(op BinOp, c int64, lo, hi *int64, empty *bool) bool {
	switch op {
	case OpEq:
		*lo, *hi = max(*lo, c), min(*hi, c)
	case OpGe:
		*lo = max(*lo, c)
	case OpGt:
		if c == math.MaxInt64 {
			*empty = true
		} else {
			*lo = max(*lo, c+1)
		}
	case OpLe:
		*hi = min(*hi, c)
	case OpLt:
		if c == math.MinInt64 {
			*empty = true
		} else {
			*hi = min(*hi, c-1)
		}
	default:
		return false
	}
	return true
}

// rangeConst returns the constant of a comparison with a column of type t
// as an integer, when the range kernels can take it: for a DECIMAL, one
// of at most 18 digits (a narrow column, whose values compare as their
// low words do, as in cmpNarrowDecimal) at the column's own scale.
func rangeConst(t types.T, lit *Literal) (int64, bool) {
	return rangeConstOf(t, lit.T, lit.Value)
}

// rangeConstOf is rangeConst of a constant v of type ct.
func rangeConstOf(t, ct types.T, v Datum) (int64, bool) {
	switch t.Kind {
	case types.Int64, types.Date, types.Timestamp:
		return v.I, true
	case types.Decimal:
		d := v.D
		if t.Precision > 18 || ct.Scale != t.Scale || !narrowNum(d) {
			return 0, false
		}
		return int64(d.LowBits()), true
	}
	return 0, false
}

// rangeOperands returns the column, the constant and the operator of
// col <op> constant, flipping constant <op> col; nil when b is not one.
func rangeOperands(b *Binary) (*ColumnRef, *Literal, BinOp) {
	ref, ok := b.L.(*ColumnRef)
	lit, ok2 := b.R.(*Literal)
	op := b.Op
	if !ok || !ok2 {
		ref, ok = b.R.(*ColumnRef)
		lit, ok2 = b.L.(*Literal)
		op = op.Flip()
	}
	if !ok || !ok2 || !lit.Value.Valid || lit.T.Kind != ref.T.Kind {
		return nil, nil, 0
	}
	return ref, lit, op
}

func (r *rangeEval) Type() types.T { return types.BoolType }

func (r *rangeEval) Eval(env Env, b arrow.Record) (Vec, error) {
	x, err := r.col.Eval(env, b)
	if err != nil {
		return Vec{}, err
	}
	defer x.Release()
	if !rangeType(x.Arr) {
		return Vec{}, errUnsupportedType("range", r.t)
	}
	mem := env.Alloc()
	n := x.Arr.Len()
	vbuf, out := vector.AllocBitmap(mem, n)
	if !r.empty {
		inRangeBits(Range{Lo: r.lo, Hi: r.hi}, x.Arr, out)
	}
	validity, nulls := vector.Validity(mem, n, x.Arr)
	return Vec{Arr: vector.NewBoolArray(n, validity, nulls, vbuf)}, nil
}

// The kernels below set bit i of out (zeroed) when lo <= a[i] <= lo +
// width, eight values to a byte with constant shifts: twice as fast as a
// variable shift per value (Q6's date range, 0.41 against 0.76 ns a
// value).

// inRange32 compares in 32 bits: lo and width are the range clamped to
// int32 (rangeEval.Eval), where x - lo wraps as the unsigned compare needs.
func inRange32[T ~int32](a []T, lo T, width uint32, out []byte) {
	full := len(a) / 8
	for i := range full {
		x := a[i*8 : i*8+8]
		out[i] = b2u(uint32(x[0]-lo) <= width) |
			b2u(uint32(x[1]-lo) <= width)<<1 |
			b2u(uint32(x[2]-lo) <= width)<<2 |
			b2u(uint32(x[3]-lo) <= width)<<3 |
			b2u(uint32(x[4]-lo) <= width)<<4 |
			b2u(uint32(x[5]-lo) <= width)<<5 |
			b2u(uint32(x[6]-lo) <= width)<<6 |
			b2u(uint32(x[7]-lo) <= width)<<7
	}
	for i := full * 8; i < len(a); i++ {
		out[i/8] |= b2u(uint32(a[i]-lo) <= width) << (i % 8)
	}
}

func inRange64[T ~int64](a []T, lo int64, width uint64, out []byte) {
	full := len(a) / 8
	for i := range full {
		x := a[i*8 : i*8+8]
		out[i] = b2u(uint64(int64(x[0])-lo) <= width) |
			b2u(uint64(int64(x[1])-lo) <= width)<<1 |
			b2u(uint64(int64(x[2])-lo) <= width)<<2 |
			b2u(uint64(int64(x[3])-lo) <= width)<<3 |
			b2u(uint64(int64(x[4])-lo) <= width)<<4 |
			b2u(uint64(int64(x[5])-lo) <= width)<<5 |
			b2u(uint64(int64(x[6])-lo) <= width)<<6 |
			b2u(uint64(int64(x[7])-lo) <= width)<<7
	}
	for i := full * 8; i < len(a); i++ {
		out[i/8] |= b2u(uint64(int64(a[i])-lo) <= width) << (i % 8)
	}
}

// inRangeNarrow is inRange64 over narrow DECIMAL values, by their low
// words.
func inRangeNarrow(a []decimal128.Num, lo int64, width uint64, out []byte) {
	full := len(a) / 8
	l := uint64(lo)
	for i := range full {
		x := a[i*8 : i*8+8]
		out[i] = b2u(x[0].LowBits()-l <= width) |
			b2u(x[1].LowBits()-l <= width)<<1 |
			b2u(x[2].LowBits()-l <= width)<<2 |
			b2u(x[3].LowBits()-l <= width)<<3 |
			b2u(x[4].LowBits()-l <= width)<<4 |
			b2u(x[5].LowBits()-l <= width)<<5 |
			b2u(x[6].LowBits()-l <= width)<<6 |
			b2u(x[7].LowBits()-l <= width)<<7
	}
	for i := full * 8; i < len(a); i++ {
		out[i/8] |= b2u(a[i].LowBits()-l <= width) << (i % 8)
	}
}
