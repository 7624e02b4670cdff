package operators

import (
	"context"
	"math"
	"math/rand"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endCanceller cancels the query when its input ends and notes when (as
// window_test.go's cancelAtEnd, timed): an aggregate above
// it is then past accumulating, so the cancel lands in its finalisation
// (bucketing and selection).
type endCanceller struct {
	Operator
	cancel func()
	at     time.Time
}

func (c *endCanceller) Next(t *Task) (arrow.Record, error) {
	rec, err := c.Operator.Next(t)
	if rec == nil && err == nil && c.at.IsZero() {
		c.at = time.Now()
		c.cancel()
	}
	return rec, err
}

var quantileInSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

var quantileOutSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "q", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

// scrambled is n rows of (x % groups, x * a large odd number % a prime):
// values in no order, so that the selection does real work.
func scrambled(t testing.TB, n, groups int64) Operator {
	bin := func(op expr.BinOp, l expr.Expr, r int64) expr.Expr {
		return &expr.Binary{Op: op, L: l, R: lit(r), T: types.Int64Type}
	}
	key := mustCompile(t, bin(expr.OpMod, col(0), groups))
	val := mustCompile(t, bin(expr.OpMod, bin(expr.OpMul, col(0), 2654435761), 1000003))
	return NewProject(finite(n), []expr.Evaluator{key, val}, quantileInSchema, []string{"k", "v"})
}

func TestQuantileCancelsDuringSelection(t *testing.T) {
	tests := []struct {
		name   string
		rows   int64
		groups int64
	}{
		{"one group of 6M values", 6_000_000, 1},
		{"many groups", 2_000_000, 100_000},
	}
	for _, tt := range tests {
		for _, kind := range []AggKind{AggQuantileDisc, AggQuantileCont, AggMode} {
			t.Run(tt.name+"/"+kind.String(), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				in, out := types.Int64Type, types.Int64Type
				var src Operator = scrambled(t, tt.rows, tt.groups)
				if kind == AggQuantileCont { // interpolates doubles
					in, out = types.Float64Type, types.Float64Type
					toF := mustCompile(t, &expr.Cast{X: col(1), To: types.Float64Type})
					schema := arrow.NewSchema([]arrow.Field{quantileInSchema.Field(0), {Name: "v", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
					src = NewProject(src, []expr.Evaluator{mustCompile(t, col(0)), toF}, schema, []string{"k", "v"})
				}
				end := &endCanceller{Operator: src, cancel: cancel}
				schema := arrow.NewSchema([]arrow.Field{quantileOutSchema.Field(0), {Name: "q", Type: out.Arrow(), Nullable: true}}, nil)
				agg, err := NewHashAggregate(end, []int{0}, []AggSpec{{Kind: kind, Arg: 1, In: in, Out: out,
					Frac: QuantileFrac{Q: 0.5, Num: 5, Scale: 1, Exact: true}}}, schema, 1024)
				require.NoError(t, err)
				err = drain(NewTask(ctx, mem), agg)
				returned := time.Now()
				require.ErrorIs(t, err, context.Canceled)
				require.False(t, end.at.IsZero(), "the input was read to its end before the cancel")
				latency := returned.Sub(end.at)
				t.Logf("cancel to return: %v", latency)
				// Generous for shared machines and -race; an unchecked
				// selection of 6M values takes hundreds of milliseconds.
				assert.Less(t, latency, 250*time.Millisecond)
				require.NoError(t, agg.Close())
			})
		}
	}
}

// TestQuantileAgainstSort runs the aggregate over random groups, values
// with duplicates and NULLs, in several batches, and compares every
// group's quantiles with those of its sorted values.
func TestQuantileAgainstSort(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const groups = 50
	var recs []arrow.Record
	byGroup := map[int64][]int64{}
	for b := 0; b < 20; b++ {
		n := 1 + r.Intn(3000)
		kbuf, ks := vector.AllocValues[int64](mem, n)
		vbuf, vs := vector.AllocValues[int64](mem, n)
		valid := make([]bool, n)
		for i := range ks {
			ks[i] = int64(r.Intn(groups)) * int64(r.Intn(2)) // group 0 is large
			vs[i] = int64(r.Intn(100))
			valid[i] = r.Intn(10) > 0 || ks[i] == 7 // group 7: never NULL
			if ks[i] == 9 {
				valid[i] = false // group 9: only NULLs
			}
			if valid[i] {
				byGroup[ks[i]] = append(byGroup[ks[i]], vs[i])
			}
		}
		validity, nulls := vector.ValidityOf(mem, valid)
		cols := []arrow.Array{vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, kbuf),
			vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, vbuf)}
		recs = append(recs, vector.NewRecord(quantileInSchema, cols, n))
	}
	fracs := []QuantileFrac{{Q: 0.5, Num: 5, Scale: 1, Exact: true}, {Q: 0.1}, {Q: 0.9, Desc: true}, {Q: 1}, {Q: 0}}
	for _, f := range fracs {
		src := NewRecords(quantileInSchema, recs, "random")
		agg, err := NewHashAggregate(src, []int{0}, []AggSpec{{Kind: AggQuantileDisc, Arg: 1, In: types.Int64Type, Out: types.Int64Type, Frac: f}}, quantileOutSchema, 7)
		require.NoError(t, err)
		task := NewTask(context.Background(), mem)
		require.NoError(t, agg.Open(task))
		seen := 0
		for {
			rec, err := agg.Next(task)
			require.NoError(t, err)
			if rec == nil {
				break
			}
			keys, qs := rec.Column(0).(*array.Int64), rec.Column(1).(*array.Int64)
			for i := 0; i < keys.Len(); i++ {
				seen++
				vals := slices.Clone(byGroup[keys.Value(i)])
				if len(vals) == 0 {
					assert.True(t, qs.IsNull(i), "group %d has no values", keys.Value(i))
					continue
				}
				slices.Sort(vals)
				rank := int(math.Ceil(float64(len(vals))*f.Q)) - 1
				rank = max(rank, 0)
				if f.Desc {
					rank = len(vals) - 1 - rank
				}
				require.False(t, qs.IsNull(i))
				assert.Equal(t, vals[rank], qs.Value(i), "group %d, fraction %v of %d values", keys.Value(i), f, len(vals))
			}
			rec.Release()
		}
		assert.Positive(t, seen)
		require.NoError(t, agg.Close())
	}
	for _, r := range recs {
		r.Release()
	}
}
