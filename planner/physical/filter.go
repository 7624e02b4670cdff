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
func filterStages(pred expr.Expr, input []plan.Column, in layout) ([]operators.FilterStage, error) {
	conj := plan.Conjuncts(pred)
	if len(conj) == 1 {
		ev, err := compile(pred, in)
		if err != nil {
			return nil, err
		}
		return []operators.FilterStage{{Pred: ev}}, nil
	}
	stages := make([]operators.FilterStage, len(conj))
	for i, c := range conj {
		var cols []int
		for id := range expr.Refs(c) {
			pos, ok := in[id]
			if !ok {
				return nil, sqlerr.New(sqlerr.ErrInternal, "filter column #%d is not available here", id)
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
			return nil, err
		}
		stages[i] = operators.FilterStage{Pred: ev, Cols: cols, Schema: arrow.NewSchema(fields, nil)}
	}
	return stages, nil
}
