package operators

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// Every operator is run on a source that never ends, and cancelled before
// its first Next and in the middle of its work. "It ran to the end" can
// never pass by accident: without a context check these tests hang.

func col(i int) *expr.ColumnRef { return &expr.ColumnRef{Index: i, T: types.Int64Type, Name: "x"} }

func lit(v int64) *expr.Literal { return &expr.Literal{Value: expr.IntDatum(v), T: types.Int64Type} }

func mustCompile(t testing.TB, e expr.Expr) expr.Evaluator {
	ev, err := expr.Compile(e)
	require.NoError(t, err)
	return ev
}

func lessThan(t testing.TB, i int, v int64) expr.Evaluator {
	return mustCompile(t, &expr.Binary{Op: expr.OpLt, L: col(i), R: lit(v), T: types.BoolType})
}

var aggSchema = arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

var groupSchema = arrow.NewSchema([]arrow.Field{
	{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

var selAggSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "c", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "s", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

// opCase builds an operator over the given sources.
type opCase struct {
	name  string
	build func(t testing.TB, src func() Operator) Operator
}

// opCases lists every operator, each arranged so that, over an endless
// source, it keeps working without producing (or while producing) output.
func opCases() []opCase {
	return []opCase{
		{"filter_rejects_all", func(t testing.TB, src func() Operator) Operator {
			return NewFilter(src(), lessThan(t, 0, -1), "x < -1")
		}},
		{"project", func(t testing.TB, src func() Operator) Operator {
			add := mustCompile(t, &expr.Binary{Op: expr.OpAdd, L: col(0), R: lit(1), T: types.Int64Type})
			return NewProject(src(), []expr.Evaluator{add}, genSchema, []string{"x + 1"})
		}},
		{"limit_huge_offset", func(t testing.TB, src func() Operator) Operator {
			return NewLimit(src(), math.MaxInt64/2, 10)
		}},
		{"sort", func(t testing.TB, src func() Operator) Operator {
			return NewSort(src(), []SortKey{{Col: 0, Desc: true}}, 1024)
		}},
		{"window", func(t testing.TB, src func() Operator) Operator {
			return newTestWindow(src(), nil)
		}},
		{"topk", func(t testing.TB, src func() Operator) Operator {
			return NewTopK(src(), []SortKey{{Col: 0, Desc: true}}, 10, 1024)
		}},
		{"aggregate_scalar", func(t testing.TB, src func() Operator) Operator {
			a, err := NewHashAggregate(src(), nil, []AggSpec{{Kind: AggSum, Arg: 0, In: types.Int64Type, Out: types.Int64Type}}, aggSchema, 1024)
			require.NoError(t, err)
			return a
		}},
		{"aggregate_groups", func(t testing.TB, src func() Operator) Operator {
			a, err := NewHashAggregate(src(), []int{0}, []AggSpec{{Kind: AggCountStar, Arg: -1, In: types.NullType, Out: types.Int64Type}}, groupSchema, 1024)
			require.NoError(t, err)
			return a
		}},
		{"aggregate_over_dense_filter", func(t testing.TB, src func() Operator) Operator {
			// The filter keeps 99 rows in 100 and hands its selection on;
			// the projection computes over whole batches, the aggregate
			// reads the selected rows (selection.go).
			mod := func(k int64) expr.Expr { return &expr.Binary{Op: expr.OpMod, L: col(0), R: lit(k), T: types.Int64Type} }
			keep := mustCompile(t, &expr.Binary{Op: expr.OpNe, L: mod(100), R: lit(0), T: types.BoolType})
			key := mustCompile(t, mod(7))
			plus := mustCompile(t, &expr.Binary{Op: expr.OpAdd, L: col(0), R: lit(1), T: types.Int64Type})
			proj := NewProject(NewFilter(src(), keep, "x % 100 <> 0"), []expr.Evaluator{key, plus}, groupSchema, []string{"x % 7", "x + 1"})
			a, err := NewHashAggregate(proj, []int{0}, []AggSpec{
				{Kind: AggCountStar, Arg: -1, In: types.NullType, Out: types.Int64Type},
				{Kind: AggCount, Arg: 1, In: types.Int64Type, Out: types.Int64Type},
				{Kind: AggSum, Arg: 1, In: types.Int64Type, Out: types.Int64Type},
			}, selAggSchema, 1024)
			require.NoError(t, err)
			return a
		}},
		{"distinct", func(t testing.TB, src func() Operator) Operator {
			a, err := NewHashAggregate(src(), []int{0}, nil, genSchema, 1024)
			require.NoError(t, err)
			return a
		}},
		{"hash_join_build", func(t testing.TB, src func() Operator) Operator {
			return NewHashJoin(JoinInner, finite(10), src(), []int{0}, []int{0}, nil, 1024, "")
		}},
		{"hash_join_probe_residual_rejects", func(t testing.TB, src func() Operator) Operator {
			return NewHashJoin(JoinInner, src(), groups(10).limitRows(1000), []int{0}, []int{0}, lessThan(t, 0, -1), 1024, "")
		}},
		{"semi_join_no_matches", func(t testing.TB, src func() Operator) Operator {
			// Only the first ten probe rows match; the rest is scanned in vain.
			return NewHashJoin(JoinSemi, src(), finite(10), []int{0}, []int{0}, nil, 1024, "")
		}},
		{"anti_join_all_match", func(t testing.TB, src func() Operator) Operator {
			return NewHashJoin(JoinAnti, src(), finite(1<<20), []int{0}, []int{0}, nil, 1024, "")
		}},
		{"semi_join_build_left_probe", func(t testing.TB, src func() Operator) Operator {
			side := NewBuildSide(finite(10), []int{0}, 2)
			m := &BuildMatches{}
			return NewBuildSemiJoin(JoinSemi, side, m, NewBuildSemiProbe(side, m, src(), []int{0}, nil, nil, 1024), 1024, "")
		}},
		{"anti_join_build_left_residual_rejects", func(t testing.TB, src func() Operator) Operator {
			// Candidates are found and all rejected by the residual.
			side := NewBuildSide(groups(10).limitRows(1000), []int{0}, 2)
			m := &BuildMatches{}
			probe := NewBuildSemiProbe(side, m, src(), []int{0}, lessThan(t, 0, -1), []int{0}, 1024)
			return NewBuildSemiJoin(JoinAnti, side, m, probe, 1024, "")
		}},
		{"semi_join_build_left_build", func(t testing.TB, src func() Operator) Operator {
			side := NewBuildSide(src(), []int{0}, 2)
			m := &BuildMatches{}
			return NewBuildSemiJoin(JoinSemi, side, m, NewBuildSemiProbe(side, m, finite(10), []int{0}, nil, nil, 1024), 1024, "")
		}},
		{"left_join_build_left_probe", func(t testing.TB, src func() Operator) Operator {
			// Two left rows match; the endless right input streams past.
			side := NewBuildSide(finite(2), []int{0}, 2)
			m := &BuildMatches{}
			return NewBuildOuterJoin(side, m, NewBuildOuterProbe(side, m, src(), []int{0}, nil, nil, 1024), 1024, "")
		}},
		{"left_join_build_left_residual_rejects", func(t testing.TB, src func() Operator) Operator {
			side := NewBuildSide(groups(10).limitRows(1000), []int{0}, 2)
			m := &BuildMatches{}
			probe := NewBuildOuterProbe(side, m, src(), []int{0}, lessThan(t, 0, -1), []int{0}, 1024)
			return NewBuildOuterJoin(side, m, probe, 1024, "")
		}},
		{"left_join_build_left_build", func(t testing.TB, src func() Operator) Operator {
			side := NewBuildSide(src(), []int{0}, 2)
			m := &BuildMatches{}
			return NewBuildOuterJoin(side, m, NewBuildOuterProbe(side, m, finite(10), []int{0}, nil, nil, 1024), 1024, "")
		}},
		{"full_join_probe", func(t testing.TB, src func() Operator) Operator {
			// Two build rows match; every other probe row comes out
			// NULL-extended.
			side := NewBuildSide(finite(2), []int{0}, 2)
			m := &BuildMatches{}
			return NewBuildFullJoin(side, m, NewBuildFullProbe(side, m, src(), []int{0}, nil, nil, 1024), 1024, "")
		}},
		{"full_join_residual_rejects", func(t testing.TB, src func() Operator) Operator {
			side := NewBuildSide(groups(10).limitRows(1000), []int{0}, 2)
			m := &BuildMatches{}
			probe := NewBuildFullProbe(side, m, src(), []int{0}, lessThan(t, 0, -1), []int{0}, 1024)
			return NewBuildFullJoin(side, m, probe, 1024, "")
		}},
		{"full_join_build", func(t testing.TB, src func() Operator) Operator {
			side := NewBuildSide(src(), []int{0}, 2)
			m := &BuildMatches{}
			return NewBuildFullJoin(side, m, NewBuildFullProbe(side, m, finite(10), []int{0}, nil, nil, 1024), 1024, "")
		}},
		{"full_join_nested_loop_rejects", func(t testing.TB, src func() Operator) Operator {
			// No keys: every probe row meets a thousand build rows, all
			// rejected, before it comes out NULL-extended.
			side := NewBuildSide(finite(1000), nil, 2)
			m := &BuildMatches{}
			probe := NewBuildFullProbe(side, m, src(), nil, lessThan(t, 0, -1), []int{0}, 1024)
			return NewBuildFullJoin(side, m, probe, 1024, "")
		}},
		{"nested_loop_zero_rows", func(t testing.TB, src func() Operator) Operator {
			return NewNestedLoopJoin(JoinInner, src(), finite(1000), lessThan(t, 1, -1), 1024, "")
		}},
		{"union_of_many", func(t testing.TB, src func() Operator) Operator {
			var ins []Operator
			for i := 0; i < 50; i++ {
				ins = append(ins, finite(0))
			}
			ins = append(ins, NewFilter(src(), lessThan(t, 0, -1), "x < -1"))
			return NewUnion(ins, genSchema)
		}},
		{"gather", func(t testing.TB, src func() Operator) Operator {
			return NewGather([]Operator{src(), src()}, "")
		}},
		{"gather_filter_rejects_all", func(t testing.TB, src func() Operator) Operator {
			return NewGather([]Operator{
				NewFilter(src(), lessThan(t, 0, -1), "x < -1"),
				NewFilter(src(), lessThan(t, 0, -1), "x < -1")}, "")
		}},
		{"partitioned_aggregate", func(t testing.TB, src func() Operator) Operator {
			return newTestPartitioned(t, []Operator{src(), src()})
		}},
		{"partitioned_aggregate_groups_rejected", func(t testing.TB, src func() Operator) Operator {
			// Every group is merged and then filtered away: no output for a long time.
			return NewFilter(newTestPartitioned(t, []Operator{src(), src()}), lessThan(t, 0, -1), "x < -1")
		}},
		{"merge_exchange", func(t testing.TB, src func() Operator) Operator {
			keys := []SortKey{{Col: 0, Desc: true}}
			return NewMergeExchange([]Operator{NewSort(src(), keys, 1024), NewSort(src(), keys, 1024)}, keys, 1024)
		}},
		{"spool_two_readers", func(t testing.TB, src func() Operator) Operator {
			sp := NewSpool(src())
			return NewUnion([]Operator{sp.Reader(genSchema), sp.Reader(genSchema)}, genSchema)
		}},
		{"spool_reader_waits", func(t testing.TB, src func() Operator) Operator {
			// Two goroutines: one runs the spool's input, the other waits.
			sp := NewSpool(src())
			return NewGather([]Operator{sp.Reader(genSchema), sp.Reader(genSchema)}, "")
		}},
		{"repeat", func(t testing.TB, src func() Operator) Operator {
			return newTestRepeat(t, src(), &expr.Binary{Op: expr.OpMod, L: col(0), R: lit(4), T: types.Int64Type})
		}},
		{"repeat_zero_counts", func(t testing.TB, src func() Operator) Operator {
			// No row is repeated: no output for a long time.
			return newTestRepeat(t, src(), &expr.Binary{Op: expr.OpSub, L: lit(0), R: col(0), T: types.Int64Type})
		}},
		// The base term is the source: the recursion starts after it.
		{"recursive_cte_base", func(t testing.TB, src func() Operator) Operator {
			return newTestRecursive(t, src(), recursionTerm{stop: 10, step: 1}, false)
		}},
		// UNION: every base row is hashed against the rows produced.
		{"recursive_cte_distinct", func(t testing.TB, src func() Operator) Operator {
			return newTestRecursive(t, src(), recursionTerm{stop: -1, mod: 7}, true)
		}},
		{"scan", func(t testing.TB, src func() Operator) Operator {
			return NewFilter(NewScan(&opSource{op: src()}), lessThan(t, 0, -1), "x < -1")
		}},
	}
}

// newTestRepeat repeats the rows of src count times (an expression over
// its column x).
func newTestRepeat(t testing.TB, src Operator, count expr.Expr) Operator {
	p := NewProject(src, []expr.Evaluator{mustCompile(t, col(0)), mustCompile(t, count)}, groupSchema, []string{"x", "count"})
	r, err := NewRepeat(p, 1, genSchema, 1024)
	require.NoError(t, err)
	return r
}

// limitRows makes a grouped generator finite.
func (g *genOp) limitRows(n int64) *genOp { g.rows = n; return g }

type result struct {
	err error
	at  time.Time
}

// drain opens op and pulls until an error or the end, releasing batches.
func drain(t *Task, op Operator) error {
	if err := op.Open(t); err != nil {
		return err
	}
	for {
		rec, err := op.Next(t)
		if err != nil {
			return err
		}
		if rec == nil {
			return nil
		}
		rec.Release()
	}
}

func TestCancelBeforeFirstNext(t *testing.T) {
	for _, c := range opCases() {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			op := c.build(t, func() Operator { return infinite() })
			err := drain(NewTask(ctx, mem), op)
			require.ErrorIs(t, err, context.Canceled)
			require.NoError(t, op.Close())
			require.NoError(t, op.Close(), "Close is idempotent")
		})
	}
}

func TestCancelMidStream(t *testing.T) {
	for _, c := range opCases() {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			op := c.build(t, func() Operator { return infinite() })
			cancelDuring(t, op, 20*time.Millisecond, func(task *Task) error { return drain(task, op) }, mem)
		})
	}
}

// cancelDuring runs run in a query's goroutine group with a task of mem,
// cancels the query after wait, and requires run to return
// context.Canceled promptly, the group to join and op to close.
func cancelDuring(t *testing.T, op Operator, wait time.Duration, run func(*Task) error, mem memory.Allocator) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g := NewGroup(ctx)
	done := make(chan result, 1)
	g.Go("driver", func(ctx context.Context) error {
		err := run(NewTask(ctx, mem))
		done <- result{err, time.Now()}
		return nil
	})
	time.Sleep(wait)
	cancelled := time.Now()
	cancel()
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop within 10s of cancel")
	}
	require.ErrorIs(t, r.err, context.Canceled)
	// Generous bound: the machines are shared; the benchmarks report the
	// real latency.
	require.Less(t, r.at.Sub(cancelled), time.Second)
	require.NoError(t, g.Wait())
	require.NoError(t, op.Close())
}

func TestOperatorsFinishAndFail(t *testing.T) {
	for _, c := range opCases() {
		t.Run(c.name+"/success", func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			op := c.build(t, func() Operator { return finite(5000) })
			require.NoError(t, drain(NewTask(context.Background(), mem), op))
			require.NoError(t, op.Close())
		})
		t.Run(c.name+"/error", func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			op := c.build(t, func() Operator { return failing(3) })
			err := drain(NewTask(context.Background(), mem), op)
			require.True(t, errors.Is(err, errGen), "got %v", err)
			require.NoError(t, op.Close())
		})
	}
}
