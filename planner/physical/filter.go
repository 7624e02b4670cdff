package physical

import (
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
)

// filterStages splits a filter's predicate into its conjuncts, each
// compiled over just the input columns it reads, so that the filter can
// evaluate it on those columns of the rows the conjuncts before it kept.
// A predicate that is not a conjunction is one stage over whole batches.
//
// The conjuncts that cannot fail run first, cheapest first (see
// orderConjuncts). Consecutive comparisons of one column with constants
// (a range, as in Q6's dates and discounts) make one stage: both bounds
// are checked on the same rows, a word of results at a time, instead of
// the second on a gathered copy of the rows the first kept. Such
// comparisons cannot fail, so evaluating them together changes no result.
//
// desc is the predicate in the order it is evaluated, for EXPLAIN.
func filterStages(pred expr.Expr, input []plan.Column, in layout) (stages []operators.FilterStage, desc string, err error) {
	ordered := orderConjuncts(plan.Conjuncts(pred))
	desc = pred.String()
	if len(ordered) > 1 {
		desc = (&expr.And{Args: ordered}).String()
	}
	conj := groupRanges(ordered)
	if len(conj) == 1 {
		ev, err := compile(pred, in)
		if err != nil {
			return nil, "", err
		}
		return []operators.FilterStage{{Pred: ev}}, desc, nil
	}
	stages = make([]operators.FilterStage, len(conj))
	for i, c := range conj {
		var cols []int
		for id := range expr.Refs(c) {
			pos, ok := in[id]
			if !ok {
				return nil, "", sqlerr.New(sqlerr.ErrInternal, "filter column #%d is not available here", id)
			}
			cols = append(cols, pos)
		}
		slices.Sort(cols)
		cols = slices.Compact(cols)
		narrow := make(layout, len(cols))
		fields := make([]arrow.Field, len(cols))
		for j, pos := range cols {
			narrow[input[pos].ID] = j
			fields[j] = arrow.Field{Name: input[pos].Name, Type: input[pos].Type.Arrow(), Nullable: true}
		}
		ev, err := compile(c, narrow)
		if err != nil {
			return nil, "", err
		}
		stages[i] = operators.FilterStage{Pred: ev, Cols: cols, Schema: arrow.NewSchema(fields, nil)}
	}
	return stages, desc, nil
}

// groupRanges merges runs of consecutive column-constant comparisons on
// the same column into one AND.
func groupRanges(conj []expr.Expr) []expr.Expr {
	var out []expr.Expr
	for i := 0; i < len(conj); {
		col, ok := constComparison(conj[i])
		j := i + 1
		for ok && j < len(conj) {
			if c, ok2 := constComparison(conj[j]); !ok2 || c != col {
				break
			}
			j++
		}
		if j-i == 1 {
			out = append(out, conj[i])
		} else {
			out = append(out, &expr.And{Args: append([]expr.Expr(nil), conj[i:j]...)})
		}
		i = j
	}
	return out
}

// constComparison reports the column a "column <op> constant" comparison
// (either way round) reads.
func constComparison(e expr.Expr) (expr.ColumnID, bool) {
	b, ok := e.(*expr.Binary)
	if !ok || !b.Op.IsComparison() {
		return 0, false
	}
	l, r := b.L, b.R
	if _, isLit := l.(*expr.Literal); isLit {
		l, r = r, l
	}
	c, isCol := l.(*expr.ColumnRef)
	if _, isLit := r.(*expr.Literal); !isCol || !isLit {
		return 0, false
	}
	return c.ID, true
}
