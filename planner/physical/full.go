package physical

import (
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
)

// fullJoin builds a FULL JOIN. It always runs on the build-outer
// operators (buildLeftJoin), whose probes return the pairs and their own
// unmatched rows and whose top returns the unmatched build rows once every
// probe is done: the ordinary hash join, whose instances finish
// independently, has no point at which all the build rows' matches are
// known. Those operators hash the left input, so a FULL JOIN that should
// hash its right input (BuildLeft unset, the default) runs with its
// inputs swapped; buildLeftJoin's final projection puts the columns back
// in order.
func (b *builder) fullJoin(n *plan.Join) (operators.Operator, error) {
	j := *n
	if len(j.Equi) == 0 && j.Cond != nil {
		j.Equi, j.Cond = plan.SplitEquiJoin(j.Cond, j.Left.Columns(), j.Right.Columns())
	}
	if j.BuildLeft {
		return b.buildLeftJoin(&j)
	}
	swapped := &plan.Join{Kind: plan.FullJoin, Left: n.Right, Right: n.Left, Cond: j.Cond, Output: n.Columns(), BuildLeft: true}
	for _, e := range j.Equi {
		swapped.Equi = append(swapped.Equi, plan.EquiCond{L: e.R, R: e.L})
	}
	return b.buildLeftJoin(swapped)
}
