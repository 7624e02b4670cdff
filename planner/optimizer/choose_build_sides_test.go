package optimizer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/planner/plan"
)

// beforeBuildSides are the rules choose_build_sides runs after.
var beforeBuildSides = []string{"fold_constants", "factor_or", "push_down_predicates", "push_down_semi_joins",
	"reduce_aggregate_inputs", "reorder_joins", "extract_equi_joins"}

func TestChooseBuildSides(t *testing.T) {
	cat := newCatalog(t, basicTables()...)
	buildLeft := func(want bool) func(*testing.T, plan.Node) {
		return func(t *testing.T, out plan.Node) {
			var semis []*plan.Join
			for _, j := range findAll[*plan.Join](out) {
				if j.Kind != plan.InnerJoin {
					semis = append(semis, j)
				}
			}
			require.Len(t, semis, 1)
			assert.Equal(t, want, semis[0].BuildLeft)
		}
	}
	ruleTest{rule: "choose_build_sides", pre: beforeBuildSides, withEstimates: true}.run(t, cat, []ruleCase{
		// 10 rows of v against 1000 of t: hash v's rows, stream t's.
		{name: "small_left_semi", changed: true, sql: "SELECT p FROM v WHERE p IN (SELECT a FROM t)",
			check: buildLeft(true)},
		{name: "small_left_anti", changed: true, sql: "SELECT p FROM v WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.a = v.p)",
			check: buildLeft(true)},
		{name: "small_left_not_in", changed: true, sql: "SELECT p FROM v WHERE p NOT IN (SELECT a FROM t)",
			check: buildLeft(true)},
		// The usual way round: the subquery is the smaller input.
		{name: "small_right", changed: false, sql: "SELECT a FROM t WHERE a IN (SELECT p FROM v)",
			check: buildLeft(false)},
		// Within a factor of two, the default stays (estimates are rough).
		{name: "similar_sizes", changed: false, sql: "SELECT x FROM u WHERE x IN (SELECT y FROM u AS w WHERE y > 0)",
			check: buildLeft(false)},
		// A LEFT JOIN of 10 rows with 1000: hash the 10 and stream the
		// 1000, emitting the unmatched left rows at the end.
		{name: "small_left_left_join", changed: true, sql: "SELECT p, a FROM v LEFT JOIN t ON v.p = t.a",
			check: buildLeft(true)},
		{name: "large_left_left_join", changed: false, sql: "SELECT p, a FROM t LEFT JOIN v ON v.p = t.a",
			check: buildLeft(false)},
		// A FULL join hashes the smaller input, whichever it is, with or
		// without equality keys.
		{name: "small_left_full_join", changed: true, sql: "SELECT p, a FROM v FULL JOIN t ON v.p = t.a",
			check: buildLeft(true)},
		{name: "small_right_full_join", changed: false, sql: "SELECT p, a FROM t FULL JOIN v ON v.p = t.a",
			check: buildLeft(false)},
		{name: "small_left_full_join_nested_loop", changed: true, sql: "SELECT p, a FROM v FULL JOIN t ON v.p < t.a",
			check: buildLeft(true)},
		// A mark join's output is every left row: it keeps its build side.
		{name: "mark_join_untouched", changed: false, sql: "SELECT p, p IN (SELECT a FROM t) FROM v",
			check: buildLeft(false)},
	})
}
