package operators

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// recursionTerm is a recursive term over a working table of genSchema:
// x + step for the rows with x < stop (every row when stop < 0), or x %
// mod when mod > 0.
type recursionTerm struct {
	stop, step, mod int64
	failAt          int // the iteration whose tree fails to build (0: none)
}

// newTestRecursive returns a RecursiveCTE over base with the given term.
func newTestRecursive(t testing.TB, base Operator, term recursionTerm, distinct bool) *RecursiveCTE {
	wt := NewWorkTable()
	iter := 0
	build := func() (Operator, error) {
		iter++
		if term.failAt > 0 && iter >= term.failAt {
			return nil, errGen
		}
		var op Operator = NewWorkTableScan(wt, genSchema, "t")
		if term.stop >= 0 {
			op = NewFilter(op, lessThan(t, 0, term.stop), "x < stop")
		}
		e := expr.Expr(&expr.Binary{Op: expr.OpAdd, L: col(0), R: lit(term.step), T: types.Int64Type})
		if term.mod > 0 {
			e = &expr.Binary{Op: expr.OpMod, L: col(0), R: lit(term.mod), T: types.Int64Type}
		}
		return NewProject(op, []expr.Evaluator{mustCompile(t, e)}, genSchema, []string{"next"}), nil
	}
	return NewRecursiveCTE("t", base, nil, build, wt, genSchema, []types.T{types.Int64Type}, distinct)
}

// drainSum drains op, returning its rows and their sum.
func drainSum(t *Task, op Operator) (rows, sum int64, err error) {
	if err := op.Open(t); err != nil {
		return 0, 0, err
	}
	for {
		rec, err := op.Next(t)
		if err != nil || rec == nil {
			return rows, sum, err
		}
		for _, v := range rec.Column(0).(*array.Int64).Int64Values() {
			sum += v
		}
		rows += rec.NumRows()
		rec.Release()
	}
}

func TestRecursiveCTE(t *testing.T) {
	cases := []struct {
		name      string
		base      Operator
		term      recursionTerm
		distinct  bool
		rows, sum int64
	}{
		// {0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5}
		{"count", finite(2), recursionTerm{stop: 5, step: 1}, false, 11, 30},
		{"empty_base", finite(0), recursionTerm{stop: -1, step: 1}, false, 0, 0},
		{"no_recursion", finite(3000), recursionTerm{stop: 0, step: 1}, false, 3000, 3000 * 2999 / 2},
		// 3000 rows a level over three batches; levels 0..3000, 3000+1..6000, ...
		{"several_batches", finite(3000), recursionTerm{stop: 9000, step: 3000}, false, 12000, 12000 * 11999 / 2},
		// x % 7 over 0..99 adds nothing new: the base has 0..6.
		{"distinct_stops", finite(100), recursionTerm{stop: -1, mod: 7}, true, 100, 100 * 99 / 2},
		// 0..9 then x+1 with UNION: 10, then nothing new below 10.
		{"distinct_new_rows", finite(10), recursionTerm{stop: 10, step: 1}, true, 11, 55},
		// UNION drops the base term's own duplicates.
		{"distinct_base", groups(5).limitRows(1000), recursionTerm{stop: 0, step: 1}, true, 5, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			op := newTestRecursive(t, c.base, c.term, c.distinct)
			rows, sum, err := drainSum(NewTask(context.Background(), mem), op)
			require.NoError(t, err)
			require.NoError(t, op.Close())
			require.Equal(t, c.rows, rows)
			require.Equal(t, c.sum, sum)
		})
	}
}

// TestRecursiveCTEReleasesIterations runs 2000 iterations of a
// 1000-row working table: what the query holds stays about two working
// tables (the one read and the one being made), not the whole result.
func TestRecursiveCTEReleasesIterations(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tracker := NewMemTracker(0)
	task := NewTask(context.Background(), NewTrackedAllocator(mem, tracker), WithMemTracker(tracker))
	op := newTestRecursive(t, finite(1000), recursionTerm{stop: 2000 * 1000, step: 1000}, false)
	rows, _, err := drainSum(task, op)
	require.NoError(t, err)
	require.Equal(t, int64(2001*1000), rows)
	require.NoError(t, op.Close())
	require.Less(t, tracker.Peak(), int64(64<<10), "peak %d bytes", tracker.Peak())
	require.Zero(t, tracker.Used())
}

// TestRecursiveCTEEndless cancels recursions that never end: one row an
// iteration forever (UNION ALL), and ever new rows under UNION, whose set
// keeps growing. Nothing may be left behind.
func TestRecursiveCTEEndless(t *testing.T) {
	for _, distinct := range []bool{false, true} {
		t.Run(map[bool]string{false: "union_all", true: "union"}[distinct], func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			op := newTestRecursive(t, finite(1), recursionTerm{stop: -1, step: 1}, distinct)
			cancelDuring(t, op, 30*time.Millisecond, func(task *Task) error { return drain(task, op) }, mem)
			require.NoError(t, op.Close(), "Close is idempotent")
		})
	}
}

// TestRecursiveCTEMemoryLimit: a working table that doubles every
// iteration fails with the memory-limit error, naming the operator.
func TestRecursiveCTEMemoryLimit(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tracker := NewMemTracker(8 << 20)
	task := NewTask(context.Background(), NewTrackedAllocator(mem, tracker), WithMemTracker(tracker))
	task.curName = func() string { return "RecursiveCTE" }
	wt := NewWorkTable()
	// Each row comes back twice: x and x + 1 (a UNION ALL of two scans).
	build := func() (Operator, error) {
		a := NewWorkTableScan(wt, genSchema, "t")
		b := NewProject(NewWorkTableScan(wt, genSchema, "t"),
			[]expr.Evaluator{mustCompile(t, &expr.Binary{Op: expr.OpAdd, L: col(0), R: lit(1), T: types.Int64Type})}, genSchema, []string{"x + 1"})
		return NewUnion([]Operator{a, b}, genSchema), nil
	}
	op := NewRecursiveCTE("t", finite(1000), nil, build, wt, genSchema, []types.T{types.Int64Type}, false)
	_, _, err := drainSum(task, op)
	var limit *MemoryLimitError
	require.True(t, errors.As(err, &limit), "got %v", err)
	require.NoError(t, op.Close())
	require.Zero(t, tracker.Used())
}

// TestRecursiveCTEFailures: an iteration's tree that fails to build, and
// a base term that fails, leave nothing behind.
func TestRecursiveCTEFailures(t *testing.T) {
	for _, c := range []struct {
		name string
		base Operator
		term recursionTerm
	}{
		{"build", finite(10), recursionTerm{stop: -1, step: 1, failAt: 3}},
		{"base", failing(3), recursionTerm{stop: -1, step: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			op := newTestRecursive(t, c.base, c.term, false)
			err := drain(NewTask(context.Background(), mem), op)
			require.ErrorIs(t, err, errGen)
			require.NoError(t, op.Close())
		})
	}
}
