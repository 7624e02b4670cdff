// Package optimizer rewrites logical plans. Each rule is a small function
// in its own file that returns the rewritten plan and whether it changed
// anything; Optimize runs the rules in a fixed order.
package optimizer

import "github.com/minisql/minisql/planner/plan"

// Rule is one rewrite.
type Rule struct {
	Name  string
	Apply func(plan.Node) (plan.Node, bool)
}

// Rules is the default rule list, in the order they run.
func Rules() []Rule {
	return []Rule{
		{"fold_constants", FoldConstants},
		{"factor_or", FactorOr},
		{"push_down_predicates", PushDownPredicates},
		{"push_down_semi_joins", PushDownSemiJoins},
		{"reduce_aggregate_inputs", ReduceAggregateInputs},
		{"reorder_joins", ReorderJoins},
		{"extract_equi_joins", ExtractEquiJoins},
		{"choose_build_sides", ChooseBuildSides},
		{"prune_columns", PruneColumns},
		{"eliminate_common_subexpressions", EliminateCommonSubexpressions},
	}
}

// Optimize applies the rules in order.
func Optimize(n plan.Node) plan.Node {
	for _, r := range Rules() {
		n, _ = r.Apply(n)
	}
	return n
}
