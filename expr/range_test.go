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

type rangeTestEnv struct{ mem memory.Allocator }

func (e rangeTestEnv) Alloc() memory.Allocator { return e.mem }
func (rangeTestEnv) Spend(int) error           { return nil }

// TestRangeMatchesComparisons evaluates conjunctions of comparisons of one
// column with constants as a range (rangeEval) and as the AND of the
// comparisons, and requires the same values and NULLs: BIGINT, DATE,
// TIMESTAMP and narrow DECIMAL columns with NULLs and the extreme values, every operator on
// either side, empty ranges and bounds at the ends of int64.
func TestRangeMatchesComparisons(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	env := rangeTestEnv{mem}
	r := rand.New(rand.NewPCG(7, 11))
	const n = 1000 // not a multiple of 64: the tail is checked too
	vals := make([]int64, n)
	valid := make([]bool, n)
	for i := range vals {
		switch r.IntN(20) {
		case 0:
			vals[i] = math.MinInt64
		case 1:
			vals[i] = math.MaxInt64
		default:
			vals[i] = int64(r.IntN(200) - 100)
		}
		valid[i] = r.IntN(10) > 0
	}
	type cmp struct {
		op      BinOp
		c       int64
		flipped bool // c <op> col
	}
	cases := [][]cmp{
		{{OpGe, -10, false}, {OpLt, 40, false}},
		{{OpGt, -10, false}, {OpLe, 40, false}},
		{{OpLt, 40, true}, {OpGe, 5, false}}, // 40 < x AND x >= 5
		{{OpEq, 7, false}, {OpGe, 0, false}},
		{{OpGt, 50, false}, {OpLt, 20, false}}, // empty
		{{OpGt, math.MaxInt64, false}, {OpGe, 0, false}},
		{{OpLt, math.MinInt64, false}, {OpLe, 0, false}},
		{{OpGe, math.MinInt64, false}, {OpLe, math.MaxInt64, false}},
		{{OpLe, math.MaxInt64, false}, {OpGt, math.MinInt64, false}},
		{{OpGe, -50, false}, {OpGe, -20, false}, {OpLt, 30, false}, {OpLe, 90, false}},
	}
	money := types.T{Kind: types.Decimal, Precision: 15, Scale: 2}
	for _, kind := range []types.T{types.Int64Type, types.DateType, types.TimestampType, money} {
		col := rangeColumn(t, mem, kind, vals, valid)
		schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: kind.Arrow(), Nullable: true}}, nil)
		rec := array.NewRecord(schema, []arrow.Array{col}, n)
		col.Release()
		for _, cs := range cases {
			ref := &ColumnRef{ID: 1, Name: "x", T: kind, Index: 0}
			var args []Expr
			for _, c := range cs {
				v := c.c
				if kind.Kind == types.Date {
					v = max(min(v, math.MaxInt32), math.MinInt32) // a DATE constant is an int32
				}
				lit := &Literal{Value: Datum{Valid: true, I: v}, T: kind}
				if kind.Kind == types.Decimal {
					lit.Value = Datum{Valid: true, D: decimal128.FromI64(v)}
				}
				b := &Binary{Op: c.op, L: ref, R: lit, T: types.BoolType}
				if c.flipped {
					b = &Binary{Op: c.op, L: lit, R: ref, T: types.BoolType}
				}
				args = append(args, b)
			}
			t.Run(fmt.Sprintf("%s/%v", kind, (&And{Args: args}).String()), func(t *testing.T) {
				fast, err := Compile(&And{Args: args})
				require.NoError(t, err)
				require.IsType(t, &rangeEval{}, fast)
				evs := make([]Evaluator, len(args))
				for i, a := range args {
					evs[i], err = Compile(a)
					require.NoError(t, err)
				}
				slow := &logicEval{args: evs, isAnd: true}
				got, err := EvalArray(env, fast, rec)
				require.NoError(t, err)
				defer got.Release()
				want, err := EvalArray(env, slow, rec)
				require.NoError(t, err)
				defer want.Release()
				for i := 0; i < n; i++ {
					require.Equal(t, want.IsNull(i), got.IsNull(i), "row %d (%d)", i, vals[i])
					if want.IsValid(i) {
						require.Equal(t, want.(*array.Boolean).Value(i), got.(*array.Boolean).Value(i), "row %d (%d)", i, vals[i])
					}
				}
			})
		}
		rec.Release()
	}

	// Not a range: another column, a NULL constant, an OR's operands, a
	// wide DECIMAL, a DECIMAL constant beyond 18 digits.
	x := &ColumnRef{ID: 1, Name: "x", T: types.Int64Type, Index: 0}
	y := &ColumnRef{ID: 2, Name: "y", T: types.Int64Type, Index: 1}
	five := &Literal{Value: IntDatum(5), T: types.Int64Type}
	null := &Literal{T: types.Int64Type}
	wideT := types.T{Kind: types.Decimal, Precision: 30, Scale: 2}
	wide := &ColumnRef{ID: 3, Name: "w", T: wideT, Index: 2}
	d := &ColumnRef{ID: 4, Name: "d", T: money, Index: 3}
	wideFive := &Literal{Value: Datum{Valid: true, D: decimal128.FromI64(5)}, T: wideT}
	moneyFive := &Literal{Value: Datum{Valid: true, D: decimal128.FromI64(5)}, T: money}
	huge := &Literal{Value: Datum{Valid: true, D: decimal128.New(1, 0)}, T: money}
	for _, args := range [][]Expr{
		{&Binary{Op: OpGe, L: x, R: five, T: types.BoolType}, &Binary{Op: OpLt, L: y, R: five, T: types.BoolType}},
		{&Binary{Op: OpGe, L: x, R: five, T: types.BoolType}, &Binary{Op: OpLt, L: x, R: null, T: types.BoolType}},
		{&Binary{Op: OpGe, L: x, R: five, T: types.BoolType}, &Binary{Op: OpNe, L: x, R: five, T: types.BoolType}},
		{&Binary{Op: OpGe, L: wide, R: wideFive, T: types.BoolType}, &Binary{Op: OpLt, L: wide, R: wideFive, T: types.BoolType}},
		{&Binary{Op: OpGe, L: d, R: moneyFive, T: types.BoolType}, &Binary{Op: OpLt, L: d, R: huge, T: types.BoolType}},
	} {
		ev, err := Compile(&And{Args: args})
		require.NoError(t, err)
		require.IsType(t, &logicEval{}, ev)
	}
}

func rangeColumn(t *testing.T, mem memory.Allocator, kind types.T, vals []int64, valid []bool) arrow.Array {
	t.Helper()
	switch kind.Kind {
	case types.Int64:
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.AppendValues(vals, valid)
		return b.NewArray()
	case types.Date:
		b := array.NewDate32Builder(mem)
		defer b.Release()
		for i, v := range vals {
			if valid[i] {
				b.Append(arrow.Date32(max(min(v, math.MaxInt32), math.MinInt32)))
			} else {
				b.AppendNull()
			}
		}
		return b.NewArray()
	case types.Decimal:
		b := array.NewDecimal128Builder(mem, kind.Arrow().(*arrow.Decimal128Type))
		defer b.Release()
		for i, v := range vals {
			if valid[i] {
				b.Append(decimal128.FromI64(v))
			} else {
				b.AppendNull()
			}
		}
		return b.NewArray()
	default:
		b := array.NewTimestampBuilder(mem, kind.Arrow().(*arrow.TimestampType))
		defer b.Release()
		for i, v := range vals {
			if valid[i] {
				b.Append(arrow.Timestamp(v))
			} else {
				b.AppendNull()
			}
		}
		return b.NewArray()
	}
}
