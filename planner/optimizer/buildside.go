package optimizer

import "github.com/minisql/minisql/planner/plan"

// buildLeftRatio is how much larger the right input of a semi or anti join
// must be estimated before the join hashes its left input instead: the
// estimates are rough, and a wrong switch makes the hash table the large
// side's.
const buildLeftRatio = 2

// ChooseBuildSides makes a semi, anti, NOT IN or LEFT hash join build on
// its left input (the rows it keeps) when that is much smaller than its
// right input. Joins hash their right input by default; reorder_joins puts
// the smaller input there for inner joins, but the sides of these joins
// are fixed by their meaning. TPC-H Q4 asks which of 57 thousand orders
// have a late line item among 3.8 million: hashing the orders and
// streaming the line items is the cheap way round. Q13 LEFT JOINs 150
// thousand customers with 1.5 million orders: hashing the customers holds
// a tenth of the rows (DuckDB's RIGHT OUTER join). A FULL join hashes
// whichever input is smaller.
func ChooseBuildSides(n plan.Node) (plan.Node, bool) {
	e := newEstimator(n)
	changed := false
	var walk func(plan.Node) plan.Node
	walk = func(n plan.Node) plan.Node {
		if ins := n.Inputs(); len(ins) > 0 {
			out := make([]plan.Node, len(ins))
			for i, in := range ins {
				out[i] = walk(in)
			}
			n = n.WithInputs(out)
		}
		j, ok := n.(*plan.Join)
		full := ok && j.Kind == plan.FullJoin
		if !ok || !filtersLeft(j.Kind) && j.Kind != plan.LeftJoin && !full || len(j.Equi) == 0 && !full {
			return n
		}
		left := e.Rows(j.Left)*buildLeftRatio < e.Rows(j.Right)
		if full {
			// Both ways run the same operators (the swapped one puts its
			// columns back): hash the smaller input, equalities or not.
			left = e.Rows(j.Left) < e.Rows(j.Right)
		}
		if left == j.BuildLeft {
			return n
		}
		c := *j
		c.BuildLeft = left
		changed = true
		return &c
	}
	return walk(n), changed
}
