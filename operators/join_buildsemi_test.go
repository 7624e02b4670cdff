package operators

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

var twoCols = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

// randomBatches makes n rows of (k, v) in batches: k in [0, keys) with
// some NULLs, v in [0, 100).
func randomBatches(mem memory.Allocator, r *rand.Rand, n, keys int, nulls bool) []arrow.Record {
	var out []arrow.Record
	for start := 0; start < n; start += 100 {
		b := array.NewRecordBuilder(mem, twoCols)
		for i := start; i < min(n, start+100); i++ {
			if nulls && r.Intn(10) == 0 {
				b.Field(0).AppendNull()
			} else {
				b.Field(0).(*array.Int64Builder).Append(int64(r.Intn(keys)))
			}
			b.Field(1).(*array.Int64Builder).Append(int64(r.Intn(100)))
		}
		out = append(out, b.NewRecord())
		b.Release()
	}
	return out
}

// rowsOf collects an operator's output as sorted rows, each its values
// joined by commas, and checks that Close is idempotent.
func rowsOf(t *testing.T, task *Task, op Operator) []string {
	t.Helper()
	require.NoError(t, op.Open(task))
	var out []string
	for {
		rec, err := op.Next(task)
		require.NoError(t, err)
		if rec == nil {
			break
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			vals := make([]string, rec.NumCols())
			for c := range vals {
				vals[c] = rec.Column(c).ValueStr(i)
			}
			out = append(out, strings.Join(vals, ","))
		}
		rec.Release()
	}
	require.NoError(t, op.Close())
	require.NoError(t, op.Close(), "Close is idempotent")
	slices.Sort(out)
	return out
}

// TestBuildLeftMatchesHashJoin compares the build-left semi and anti joins
// with the ordinary hash join (which hashes the right input) on random
// data with NULL keys, with and without a residual condition, and with one
// or two parallel probes.
func TestBuildLeftMatchesHashJoin(t *testing.T) {
	// residual: left.v < right.v; over build ++ probe (build-left) it reads
	// columns 1 and 3, over probe ++ build (hash join) the same.
	residual := func(t *testing.T) expr.Evaluator {
		return mustCompile(t, &expr.Binary{Op: expr.OpLt, L: &expr.ColumnRef{Index: 0, T: types.Int64Type},
			R: &expr.ColumnRef{Index: 1, T: types.Int64Type}, T: types.BoolType})
	}
	fullResidual := func(t *testing.T) expr.Evaluator {
		return mustCompile(t, &expr.Binary{Op: expr.OpLt, L: &expr.ColumnRef{Index: 1, T: types.Int64Type},
			R: &expr.ColumnRef{Index: 3, T: types.Int64Type}, T: types.BoolType})
	}
	for _, typ := range []JoinType{JoinSemi, JoinAnti, JoinAntiNullAware} {
		for _, withResidual := range []bool{false, true} {
			if typ == JoinAntiNullAware && withResidual {
				continue // NOT IN has no residual
			}
			for _, probes := range []int{1, 2} {
				for seed := int64(0); seed < 4; seed++ {
					name := fmt.Sprintf("%s/residual=%v/probes=%d/seed=%d", typ, withResidual, probes, seed)
					t.Run(name, func(t *testing.T) {
						mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
						defer mem.AssertSize(t, 0)
						r := rand.New(rand.NewSource(seed))
						// Seed 3 has no NULLs on the right (NOT IN then
						// returns rows); seed 2 an empty right side.
						rightRows := 700
						if seed == 2 {
							rightRows = 0
						}
						left := randomBatches(mem, r, 300, 50, true)
						right := randomBatches(mem, r, rightRows, 80, seed != 3)
						defer func() {
							for _, rec := range append(left, right...) {
								rec.Release()
							}
						}()
						task := NewTask(context.Background(), mem)

						var res expr.Evaluator
						if withResidual {
							res = fullResidual(t)
						}
						want := rowsOf(t, task, NewHashJoin(typ, NewRecords(twoCols, left, "l"),
							NewRecords(twoCols, right, "r"), []int{0}, []int{0}, res, 64, ""))

						side := NewBuildSide(NewRecords(twoCols, left, "l"), []int{0}, probes+1)
						m := &BuildMatches{}
						var ins []Operator
						for p := 0; p < probes; p++ {
							part := dealt(right, p, probes)
							var pres expr.Evaluator
							var gather []int
							if withResidual {
								pres, gather = residual(t), []int{1, 3}
							}
							ins = append(ins, NewBuildSemiProbe(side, m, NewRecords(twoCols, part, "r"), []int{0}, pres, gather, 64))
						}
						var child Operator = ins[0]
						if probes > 1 {
							child = NewGather(ins, "")
						}
						got := rowsOf(t, task, NewBuildSemiJoin(typ, side, m, child, 64, ""))
						require.Equal(t, want, got)
					})
				}
			}
		}
	}
}

// dealt returns the batches probe p of n gets when recs are dealt out in
// turn, as parallel probes would read them.
func dealt(recs []arrow.Record, p, n int) []arrow.Record {
	var part []arrow.Record
	for i := p; i < len(recs); i += n {
		part = append(part, recs[i])
	}
	return part
}
