package optimizer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/planner/plan"
)

func TestPushDownPredicates(t *testing.T) {
	cat := newCatalog(t, basicTables()...)
	// filteredScan checks that the named scan sits right under a Filter
	// with the given predicate and carries the given pruning hints.
	filteredScan := func(t *testing.T, out plan.Node, table, pred string, hints ...string) {
		t.Helper()
		s := scanOf(t, out, table)
		assert.Equal(t, pred, predOf(parentOf(out, s)), "filter above scan %s", table)
		var got []string
		for _, f := range s.Filters {
			got = append(got, f.String())
		}
		assert.Equal(t, hints, got, "pruning hints of scan %s", table)
	}
	ruleTest{rule: "push_down_predicates"}.run(t, cat, []ruleCase{
		// A filter over a recursive CTE stays above it: below, it would
		// also cut the working table the next iteration starts from
		// (m = 2 on the base term would change nothing here, but n = 3
		// would end the recursion at once). The recursive term's own
		// filter goes down to its working table.
		{name: "recursive_cte_filter_stays_above", changed: true, sql: `WITH RECURSIVE r(n, k) AS (
			SELECT a, b FROM t UNION ALL SELECT n + 1, k FROM r WHERE n < 10) SELECT n FROM r WHERE k = 2 AND n = 3`,
			check: func(t *testing.T, out plan.Node) {
				rc := findAll[*plan.RecursiveCTE](out)
				require.Len(t, rc, 1)
				assert.Equal(t, "(k = 2) AND (n = 3)", predOf(parentOf(out, rc[0])))
				assert.Empty(t, scanOf(t, out, "t").Filters)
				ws := findAll[*plan.WorkTableScan](out)
				require.Len(t, ws, 1)
				assert.Equal(t, "(n < 10)", predOf(parentOf(out, ws[0])))
			}},
		{name: "into_scan", changed: true, sql: "SELECT a FROM t WHERE b = 2 AND a > 5",
			check: func(t *testing.T, out plan.Node) {
				filteredScan(t, out, "t", "(b = 2) AND (a > 5)", "(b = 2)", "(a > 5)")
			}},
		// Hints are the shapes min/max statistics can refute: column op
		// constant, BETWEEN, IN lists; not expressions or NOT IN.
		{name: "scan_hint_shapes", changed: true, sql: `SELECT a FROM t
			WHERE b BETWEEN 2 AND 5 AND c IN ('x', 'y') AND a + 1 > 3 AND d NOT IN (DATE '1992-01-02') AND 7 > b`,
			check: func(t *testing.T, out plan.Node) {
				s := scanOf(t, out, "t")
				require.Len(t, s.Filters, 4, "hints: %v", s.Filters)
				for _, f := range s.Filters {
					assert.NotContains(t, f.String(), "a + 1")
					assert.NotContains(t, f.String(), "NOT IN")
				}
			}},
		{name: "through_projection", changed: true, sql: `SELECT * FROM (SELECT a + 1 AS a1, b FROM t) s
			WHERE a1 > 5 AND b = 2`,
			check: func(t *testing.T, out plan.Node) {
				// The projected expression replaces the column it defines.
				filteredScan(t, out, "t", "((a + 1) > 5) AND (b = 2)", "(b = 2)")
			}},
		// A filter on a window's partition column keeps or drops whole
		// partitions: it goes below; one on another column, or on the
		// window's value, stays above.
		{name: "through_window_partition", changed: true, sql: `SELECT * FROM (SELECT a, b, row_number() OVER (PARTITION BY b ORDER BY a) AS rn FROM t) s
			WHERE b = 2 AND a > 5 AND rn = 1`,
			check: func(t *testing.T, out plan.Node) {
				filteredScan(t, out, "t", "(b = 2)", "(b = 2)")
				w := findAll[*plan.Window](out)
				require.Len(t, w, 1)
				assert.Equal(t, "(a > 5) AND (row_number() over (partition by b order by a) = 1)", predOf(parentOf(out, w[0])))
			}},
		{name: "through_sort", changed: true, sql: "SELECT * FROM (SELECT a, b FROM t ORDER BY b) s WHERE a < 10",
			check: func(t *testing.T, out plan.Node) {
				filteredScan(t, out, "t", "(a < 10)", "(a < 10)")
			}},
		// A LIMIT picks rows before the filter: filtering first would
		// return other rows. The filter goes through the projections
		// above the LIMIT and no further.
		{name: "limit_stops_pushdown", changed: true, sql: `SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 10) s
			WHERE a > 5`,
			check: func(t *testing.T, out plan.Node) {
				l := findAll[*plan.Limit](out)
				require.Len(t, l, 1)
				assert.Equal(t, "(a > 5)", predOf(parentOf(out, l[0])))
				assert.Empty(t, scanOf(t, out, "t").Filters)
			}},
		{name: "below_aggregate_on_keys", changed: true, sql: `SELECT b, count(*) FROM t GROUP BY b
			HAVING b > 3 AND count(*) > 1`,
			check: func(t *testing.T, out plan.Node) {
				agg := findAll[*plan.Aggregate](out)
				require.Len(t, agg, 1)
				assert.Equal(t, "(count(*) > 1)", predOf(parentOf(out, agg[0])), "an aggregate's result is known after grouping only")
				filteredScan(t, out, "t", "(b > 3)", "(b > 3)")
			}},
		// Below grouping sets only a conjunct over keys every set groups
		// by: b is NULL in ROLLUP(c)'s () rows, and filtering the input on
		// c would change their count.
		{name: "grouping_sets_keys_in_every_set", changed: true, sql: `SELECT * FROM (SELECT b, c, count(*) AS n
			FROM t GROUP BY b, ROLLUP (c)) s WHERE b > 3 AND c = 'x' AND n > 1`,
			check: func(t *testing.T, out plan.Node) {
				gs := findAll[*plan.GroupingSets](out)
				require.Len(t, gs, 1)
				assert.Equal(t, "(c = 'x') AND (count(*) > 1)", predOf(parentOf(out, gs[0])))
				filteredScan(t, out, "t", "(b > 3)", "(b > 3)")
			}},
		// Without grouping keys a conjunct reads aggregates only: it stays
		// above the aggregate.
		{name: "global_aggregate_stops", changed: true, sql: "SELECT * FROM (SELECT count(*) AS n FROM t) s WHERE n > 0",
			check: func(t *testing.T, out plan.Node) {
				agg := findAll[*plan.Aggregate](out)
				require.Len(t, agg, 1)
				assert.Equal(t, "(count(*) > 0)", predOf(parentOf(out, agg[0])))
				assert.Empty(t, scanOf(t, out, "t").Filters)
			}},
		{name: "into_union_inputs", changed: true, sql: `SELECT * FROM (SELECT a FROM t UNION ALL SELECT x FROM u) s
			WHERE a = 3`,
			check: func(t *testing.T, out plan.Node) {
				filteredScan(t, out, "t", "(a = 3)", "(a = 3)")
				filteredScan(t, out, "u", "(x = 3)", "(x = 3)")
			}},
		{name: "into_union_under_distinct", changed: true, sql: `SELECT * FROM (SELECT a FROM t UNION SELECT x FROM u) s
			WHERE a = 3`,
			check: func(t *testing.T, out plan.Node) {
				filteredScan(t, out, "t", "(a = 3)", "(a = 3)")
				filteredScan(t, out, "u", "(x = 3)", "(x = 3)")
			}},
		// A filter keeps all copies of a row or none: it goes below the
		// Repeat of an EXCEPT ALL, into both inputs.
		{name: "into_except_all_inputs", changed: true, sql: `SELECT * FROM (SELECT a FROM t EXCEPT ALL SELECT x FROM u) s
			WHERE a = 3`,
			check: func(t *testing.T, out plan.Node) {
				filteredScan(t, out, "t", "(a = 3)", "(a = 3)")
				filteredScan(t, out, "u", "(x = 3)", "(x = 3)")
			}},
		// A comma join's WHERE: single-table conjuncts go to their table,
		// the equality becomes the join's condition.
		{name: "comma_join", changed: true, sql: "SELECT a, y FROM t, u WHERE a = x AND b = 2 AND y = 3",
			check: func(t *testing.T, out plan.Node) {
				assert.Equal(t, "(a = x)", exprText(joinOf(t, out, plan.InnerJoin).Cond))
				filteredScan(t, out, "t", "(b = 2)", "(b = 2)")
				filteredScan(t, out, "u", "(y = 3)", "(y = 3)")
				assert.Len(t, findAll[*plan.Filter](out), 2)
			}},
		{name: "inner_join_on", changed: true, sql: "SELECT a, y FROM t JOIN u ON a = x AND b = 2 AND y + b > 3",
			check: func(t *testing.T, out plan.Node) {
				assert.Equal(t, []string{"(a = x)", "((y + b) > 3)"}, conjunctTexts(joinOf(t, out, plan.InnerJoin).Cond))
				filteredScan(t, out, "t", "(b = 2)", "(b = 2)")
			}},
		{name: "three_way_comma_join", changed: true, sql: `SELECT a FROM t, u, v
			WHERE a = x AND y = p AND q = 1 AND b + q > a`,
			check: func(t *testing.T, out plan.Node) {
				filteredScan(t, out, "v", "(q = 1)", "(q = 1)")
				assert.Len(t, findAll[*plan.Filter](out), 1, "only v's filter")
			}},
		// WHERE on the right side of a LEFT JOIN sees the NULLs the join
		// adds (y IS NULL keeps unmatched rows): it must stay above.
		{name: "left_join_where_right_stays", changed: false, sql: `SELECT a, y FROM t LEFT JOIN u ON a = x
			WHERE y IS NULL OR y = 3`,
			check: func(t *testing.T, out plan.Node) {
				j := joinOf(t, out, plan.LeftJoin)
				assert.Equal(t, "(y IS NULL OR (y = 3))", predOf(parentOf(out, j)))
			}},
		// WHERE on the preserved side filters rows before the join; an ON
		// conjunct on the preserved side only decides matches (every left
		// row is kept), an ON conjunct on the other side filters it.
		{name: "left_join", changed: true, sql: `SELECT a, y FROM t LEFT JOIN u ON a = x AND y > 3 AND b > 4
			WHERE b < 8 AND y IS NULL`,
			check: func(t *testing.T, out plan.Node) {
				j := joinOf(t, out, plan.LeftJoin)
				assert.Equal(t, []string{"(a = x)", "(b > 4)"}, conjunctTexts(j.Cond))
				assert.Equal(t, "y IS NULL", predOf(parentOf(out, j)))
				filteredScan(t, out, "t", "(b < 8)", "(b < 8)")
				filteredScan(t, out, "u", "(y > 3)", "(y > 3)")
			}},
		{name: "right_join", changed: true, sql: `SELECT a, y FROM t RIGHT JOIN u ON a = x AND y > 3 AND b > 4
			WHERE (b < 8 OR b IS NULL) AND y < 9`,
			check: func(t *testing.T, out plan.Node) {
				j := joinOf(t, out, plan.RightJoin)
				assert.Equal(t, []string{"(a = x)", "(y > 3)"}, conjunctTexts(j.Cond))
				assert.Equal(t, "((b < 8) OR b IS NULL)", predOf(parentOf(out, j)))
				filteredScan(t, out, "t", "(b > 4)", "(b > 4)")
				filteredScan(t, out, "u", "(y < 9)", "(y < 9)")
			}},
		{name: "semi_join_left_conjunct", changed: true, sql: `SELECT a FROM t
			WHERE EXISTS (SELECT 1 FROM u WHERE x = a AND b > 3)`,
			check: func(t *testing.T, out plan.Node) {
				assert.Equal(t, "(x = a)", exprText(joinOf(t, out, plan.SemiJoin).Cond))
				filteredScan(t, out, "t", "(b > 3)", "(b > 3)")
			}},
		// NOT EXISTS returns the left rows failing b > 3: that conjunct
		// must stay in the anti join's condition.
		{name: "anti_join_keeps_left_conjunct", changed: false, sql: `SELECT a FROM t
			WHERE NOT EXISTS (SELECT 1 FROM u WHERE x = a AND b > 3)`,
			check: func(t *testing.T, out plan.Node) {
				assert.Equal(t, []string{"(x = a)", "(b > 3)"}, conjunctTexts(joinOf(t, out, plan.AntiJoin).Cond))
			}},
		{name: "anti_join_where_left", changed: true, sql: `SELECT a FROM t
			WHERE NOT EXISTS (SELECT 1 FROM u WHERE x = a) AND b = 1`,
			check: func(t *testing.T, out plan.Node) {
				filteredScan(t, out, "t", "(b = 1)", "(b = 1)")
			}},
		// 5 NOT IN (SELECT y ...) is NULL, not true, when some y is NULL:
		// the null-aware join must see every y, so 5 = y must not become
		// a filter on u.
		{name: "null_aware_anti_keeps_condition", changed: false, sql: "SELECT a FROM t WHERE 5 NOT IN (SELECT y FROM u)",
			check: func(t *testing.T, out plan.Node) {
				assert.Equal(t, "(5 = y)", exprText(joinOf(t, out, plan.AntiJoinNullAware).Cond))
				assert.Empty(t, findAll[*plan.Filter](out))
			}},
		{name: "null_aware_mark_keeps_condition", changed: false, sql: "SELECT a, 5 IN (SELECT y FROM u) AS m FROM t",
			check: func(t *testing.T, out plan.Node) {
				assert.Equal(t, "(5 = y)", exprText(joinOf(t, out, plan.MarkJoinNullAware).Cond))
				assert.Empty(t, findAll[*plan.Filter](out))
			}},
		// A conjunct reading the mark column stays above the mark join.
		{name: "mark_join_or", changed: false, sql: "SELECT a FROM t WHERE b = 1 OR EXISTS (SELECT 1 FROM u WHERE x = a)",
			check: func(t *testing.T, out plan.Node) {
				j := joinOf(t, out, plan.MarkJoin)
				assert.Contains(t, predOf(parentOf(out, j)), "mark")
			}},
		// The filter on a scalar subquery's value rejects the rows the
		// outer join of its decorrelation adds (max(y) NULL): the join
		// becomes inner and the filter goes down to the subquery.
		{name: "scalar_subquery", changed: true, sql: `SELECT a FROM t
			WHERE a > 5 AND (SELECT max(y) FROM u WHERE x = a) > 2`,
			check: func(t *testing.T, out plan.Node) {
				joinOf(t, out, plan.InnerJoin)
				f := findAll[*plan.Filter](out)
				var preds []string
				for _, x := range f {
					preds = append(preds, predOf(x))
				}
				assert.ElementsMatch(t, []string{"(a > 5)", "(max(y) > 2)"}, preds)
				filteredScan(t, out, "t", "(a > 5)", "(a > 5)")
			}},
		// A filter that keeps NULLs (IS NULL, COALESCE) leaves the outer
		// join alone; one that rejects them makes it inner.
		{name: "left_join_becomes_inner", changed: true, sql: `SELECT a, y FROM t LEFT JOIN u ON a = x
			WHERE y + 1 > 3`,
			check: func(t *testing.T, out plan.Node) {
				joinOf(t, out, plan.InnerJoin)
				filteredScan(t, out, "u", "((y + 1) > 3)")
			}},
		{name: "left_join_stays_under_coalesce", changed: false, sql: `SELECT a, y FROM t LEFT JOIN u ON a = x
			WHERE coalesce(y, 0) = 0`,
			check: func(t *testing.T, out plan.Node) {
				joinOf(t, out, plan.LeftJoin)
			}},
		// A FULL join keeps the rows of both sides: no WHERE conjunct over
		// one side and no ON conjunct goes below it (the ON conjuncts
		// decide matches only; b > 4 must not drop t's rows).
		{name: "full_join_keeps_everything", changed: false, sql: `SELECT a, y FROM t FULL JOIN u ON a = x AND y > 3 AND b > 4
			WHERE b IS NULL OR b < 8`,
			check: func(t *testing.T, out plan.Node) {
				j := joinOf(t, out, plan.FullJoin)
				assert.Equal(t, []string{"(a = x)", "(y > 3)", "(b > 4)"}, conjunctTexts(j.Cond))
				assert.Equal(t, "(b IS NULL OR (b < 8))", predOf(parentOf(out, j)))
				assert.Empty(t, scanOf(t, out, "t").Filters)
				assert.Empty(t, scanOf(t, out, "u").Filters)
			}},
		{name: "full_join_is_null_stays", changed: false, sql: `SELECT a, y FROM t FULL JOIN u ON a = x WHERE y IS NULL`,
			check: func(t *testing.T, out plan.Node) {
				j := joinOf(t, out, plan.FullJoin)
				assert.Equal(t, "y IS NULL", predOf(parentOf(out, j)))
			}},
		// b < 8 rejects the rows whose t columns are NULL (u's unmatched
		// rows): what is left is t LEFT JOIN u, and b < 8 goes down to t
		// as for any LEFT join; u's ON conjunct then filters u.
		{name: "full_join_becomes_left", changed: true, sql: `SELECT a, y FROM t FULL JOIN u ON a = x AND y > 3 WHERE b < 8`,
			check: func(t *testing.T, out plan.Node) {
				j := joinOf(t, out, plan.LeftJoin)
				assert.Equal(t, []string{"(a = x)"}, conjunctTexts(j.Cond))
				filteredScan(t, out, "t", "(b < 8)", "(b < 8)")
				filteredScan(t, out, "u", "(y > 3)", "(y > 3)")
			}},
		{name: "full_join_becomes_right", changed: true, sql: `SELECT a, y FROM t FULL JOIN u ON a = x AND b > 4 WHERE y < 9`,
			check: func(t *testing.T, out plan.Node) {
				j := joinOf(t, out, plan.RightJoin)
				assert.Equal(t, []string{"(a = x)"}, conjunctTexts(j.Cond))
				filteredScan(t, out, "t", "(b > 4)", "(b > 4)")
				filteredScan(t, out, "u", "(y < 9)", "(y < 9)")
			}},
		{name: "full_join_becomes_inner", changed: true, sql: `SELECT a, y FROM t FULL JOIN u ON a = x WHERE b < 8 AND y < 9`,
			check: func(t *testing.T, out plan.Node) {
				joinOf(t, out, plan.InnerJoin)
				filteredScan(t, out, "t", "(b < 8)", "(b < 8)")
				filteredScan(t, out, "u", "(y < 9)", "(y < 9)")
			}},
		// The merged USING column is coalesce(a, x): a filter on it keeps
		// the rows of either side, so the join stays FULL.
		{name: "full_join_using_coalesce_stays", changed: true, sql: `SELECT * FROM (SELECT a AS k, b FROM t) s
			FULL JOIN (SELECT x AS k, y FROM u) r USING (k) WHERE k = 3`,
			check: func(t *testing.T, out plan.Node) {
				joinOf(t, out, plan.FullJoin)
				assert.Empty(t, scanOf(t, out, "t").Filters)
				assert.Empty(t, scanOf(t, out, "u").Filters)
			}},
		{name: "max1row_stops", changed: false, sql: "SELECT a FROM t WHERE b > (SELECT avg(y) FROM u)",
			check: func(t *testing.T, out plan.Node) {
				assert.Empty(t, scanOf(t, out, "u").Filters)
			}},
		// After factor_or, Q19's repeated equality becomes the join's
		// condition instead of a filter over a cross product.
		{name: "after_factor_or", changed: true, pre: []string{"factor_or"}, sql: `SELECT a FROM t, u
			WHERE (a = x AND b = 1 AND y = 2) OR (a = x AND b = 3 AND y = 4)`,
			check: func(t *testing.T, out plan.Node) {
				assert.Equal(t, []string{"(a = x)", "((b = 1) AND (y = 2) OR (b = 3) AND (y = 4))"},
					conjunctTexts(joinOf(t, out, plan.InnerJoin).Cond))
			}},
	})
}
