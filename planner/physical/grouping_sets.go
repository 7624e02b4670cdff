package physical

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/types"
)

// groupingSets builds GROUP BY GROUPING SETS as one hash aggregate per set
// over the input computed once: the input runs into a Spool and every
// set's aggregate reads it, so a ROLLUP of three keys scans and filters
// its table once, not four times. Each set's rows are projected to the
// full row (NULL for the keys it does not group, its grouping() values as
// constants) and a UNION ALL concatenates them, the sets in order.
func (b *builder) groupingSets(n *plan.GroupingSets) (operators.Operator, error) {
	var src plan.Node = n.Input
	if len(n.Sets) > 1 {
		child, err := b.build(n.Input)
		if err != nil {
			return nil, err
		}
		src = &spoolInput{spool: operators.NewSpool(child), cols: n.Input.Columns()}
	}
	out := n.Columns()
	union := &plan.Union{Cols: out}
	for s, set := range n.Sets {
		agg := &plan.Aggregate{Input: src, Aggs: n.Aggs, AggCols: n.AggCols}
		grouped := make(map[int]bool, len(set))
		for _, k := range set {
			grouped[k] = true
			agg.Keys = append(agg.Keys, n.Keys[k])
			agg.KeyCols = append(agg.KeyCols, n.KeyCols[k])
		}
		if len(set) == 0 && len(n.Aggs) == 0 {
			// The empty set's one row needs an aggregate to exist.
			agg.Aggs = []plan.AggCall{{Kind: operators.AggCountStar}}
			agg.AggCols = []plan.Column{{ID: b.nextTemp(), Name: "count_star()", Type: types.Int64Type}}
		}
		proj := &plan.Project{Input: agg, Cols: out}
		for i, c := range n.KeyCols {
			if grouped[i] {
				proj.Exprs = append(proj.Exprs, c.Ref())
			} else {
				proj.Exprs = append(proj.Exprs, &expr.Literal{T: c.Type})
			}
		}
		for _, c := range n.AggCols {
			proj.Exprs = append(proj.Exprs, c.Ref())
		}
		for g := range n.Groupings {
			proj.Exprs = append(proj.Exprs, &expr.Literal{Value: expr.IntDatum(n.GroupingValue(g, s)), T: types.Int64Type})
		}
		union.Ins = append(union.Ins, proj)
	}
	return b.build(union)
}

// spoolInput stands, in the per-set aggregates of a GroupingSets node, for
// the input they share: each place it is built becomes one reader of the
// spool. It exists only inside the physical planner.
type spoolInput struct {
	spool *operators.Spool
	cols  []plan.Column
}

func (n *spoolInput) Columns() []plan.Column           { return n.cols }
func (n *spoolInput) Inputs() []plan.Node              { return nil }
func (n *spoolInput) WithInputs([]plan.Node) plan.Node { return n }
func (n *spoolInput) Explain() string                  { return "SpoolRead" }
