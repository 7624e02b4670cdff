package optimizer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/planner/plan"
)

func TestFoldConstants(t *testing.T) {
	cat := newCatalog(t, basicTables()...)
	noFilter := func(t *testing.T, out plan.Node) {
		assert.Empty(t, findAll[*plan.Filter](out), "the always-true filter should be gone")
	}
	empty := func(t *testing.T, out plan.Node) {
		assert.Empty(t, findAll[*plan.Filter](out))
		assert.Empty(t, findAll[*plan.Scan](out), "a never-true filter makes its input unnecessary")
		v := findAll[*plan.Values](out)
		require.Len(t, v, 1)
		assert.Empty(t, v[0].Rows)
		assert.Equal(t, []string{"a", "b", "c", "d", "m"}, colNames(v[0].Cols), "the empty relation keeps the filter's columns")
	}
	filterIs := func(want string) func(*testing.T, plan.Node) {
		return func(t *testing.T, out plan.Node) {
			f := findAll[*plan.Filter](out)
			require.Len(t, f, 1)
			assert.Equal(t, want, f[0].Pred.String())
		}
	}
	ruleTest{rule: "fold_constants"}.run(t, cat, []ruleCase{
		{name: "arithmetic", sql: "SELECT a FROM t WHERE b > 1 + 2 * 3", changed: true,
			check: filterIs("(b > 7)")},
		{name: "date_plus_interval", sql: "SELECT a FROM t WHERE d < DATE '1992-01-01' + INTERVAL '10' DAY", changed: true,
			check: filterIs("(d < DATE '1992-01-11')")},
		{name: "string_concat_in_like", sql: "SELECT a FROM t WHERE c LIKE 'c' || '_1'", changed: true,
			check: filterIs("c LIKE 'c_1'")},
		{name: "projection", sql: "SELECT b + 2 * 3 AS k, a FROM t", changed: true,
			check: func(t *testing.T, out plan.Node) {
				assert.Equal(t, "Project (b + 6) AS k, a", out.Explain())
			}},
		{name: "cheap_string_constant", sql: "SELECT a FROM t WHERE b > length(repeat('ab', 1000))", changed: true,
			check: filterIs("(b > 2000)")},
		// Ten megabytes of repeat cost more than foldBudget: planning
		// sees no cancel, so the work is left to the query's operators.
		{name: "costly_constant_left_for_run_time", sql: "SELECT a FROM t WHERE b > length(repeat('ab', 5000000))", changed: false,
			check: filterIs("(b > length(repeat('ab', 5000000)))")},
		{name: "true_filter_dropped", sql: "SELECT a FROM t WHERE 1 = 1", changed: true, check: noFilter},
		{name: "false_filter_empty", sql: "SELECT a FROM t WHERE 1 = 0", changed: true, check: empty},
		{name: "null_filter_empty", sql: "SELECT a FROM t WHERE NULL", changed: true, check: empty},
		{name: "and_true_dropped", sql: "SELECT a FROM t WHERE b > 2 AND (1 = 1 OR a > 3)", changed: true,
			check: filterIs("(b > 2)")},
		{name: "or_false_dropped", sql: "SELECT a FROM t WHERE 1 = 0 OR a > 3", changed: true,
			check: filterIs("(a > 3)")},
		{name: "and_false_empty", sql: "SELECT a FROM t WHERE a > 3 AND 2 < 1", changed: true, check: empty},
		// NULL AND x is NULL or false: not a constant, so it stays.
		{name: "and_null_kept", sql: "SELECT a FROM t WHERE NULL AND a > 3", changed: false},
		{name: "inner_join_true", sql: "SELECT a FROM t JOIN u ON 1 = 1", changed: true,
			check: func(t *testing.T, out plan.Node) {
				assert.Nil(t, joinOf(t, out, plan.InnerJoin).Cond)
			}},
		// A LEFT JOIN whose condition is false still returns every left row:
		// the join stays, only its condition is folded.
		{name: "left_join_false", sql: "SELECT a, y FROM t LEFT JOIN u ON a = x AND 1 = 0", changed: true,
			check: func(t *testing.T, out plan.Node) {
				j := joinOf(t, out, plan.LeftJoin)
				assert.Equal(t, "false", exprText(j.Cond))
				scanOf(t, j.Left, "t")
			}},
		{name: "in_subquery", sql: "SELECT a FROM t WHERE a IN (SELECT x FROM u WHERE y > 2 * 2)", changed: true,
			check: filterIs("(y > 4)")},
		{name: "columns_only", sql: "SELECT a + 1 AS a1 FROM t WHERE a > b", changed: false},
		// 1/0 fails: the error belongs to run time (and only if a row
		// reaches it), not to planning.
		{name: "error_left_for_run_time", sql: "SELECT a FROM t WHERE a > 1 / 0", changed: false},
	})
}

func colNames(cols []plan.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}
