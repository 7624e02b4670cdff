package expr

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// KeepInRange keeps exactly the selected rows the predicate evaluates to
// true on, NULLs failing: every column type, ranges and single
// comparisons (flipped too, and empty), selections sparse enough to be
// read row by row and dense enough to be tested whole, and a column that
// is a slice of a larger one.
func TestKeepInRangeMatchesEval(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	env := rangeTestEnv{mem}
	r := rand.New(rand.NewPCG(3, 4))
	const total, off, n = 20000, 37, 19003 // a last byte of three rows
	vals := make([]int64, total)
	valid := make([]bool, total)
	for i := range vals {
		vals[i] = int64(r.IntN(60) - 30) // the bounds below are hit often
		if r.IntN(50) == 0 {
			vals[i] = math.MinInt64 + int64(r.IntN(2))*(math.MaxInt64) // an end of int64
		}
		valid[i] = r.IntN(10) > 0
	}
	money := types.T{Kind: types.Decimal, Precision: 15, Scale: 2}
	lit := func(kind types.T, v int64) *Literal {
		if kind.Kind == types.Decimal {
			return &Literal{Value: Datum{Valid: true, D: decimal128.FromI64(v)}, T: kind}
		}
		if kind.Kind == types.Date {
			v = max(min(v, math.MaxInt32), math.MinInt32)
		}
		return &Literal{Value: Datum{Valid: true, I: v}, T: kind}
	}
	for _, kind := range []types.T{types.Int64Type, types.DateType, types.TimestampType, money} {
		whole := rangeColumn(t, mem, kind, vals, valid)
		col := array.NewSlice(whole, off, off+n)
		whole.Release()
		schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: kind.Arrow(), Nullable: true}}, nil)
		rec := array.NewRecord(schema, []arrow.Array{col}, n)
		col.Release()
		x := &ColumnRef{ID: 1, Name: "x", T: kind, Index: 0}
		cmp := func(op BinOp, v int64) Expr { return &Binary{Op: op, L: x, R: lit(kind, v), T: types.BoolType} }
		preds := []Expr{
			&And{Args: []Expr{cmp(OpGe, -10), cmp(OpLt, 40)}},
			&And{Args: []Expr{cmp(OpGt, 50), cmp(OpLt, 20)}}, // empty
			cmp(OpLt, 24),
			cmp(OpGe, 0),
			cmp(OpEq, 7),
			&And{Args: []Expr{cmp(OpGe, 5), cmp(OpLe, 5)}},               // one value
			&Binary{Op: OpLt, L: lit(kind, 30), R: x, T: types.BoolType}, // 30 < x
			cmp(OpGt, math.MaxInt64),                                     // empty
		}
		bits := make([]byte, n) // scratch left dirty, as batches leave it
		for i := range bits {
			bits[i] = 0xff
		}
		for _, pred := range preds {
			ev, err := Compile(pred)
			require.NoError(t, err)
			rg, ok := RangeOf(ev)
			require.True(t, ok, "%v is a range", pred)
			want, err := EvalArray(env, ev, rec)
			require.NoError(t, err)
			for _, keep := range []float64{0.001, 0.005, 0.03, 0.2, 1} {
				t.Run(fmt.Sprintf("%s/%v/keep=%v", kind, pred, keep), func(t *testing.T) {
					var sel []int32
					for i := range n {
						if r.Float64() < keep {
							sel = append(sel, int32(i))
						}
					}
					var expect []int32
					for _, i := range sel {
						if want.IsValid(int(i)) && want.(*array.Boolean).Value(int(i)) {
							expect = append(expect, i)
						}
					}
					out := make([]int32, len(sel))
					k, ok := KeepInRange(rg, col, sel, out, &bits)
					require.True(t, ok)
					require.Equal(t, len(expect), k)
					if k > 0 {
						require.Equal(t, expect, out[:k])
					}
				})
			}
			want.Release()
		}
		rec.Release()
	}
}

// RangeOf takes only a column compared with constants.
func TestRangeOfRefuses(t *testing.T) {
	x := &ColumnRef{ID: 1, Name: "x", T: types.Int64Type, Index: 0}
	y := &ColumnRef{ID: 2, Name: "y", T: types.Int64Type, Index: 1}
	five := &Literal{Value: IntDatum(5), T: types.Int64Type}
	null := &Literal{T: types.Int64Type}
	wideT := types.T{Kind: types.Decimal, Precision: 30, Scale: 2}
	wide := &ColumnRef{ID: 3, Name: "w", T: wideT, Index: 2}
	wideFive := &Literal{Value: Datum{Valid: true, D: decimal128.FromI64(5)}, T: wideT}
	s := &ColumnRef{ID: 4, Name: "s", T: types.StringType, Index: 3}
	str := &Literal{Value: StrDatum("a"), T: types.StringType}
	plus := &Binary{Op: OpAdd, L: x, R: five, T: types.Int64Type}
	for _, e := range []Expr{
		&Binary{Op: OpNe, L: x, R: five, T: types.BoolType},
		&Binary{Op: OpLt, L: x, R: y, T: types.BoolType},
		&Binary{Op: OpLt, L: x, R: null, T: types.BoolType},
		&Binary{Op: OpLt, L: wide, R: wideFive, T: types.BoolType},
		&Binary{Op: OpLt, L: s, R: str, T: types.BoolType},
		&Binary{Op: OpLt, L: plus, R: five, T: types.BoolType},
		&Or{Args: []Expr{&Binary{Op: OpLt, L: x, R: five, T: types.BoolType}, &Binary{Op: OpGt, L: x, R: five, T: types.BoolType}}},
	} {
		ev, err := Compile(e)
		require.NoError(t, err)
		_, ok := RangeOf(ev)
		require.False(t, ok, "%v", e)
	}
}
