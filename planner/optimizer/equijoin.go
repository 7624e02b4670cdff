package optimizer

import "github.com/minisql/minisql/planner/plan"

// ExtractEquiJoins splits every join condition into equality keys (left
// expression = right expression, what a hash join needs) and a residual.
func ExtractEquiJoins(n plan.Node) (plan.Node, bool) {
	changed := false
	var walk func(plan.Node) plan.Node
	walk = func(n plan.Node) plan.Node {
		ins := n.Inputs()
		newIns := make([]plan.Node, len(ins))
		for i, in := range ins {
			newIns[i] = walk(in)
		}
		if len(ins) > 0 {
			n = n.WithInputs(newIns)
		}
		if j, ok := n.(*plan.Join); ok && j.Cond != nil {
			equi, rest := plan.SplitEquiJoin(j.Cond, j.Left.Columns(), j.Right.Columns())
			if len(equi) > 0 {
				c := *j
				c.Equi = append(append([]plan.EquiCond{}, j.Equi...), equi...)
				c.Cond = rest
				changed = true
				return &c
			}
		}
		return n
	}
	return walk(n), changed
}
