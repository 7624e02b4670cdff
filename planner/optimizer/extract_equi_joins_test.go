package optimizer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/minisql/minisql/planner/plan"
)

func TestExtractEquiJoins(t *testing.T) {
	cat := newCatalog(t, basicTables()...)
	// keys checks the single join of the given kind: its hash keys
	// ("left = right") and its residual condition.
	keys := func(kind plan.JoinKind, residual string, want ...string) func(*testing.T, plan.Node) {
		return func(t *testing.T, out plan.Node) {
			j := joinOf(t, out, kind)
			var got []string
			for _, e := range j.Equi {
				got = append(got, e.L.String()+" = "+e.R.String())
			}
			assert.Equal(t, want, got, "hash keys")
			assert.Equal(t, residual, exprText(j.Cond), "residual")
		}
	}
	ruleTest{rule: "extract_equi_joins", pre: []string{"push_down_predicates"}}.run(t, cat, []ruleCase{
		{name: "comma_join", changed: true, sql: "SELECT a, y FROM t, u WHERE a = x",
			check: keys(plan.InnerJoin, "", "a = x")},
		// The key of the left input goes left, whatever the SQL's order.
		{name: "operands_swapped", changed: true, sql: "SELECT a FROM t JOIN u ON x = a",
			check: keys(plan.InnerJoin, "", "a = x")},
		{name: "several_keys", changed: true, sql: "SELECT a FROM t JOIN u ON a = x AND y = b",
			check: keys(plan.InnerJoin, "", "a = x", "b = y")},
		{name: "expression_keys", changed: true, sql: "SELECT a FROM t JOIN u ON a + 1 = x * 2",
			check: keys(plan.InnerJoin, "", "(a + 1) = (x * 2)")},
		{name: "residual_stays", changed: true, sql: "SELECT a FROM t JOIN u ON a = x AND b < y",
			check: keys(plan.InnerJoin, "(b < y)", "a = x")},
		{name: "inequality_only", changed: false, sql: "SELECT a FROM t JOIN u ON a < x",
			check: keys(plan.InnerJoin, "(a < x)")},
		// x + b reads both inputs: no side can compute it alone.
		{name: "both_sides_in_one_operand", changed: false, sql: "SELECT a FROM t JOIN u ON a = x + b",
			check: keys(plan.InnerJoin, "(a = (x + b))")},
		// Without pushdown, an equality within one input is no key.
		{name: "one_side_equality", changed: true, pre: []string{}, sql: "SELECT a FROM t JOIN u ON a = b AND a = x",
			check: keys(plan.InnerJoin, "(a = b)", "a = x")},
		{name: "cross_join", changed: false, sql: "SELECT a FROM t, u"},
		{name: "left_join", changed: true, sql: "SELECT a, y FROM t LEFT JOIN u ON a = x AND y = 3 AND b > y",
			check: keys(plan.LeftJoin, "(b > y)", "a = x")},
		{name: "semi_join", changed: true, sql: "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE x = a AND y > b)",
			check: keys(plan.SemiJoin, "(y > b)", "a = x")},
		{name: "null_aware_anti_join", changed: true, sql: "SELECT a FROM t WHERE a NOT IN (SELECT x FROM u)",
			check: keys(plan.AntiJoinNullAware, "", "a = x")},
		// NULL IN (SELECT ...) and 5 NOT IN (...): a constant probe key.
		{name: "constant_probe_key", changed: true, sql: "SELECT a FROM t WHERE 5 NOT IN (SELECT y FROM u)",
			check: keys(plan.AntiJoinNullAware, "", "5 = y")},
		// After join ordering every join of a connected comma join is a
		// hash join.
		{name: "after_reorder", changed: true, pre: []string{"push_down_predicates", "reorder_joins"},
			sql: "SELECT a FROM v, t, u WHERE a = x AND x = p",
			check: func(t *testing.T, out plan.Node) {
				for _, j := range findAll[*plan.Join](out) {
					assert.Len(t, j.Equi, 1, j.Explain())
					assert.Nil(t, j.Cond, j.Explain())
				}
			}},
	})
}
