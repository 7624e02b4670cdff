package expr

import (
	"encoding/binary"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
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
		switch op {
		case OpEq:
			lo, hi = max(lo, c), min(hi, c)
		case OpGe:
			lo = max(lo, c)
		case OpGt:
			if c == math.MaxInt64 {
				empty = true
			} else {
				lo = max(lo, c+1)
			}
		case OpLe:
			hi = min(hi, c)
		case OpLt:
			if c == math.MinInt64 {
				empty = true
			} else {
				hi = min(hi, c-1)
			}
		default:
			return nil, nil
		}
	}
	ev, err := Compile(col)
	if err != nil {
		return nil, err
	}
	return &rangeEval{col: ev, t: col.T, lo: lo, hi: hi, empty: empty || lo > hi}, nil
}

// rangeConst returns the constant of a comparison with a column of type t
// as an integer, when the range kernels can take it: for a DECIMAL, one
// of at most 18 digits (a narrow column, whose values compare as their
// low words do, as in cmpNarrowDecimal) at the column's own scale.
func rangeConst(t types.T, lit *Literal) (int64, bool) {
	switch t.Kind {
	case types.Int64, types.Date, types.Timestamp:
		return lit.Value.I, true
	case types.Decimal:
		d := lit.Value.D
		if t.Precision > 18 || lit.T.Scale != t.Scale || !narrowNum(d) {
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
	mem := env.Alloc()
	n := x.Arr.Len()
	vbuf, out := vector.AllocBitmap(mem, n)
	if !r.empty {
		width := uint64(r.hi) - uint64(r.lo)
		switch a := x.Arr.(type) {
		case *array.Int64:
			inRange(a.Int64Values(), r.lo, width, out)
		case *array.Date32:
			inRange(a.Date32Values(), r.lo, width, out)
		case *array.Timestamp:
			inRange(a.TimestampValues(), r.lo, width, out)
		case *array.Decimal128:
			inRangeNarrow(a.Values(), r.lo, width, out)
		default:
			vbuf.Release()
			return Vec{}, errUnsupportedType("range", r.t)
		}
	}
	validity, nulls := vector.Validity(mem, n, x.Arr)
	return Vec{Arr: vector.NewBoolArray(n, validity, nulls, vbuf)}, nil
}

// inRange sets bit i of out (zeroed) when lo <= a[i] <= lo + width, 64
// values to a word as cmpWords does.
func inRange[T ~int32 | ~int64](a []T, lo int64, width uint64, out []byte) {
	words := len(a) / 64
	for w := range words {
		x := a[w*64 : w*64+64]
		var acc uint64
		for j, v := range x {
			acc |= uint64(b2u(uint64(int64(v))-uint64(lo) <= width)) << j
		}
		binary.LittleEndian.PutUint64(out[w*8:], acc)
	}
	for i := words * 64; i < len(a); i++ {
		if uint64(int64(a[i]))-uint64(lo) <= width {
			out[i/8] |= 1 << (i % 8)
		}
	}
}

// inRangeNarrow is inRange over narrow DECIMAL values, by their low words.
func inRangeNarrow(a []decimal128.Num, lo int64, width uint64, out []byte) {
	words := len(a) / 64
	for w := range words {
		x := a[w*64 : w*64+64]
		var acc uint64
		for j, v := range x {
			acc |= uint64(b2u(v.LowBits()-uint64(lo) <= width)) << j
		}
		binary.LittleEndian.PutUint64(out[w*8:], acc)
	}
	for i := words * 64; i < len(a); i++ {
		if a[i].LowBits()-uint64(lo) <= width {
			out[i/8] |= 1 << (i % 8)
		}
	}
}
