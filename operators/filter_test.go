package operators

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// TestStagedFilterMatchesWholePredicate: a filter evaluating its
// conjuncts one stage at a time, each on the rows the ones before kept,
// keeps exactly the rows one evaluation of their AND keeps, in every
// order of the stages, with and without an output projection.
func TestStagedFilterMatchesWholePredicate(t *testing.T) {
	k := func(i int) *expr.ColumnRef { return &expr.ColumnRef{Index: i, T: types.Int64Type, Name: "k"} }
	v := func(i int) *expr.ColumnRef { return &expr.ColumnRef{Index: i, T: types.Int64Type, Name: "v"} }
	cmp := func(op expr.BinOp, l, r expr.Expr) expr.Expr {
		return &expr.Binary{Op: op, L: l, R: r, T: types.BoolType}
	}
	sum := func(l, r expr.Expr) expr.Expr { return &expr.Binary{Op: expr.OpAdd, L: l, R: r, T: types.Int64Type} }
	kOnly := arrow.NewSchema([]arrow.Field{twoCols.Field(0)}, nil)
	vOnly := arrow.NewSchema([]arrow.Field{twoCols.Field(1)}, nil)
	type conjunct struct {
		whole  expr.Expr // over (k, v)
		narrow expr.Expr // over Cols
		cols   []int
		schema *arrow.Schema
	}
	conjuncts := []conjunct{
		{cmp(expr.OpGt, k(0), lit(10)), cmp(expr.OpGt, k(0), lit(10)), []int{0}, kOnly},
		{cmp(expr.OpLt, v(1), lit(60)), cmp(expr.OpLt, v(0), lit(60)), []int{1}, vOnly},
		{cmp(expr.OpLt, sum(k(0), v(1)), lit(120)), cmp(expr.OpLt, sum(k(0), v(1)), lit(120)), []int{0, 1}, twoCols},
		// Keeps every row it sees (v is never NULL).
		{cmp(expr.OpGe, v(1), lit(0)), cmp(expr.OpGe, v(0), lit(0)), []int{1}, vOnly},
		// A constant, over no columns.
		{&expr.Literal{Value: expr.BoolDatum(true), T: types.BoolType}, &expr.Literal{Value: expr.BoolDatum(true), T: types.BoolType}, []int{}, arrow.NewSchema(nil, nil)},
		// Over whole batches (nil Cols).
		{cmp(expr.OpNe, k(0), lit(55)), cmp(expr.OpNe, k(0), lit(55)), nil, nil},
	}
	orders := [][]int{{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {2, 0, 5, 1, 3, 4}, {3, 4}, {1}}
	for _, order := range orders {
		for _, project := range []bool{false, true} {
			for seed := int64(0); seed < 3; seed++ {
				t.Run(fmt.Sprintf("order=%v/project=%v/seed=%d", order, project, seed), func(t *testing.T) {
					mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
					defer mem.AssertSize(t, 0)
					recs := randomBatches(mem, rand.New(rand.NewSource(seed)), 1000, 100, true)
					defer func() {
						for _, rec := range recs {
							rec.Release()
						}
					}()
					var stages []FilterStage
					var whole []expr.Expr
					for _, i := range order {
						c := conjuncts[i]
						stages = append(stages, FilterStage{Pred: mustCompile(t, c.narrow), Cols: c.cols, Schema: c.schema})
						whole = append(whole, c.whole)
					}
					var pred expr.Expr = whole[0]
					if len(whole) > 1 {
						pred = &expr.And{Args: whole}
					}
					staged := NewStagedFilter(NewRecords(twoCols, recs, "t"), stages, "staged")
					ref := NewFilter(NewRecords(twoCols, recs, "t"), mustCompile(t, pred), "whole")
					if project {
						staged.Project([]int{1})
						ref.Project([]int{1})
					}
					task := NewTask(context.Background(), mem)
					want := rowsOf(t, task, ref)
					got := rowsOf(t, task, staged)
					require.NotEmpty(t, want)
					assert.Equal(t, want, got)
				})
			}
		}
	}
}

// TestStagedFilterGuards: a conjunct never sees a row an earlier one
// rejected, so "v <> 0 AND k DIV v > 1" does not divide by zero.
func TestStagedFilterGuards(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	recs := randomBatches(mem, rand.New(rand.NewSource(7)), 500, 100, true)
	defer func() {
		for _, rec := range recs {
			rec.Release()
		}
	}()
	ne := &expr.Binary{Op: expr.OpNe, L: col(1), R: lit(0), T: types.BoolType}
	div := &expr.Binary{Op: expr.OpGt, T: types.BoolType, R: lit(1),
		L: &expr.Binary{Op: expr.OpIntDiv, L: col(0), R: col(1), T: types.Int64Type}}
	task := NewTask(context.Background(), mem)

	whole := NewFilter(NewRecords(twoCols, recs, "t"), mustCompile(t, &expr.And{Args: []expr.Expr{ne, div}}), "whole")
	require.NoError(t, whole.Open(task))
	_, err := drainErr(task, whole)
	require.ErrorContains(t, err, "division by zero", "the data must hold a zero divisor")
	require.NoError(t, whole.Close())

	staged := NewStagedFilter(NewRecords(twoCols, recs, "t"), []FilterStage{
		{Pred: mustCompile(t, ne)}, {Pred: mustCompile(t, div)}}, "staged")
	assert.NotEmpty(t, rowsOf(t, task, staged))
}

// drainErr reads op to its end and returns the rows read and the error.
func drainErr(task *Task, op Operator) (int64, error) {
	var rows int64
	for {
		rec, err := op.Next(task)
		if err != nil || rec == nil {
			return rows, err
		}
		rows += rec.NumRows()
		rec.Release()
	}
}
