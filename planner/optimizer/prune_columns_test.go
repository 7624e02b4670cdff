package optimizer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/planner/plan"
)

// allRulesBefore are the rules prune_columns runs after in Rules().
var allRulesBefore = []string{"fold_constants", "factor_or", "push_down_predicates", "push_down_semi_joins", "reduce_aggregate_inputs", "reorder_joins", "extract_equi_joins", "choose_build_sides"}

func TestPruneColumns(t *testing.T) {
	cat := newCatalog(t, basicTables()...)
	// reads checks the columns each named scan reads.
	reads := func(want map[string][]string) func(*testing.T, plan.Node) {
		return func(t *testing.T, out plan.Node) {
			for table, cols := range want {
				assert.Equal(t, cols, colNames(scanOf(t, out, table).Columns()), "columns read from %s", table)
			}
		}
	}
	ruleTest{rule: "prune_columns", pre: []string{}}.run(t, cat, []ruleCase{
		{name: "scan_reads_needed", changed: true, sql: "SELECT a FROM t WHERE b = 1",
			check: reads(map[string][]string{"t": {"a", "b"}})},
		// The working table's columns are fixed: a recursive CTE's terms
		// keep every column, even when the query reads one or none.
		{name: "recursive_cte_keeps_columns", changed: true, sql: `WITH RECURSIVE r(n, k) AS (
			SELECT a, b FROM t UNION ALL SELECT n + 1, k FROM r WHERE n < 10) SELECT n FROM r`,
			check: func(t *testing.T, out plan.Node) {
				reads(map[string][]string{"t": {"a", "b"}})(t, out)
				rc := findAll[*plan.RecursiveCTE](out)
				require.Len(t, rc, 1)
				assert.Len(t, rc[0].Base.Columns(), 2)
				assert.Len(t, rc[0].Recursive.Columns(), 2)
				assert.Len(t, findAll[*plan.WorkTableScan](out)[0].Columns(), 2)
			}},
		{name: "recursive_cte_count_star", changed: true, sql: `WITH RECURSIVE r(n, k) AS (
			SELECT a, b FROM t UNION ALL SELECT n + 1, k FROM r WHERE n < 10) SELECT count(*) FROM r`,
			check: reads(map[string][]string{"t": {"a", "b"}})},
		// Grouping sets keep every key, which defines the sets, and drop
		// the aggregates and grouping() columns nobody reads.
		{name: "grouping_sets_drop_unread", changed: true, sql: `SELECT b, n FROM (SELECT b, c, count(*) AS n,
			sum(m) AS s, grouping(b) AS gb FROM t GROUP BY ROLLUP (b, c)) q`,
			check: func(t *testing.T, out plan.Node) {
				reads(map[string][]string{"t": {"b", "c"}})(t, out)
				gs := findAll[*plan.GroupingSets](out)
				require.Len(t, gs, 1)
				assert.Len(t, gs[0].Aggs, 1)
				assert.Empty(t, gs[0].Groupings)
				assert.Len(t, gs[0].Keys, 2)
			}},
		// COUNT(*) needs rows, not values: one column is read for them.
		{name: "count_star_reads_one", changed: true, sql: "SELECT count(*) FROM t",
			check: reads(map[string][]string{"t": {"a"}})},
		// Every column is a grouping key of EXCEPT ALL; above its Repeat
		// only the count and, for COUNT(*), one column are kept.
		{name: "count_star_of_except_all", changed: true, sql: "SELECT count(*) FROM (SELECT a, b FROM t EXCEPT ALL SELECT x, y FROM u) s",
			check: func(t *testing.T, out plan.Node) {
				reads(map[string][]string{"t": {"a", "b"}, "u": {"x", "y"}})(t, out)
				rs := findAll[*plan.Repeat](out)
				require.Len(t, rs, 1)
				r := rs[0]
				assert.Len(t, r.Columns(), 1)
				assert.Len(t, r.Input.Columns(), 2)
			}},
		{name: "star_reads_all", changed: true, sql: "SELECT * FROM v",
			check: reads(map[string][]string{"v": {"p", "q"}})},
		{name: "sort_key", changed: true, sql: "SELECT c FROM t ORDER BY b",
			check: reads(map[string][]string{"t": {"b", "c"}})},
		{name: "projection_drops_unused", changed: true, sql: `SELECT a1 FROM
			(SELECT a + 1 AS a1, b * 2 AS b2, c FROM t) s`,
			check: func(t *testing.T, out plan.Node) {
				reads(map[string][]string{"t": {"a"}})(t, out)
				for _, p := range findAll[*plan.Project](out) {
					assert.Equal(t, []string{"a1"}, colNames(p.Cols))
				}
			}},
		{name: "aggregate_drops_unused", changed: true, sql: `SELECT b FROM
			(SELECT b, sum(a) AS s, max(c) AS mc FROM t GROUP BY b) s`,
			check: func(t *testing.T, out plan.Node) {
				reads(map[string][]string{"t": {"b"}})(t, out)
				agg := findAll[*plan.Aggregate](out)
				require.Len(t, agg, 1)
				assert.Empty(t, agg[0].Aggs, "grouping alone gives the same groups")
			}},
		// A global aggregate returns one row even when none of its values
		// is read: one aggregate stays.
		{name: "global_aggregate_keeps_one", changed: true, sql: `SELECT 1 AS one FROM
			(SELECT sum(a) AS s, max(b) AS mb FROM t) s`,
			check: func(t *testing.T, out plan.Node) {
				agg := findAll[*plan.Aggregate](out)
				require.Len(t, agg, 1)
				assert.Len(t, agg[0].Aggs, 1)
				reads(map[string][]string{"t": {"b"}})(t, out)
			}},
		// UNION inputs are matched by position: each keeps every column.
		{name: "union_keeps_positions", changed: true, sql: `SELECT a FROM
			(SELECT a, b FROM t UNION ALL SELECT x, y FROM u) s`,
			check: reads(map[string][]string{"t": {"a", "b"}, "u": {"x", "y"}})},
		{name: "join_keys_and_residual", changed: true, pre: allRulesBefore, sql: `SELECT c, z FROM t, u
			WHERE a = x AND b > y`,
			check: reads(map[string][]string{"t": {"a", "b", "c"}, "u": {"x", "y", "z"}})},
		{name: "pruning_hint_columns", changed: true, pre: allRulesBefore, sql: "SELECT c FROM t WHERE b = 2",
			check: reads(map[string][]string{"t": {"b", "c"}})},
		{name: "semi_join", changed: true, pre: allRulesBefore, sql: `SELECT c FROM t
			WHERE a IN (SELECT x FROM u WHERE y > 3)`,
			check: reads(map[string][]string{"t": {"a", "c"}, "u": {"x", "y"}})},
		{name: "mark_join", changed: true, pre: allRulesBefore, sql: `SELECT c, EXISTS (SELECT 1 FROM u WHERE x = a) AS e FROM t`,
			check: func(t *testing.T, out plan.Node) {
				reads(map[string][]string{"t": {"a", "c"}, "u": {"x"}})(t, out)
				j := joinOf(t, out, plan.MarkJoin)
				assert.Equal(t, []string{"x"}, colNames(j.Right.Columns()), "EXISTS's select list is not needed")
			}},
		{name: "scalar_subquery", changed: true, pre: allRulesBefore, sql: "SELECT a FROM t WHERE b > (SELECT avg(y) FROM u)",
			check: reads(map[string][]string{"t": {"a", "b"}, "u": {"y"}})},
		{name: "under_limit", changed: true, sql: "SELECT a FROM (SELECT a, b, c FROM t LIMIT 5) s",
			check: reads(map[string][]string{"t": {"a"}})},
		{name: "already_pruned", changed: false, pre: []string{"prune_columns"}, sql: "SELECT a FROM t WHERE b = 1"},
		{name: "values", changed: false, sql: "SELECT 1 AS one"},
	})
}
