package operators

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// batchSumsInput is random Q1-like batches: a filter column x, a key k,
// three DECIMAL(15,2) columns and a DECIMAL(20,2) one (too wide for the
// one-pass sums). Batch sizes straddle laneRows, and one batch has a NULL
// in p, so the aggregates take the pass on some batches and their own
// kernels on others. One q is too large for the int64 product kernels.
func batchSumsInput(t *testing.T, mem memory.Allocator, groups int) (*arrow.Schema, []arrow.Record) {
	r := rand.New(rand.NewPCG(11, 12))
	dec := func(p int32) arrow.DataType { return &arrow.Decimal128Type{Precision: p, Scale: 2} }
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "q", Type: dec(15), Nullable: true},
		{Name: "p", Type: dec(15), Nullable: true},
		{Name: "d", Type: dec(15), Nullable: true},
		{Name: "w", Type: dec(20), Nullable: true},
	}, nil)
	var recs []arrow.Record
	for bi, rows := range []int{3000, 100, 8192, laneRows, 2500} {
		b := array.NewRecordBuilder(mem, schema)
		for i := range rows {
			b.Field(0).(*array.Int64Builder).Append(r.Int64N(100))
			b.Field(1).(*array.Int64Builder).Append(r.Int64N(int64(groups)))
			q := r.Int64N(5000) + 100
			if bi == 2 && i == 4000 {
				q = 1 << 44 // the three-factor product's bound fails: it goes its own way
			}
			b.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(q))
			if bi == 4 && i == 7 {
				b.Field(3).(*array.Decimal128Builder).AppendNull()
			} else {
				b.Field(3).(*array.Decimal128Builder).Append(decimal128.FromI64(r.Int64N(10_000_000) - 1_000_000))
			}
			b.Field(4).(*array.Decimal128Builder).Append(decimal128.FromI64(r.Int64N(11)))
			b.Field(5).(*array.Decimal128Builder).Append(decimal128.FromI64(r.Int64N(1 << 40)))
		}
		recs = append(recs, b.NewRecord())
		b.Release()
	}
	return schema, recs
}

// The one-pass sums (batchSums) give exactly what each aggregate's own
// kernel gives: plain SUMs, AVGs with their own sums and sharing a SUM's,
// a SUM the pass cannot take (DECIMAL(20,2)), two fused products, the
// second the first times one more factor (addFusedPair), reading the
// magnitudes the pass recorded, and COUNT(*), grouped and scalar, over
// every row and through a filter.
func TestBatchSumsMatchPerAggregateKernels(t *testing.T) {
	dec := func(p, s int) types.T { return types.DecimalType(p, s) }
	// p * (1 - d), and that times (1 + q), as the binder types them: the
	// products' Eval, for the batches the int64 kernels do not take.
	dcol := func(i int) expr.Expr { return &expr.ColumnRef{Index: i, T: dec(15, 2), Name: "c"} }
	one := &expr.Literal{Value: expr.DecDatum(decimal128.FromI64(100)), T: dec(3, 2)}
	oneMinusD := &expr.Binary{Op: expr.OpSub, L: one, R: dcol(4), T: types.DecimalAddType(one.T, dec(15, 2))}
	discT, _ := types.DecimalMulType(dec(15, 2), oneMinusD.T)
	disc := &expr.Binary{Op: expr.OpMul, L: dcol(3), R: oneMinusD, T: discT}
	onePlusQ := &expr.Binary{Op: expr.OpAdd, L: one, R: dcol(2), T: types.DecimalAddType(one.T, dec(15, 2))}
	chargeT, _ := types.DecimalMulType(discT, onePlusQ.T)
	charge := &expr.Binary{Op: expr.OpMul, L: disc, R: onePlusQ, T: chargeT}
	specs := []AggSpec{
		{Kind: AggSum, Arg: 2, In: dec(15, 2), Out: dec(38, 2)},
		{Kind: AggSum, Arg: 3, In: dec(15, 2), Out: dec(38, 2)},
		{Kind: AggAvg, Arg: 4, In: dec(15, 2), Out: types.Float64Type},
		{Kind: AggAvg, Arg: 2, In: dec(15, 2), Out: types.Float64Type},
		{Kind: AggSum, Arg: 5, In: dec(20, 2), Out: dec(38, 2)},
		{Kind: AggSum, Arg: -1, In: discT, Out: dec(38, int(discT.Scale)), Fused: &FusedProduct{
			Terms: []FusedTerm{{Col: 3}, {Col: 4, C: 100, Neg: true}}, Eval: mustCompile(t, disc)}},
		{Kind: AggCountStar, Arg: -1, In: types.NullType, Out: types.Int64Type},
		{Kind: AggSum, Arg: -1, In: chargeT, Out: dec(38, int(chargeT.Scale)), Fused: &FusedProduct{
			Terms: []FusedTerm{{Col: 3}, {Col: 4, C: 100, Neg: true}, {Col: 2, C: 100}}, Eval: mustCompile(t, charge)}},
	}
	outFields := func(keys bool) []arrow.Field {
		var f []arrow.Field
		if keys {
			f = append(f, arrow.Field{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true})
		}
		for i, s := range specs {
			f = append(f, arrow.Field{Name: string(rune('a' + i)), Type: s.Out.Arrow(), Nullable: true})
		}
		return f
	}
	for _, tc := range []struct {
		name     string
		keys     []int
		groups   int
		filtered bool
	}{
		{"grouped", []int{1}, 4, false},
		{"grouped, filtered", []int{1}, laneGroups, true},
		{"four groups, filtered", []int{1}, sumPairGroups, true},
		{"scalar", nil, 1, false},
		{"scalar, filtered", nil, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			schema, recs := batchSumsInput(t, mem, tc.groups)
			defer func() {
				for _, r := range recs {
					r.Release()
				}
			}()
			out := arrow.NewSchema(outFields(tc.keys != nil), nil)
			run := func(batch bool) ([]string, int, int) {
				var in Operator = NewRecords(schema, recs, "batches")
				if tc.filtered {
					in = NewFilter(in, lessThan(t, 0, 90), "x < 90")
				}
				h, err := NewHashAggregate(in, tc.keys, specs, out, 1024)
				require.NoError(t, err)
				h.batch.off = !batch
				rows := rowsOf(t, NewTask(context.Background(), mem), h)
				return rows, h.batch.passes, h.batch.pairs
			}
			want, none, _ := run(false)
			got, passes, pairs := run(true)
			require.Zero(t, none)
			require.Positive(t, passes, "some batches took the one pass")
			if sumPairKernel && tc.groups <= sumPairGroups {
				require.Positive(t, pairs, "some batches took sumPair")
			} else {
				require.Zero(t, pairs)
			}
			require.Equal(t, want, got)
		})
	}
}
