package optimizer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/minisql/minisql/planner/optimizer"
	"github.com/minisql/minisql/planner/plan"
)

// TestRulesOrder pins the order the rule tests assume: each rule's tests
// run the rules listed before it here as its prerequisites.
func TestRulesOrder(t *testing.T) {
	var names []string
	for _, r := range optimizer.Rules() {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{"fold_constants", "factor_or", "push_down_predicates", "push_down_semi_joins",
		"reduce_aggregate_inputs", "reorder_joins", "extract_equi_joins", "choose_build_sides", "prune_columns",
		"eliminate_common_subexpressions"}, names)
	assert.Equal(t, names[:3], beforeSemi)
	assert.Equal(t, names[:4], beforeReduce)
	assert.Equal(t, names[:5], beforeReorder)
	assert.Equal(t, names[:7], beforeBuildSides)
	assert.Equal(t, names[:8], allRulesBefore)
	assert.Equal(t, names[:9], beforeCSE)
}

// TestOptimizeRunsEveryRule checks that Optimize is Rules() applied in
// order.
func TestOptimizeRunsEveryRule(t *testing.T) {
	cat := newCatalog(t, tpchTables()...)
	sql := `SELECT n_name, count(*) FROM region, nation, customer
		WHERE ((c_nationkey = n_nationkey AND r_name = 'ASIA') OR (n_nationkey = c_nationkey AND r_name = 'EUROPE'))
		AND n_regionkey = r_regionkey AND 1 = 1 GROUP BY n_name`
	n := bind(t, cat, sql)
	var names []string
	for _, r := range optimizer.Rules() {
		names = append(names, r.Name)
	}
	assert.Equal(t, plan.Format(apply(t, n, names...)), plan.Format(optimizer.Optimize(n)))
}
