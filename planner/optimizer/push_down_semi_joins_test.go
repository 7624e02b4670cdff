package optimizer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/planner/plan"
)

// beforeSemi are the rules push_down_semi_joins runs after in Rules().
var beforeSemi = []string{"fold_constants", "factor_or", "push_down_predicates"}

func TestPushDownSemiJoins(t *testing.T) {
	cat := newCatalog(t, basicTables()...)
	// semiOver returns the one semi or anti join of the plan and the scan
	// or join right under it on the left.
	semi := func(t *testing.T, out plan.Node) (*plan.Join, plan.Node) {
		t.Helper()
		var found []*plan.Join
		for _, j := range findAll[*plan.Join](out) {
			if j.Kind == plan.SemiJoin || j.Kind == plan.AntiJoin || j.Kind == plan.AntiJoinNullAware {
				found = append(found, j)
			}
		}
		require.Len(t, found, 1)
		return found[0], parentOf(out, found[0])
	}
	ruleTest{rule: "push_down_semi_joins", pre: beforeSemi, withEstimates: true}.run(t, cat, []ruleCase{
		// IN keeps 5 of t's 1000 rows; the join would make 5000: filter
		// t first.
		{name: "selective_in_goes_to_its_input", changed: true, sql: `SELECT a, x FROM t JOIN u ON t.b = u.y
			WHERE t.a IN (SELECT p FROM v)`,
			check: func(t *testing.T, out plan.Node) {
				j, parent := semi(t, out)
				assert.Equal(t, "t", j.Left.(*plan.Scan).Table.Name())
				assert.Equal(t, plan.InnerJoin, parent.(*plan.Join).Kind)
			}},
		// The filter reads u's column: it goes to the right input.
		{name: "into_the_right_input", changed: true, sql: `SELECT a, x FROM t JOIN u ON t.b = u.y
			WHERE u.x IN (SELECT p FROM v)`,
			check: func(t *testing.T, out plan.Node) {
				j, _ := semi(t, out)
				assert.Equal(t, "u", j.Left.(*plan.Scan).Table.Name())
			}},
		// NOT IN keeps about half the rows, the join only 10: the anti
		// join stays on top of the smaller join output.
		{name: "unselective_filter_stays_above_selective_join", changed: false, sql: `SELECT a FROM t JOIN v ON t.a = v.p
			WHERE t.b NOT IN (SELECT y FROM u)`},
		// The condition reads both join inputs: nowhere to go.
		{name: "reads_both_inputs", changed: false, sql: `SELECT a FROM t JOIN u ON t.b = u.y
			WHERE EXISTS (SELECT 1 FROM v WHERE v.p = t.a AND v.q = u.x)`},
		// A LEFT join's right side keeps its NULL-extended rows: a filter
		// on it cannot move below the join.
		{name: "not_into_left_join_right_side", changed: false, sql: `SELECT a FROM t LEFT JOIN u ON t.b = u.y
			WHERE u.x IN (SELECT p FROM v)`},
	})
}
