package optimizer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/planner/plan"
)

func TestFactorOr(t *testing.T) {
	cat := newCatalog(t, basicTables()...)
	// filterConjuncts checks the WHERE filter's conjuncts after factoring.
	filterConjuncts := func(want ...string) func(*testing.T, plan.Node) {
		return func(t *testing.T, out plan.Node) {
			f := findAll[*plan.Filter](out)
			require.Len(t, f, 1)
			assert.Equal(t, want, conjunctTexts(f[0].Pred))
		}
	}
	ruleTest{rule: "factor_or"}.run(t, cat, []ruleCase{
		// TPC-H Q19's shape: the join equality repeated in every branch
		// comes out, so that pushdown can make it a join condition.
		{name: "q19_join_key", changed: true, sql: `SELECT a FROM t, u
			WHERE (a = x AND b = 1 AND y = 2) OR (a = x AND b = 3 AND y = 4)`,
			check: filterConjuncts("(a = x)", "((b = 1) AND (y = 2) OR (b = 3) AND (y = 4))", "b IN (1, 3)", "y IN (2, 4)")},
		{name: "several_common_any_order", changed: true, sql: `SELECT a FROM t
			WHERE (b = 1 AND c = 'x' AND a = 1) OR (c = 'x' AND a = 2 AND b = 1)`,
			check: filterConjuncts("(b = 1)", "(c = 'x')", "a IN (1, 2)")},
		{name: "three_branches", changed: true, sql: `SELECT a FROM t
			WHERE (b = 1 AND a = 1) OR (b = 1 AND a = 2) OR (a = 3 AND b = 1)`,
			check: filterConjuncts("(b = 1)", "a IN (1, 2, 3)")},
		// x OR (x AND y) is x.
		{name: "branch_is_the_common_part", changed: true, sql: `SELECT a FROM t, u
			WHERE (a = x AND b = 1) OR a = x`,
			check: filterConjuncts("(a = x)")},
		{name: "next_to_other_conjuncts", changed: true, sql: `SELECT a FROM t, u
			WHERE b > 0 AND ((a = x AND y = 1) OR (a = x AND y = 2))`,
			check: filterConjuncts("(b > 0)", "(a = x)", "y IN (1, 2)")},
		{name: "join_condition", changed: true, sql: `SELECT a FROM t JOIN u
			ON (a = x AND b = 1) OR (a = x AND y = 2)`,
			check: func(t *testing.T, out plan.Node) {
				assert.Equal(t, []string{"(a = x)", "((b = 1) OR (y = 2))"},
					conjunctTexts(joinOf(t, out, plan.InnerJoin).Cond))
			}},
		// The same condition written either way round is common.
		{name: "commuted_comparisons", changed: true, sql: `SELECT a FROM t, u
			WHERE (a = x AND b < y AND y = 1) OR (x = a AND y > b AND y = 2)`,
			check: filterConjuncts("(a = x)", "(b < y)", "y IN (1, 2)")},
		// A conjunct repeated within a branch comes out once (twice would
		// square its selectivity in the estimates).
		{name: "repeated_conjunct_once", changed: true, sql: `SELECT a FROM t
			WHERE (b = 1 AND b = 1 AND c = 'x') OR (b = 1 AND c = 'y')`,
			check: filterConjuncts("(b = 1)", "c IN ('x', 'y')")},
		// Nothing is common, but every branch constrains b alone: the OR
		// implies a condition on b, which can go to t's scan. The OR stays.
		{name: "nothing_common", changed: true, sql: `SELECT a FROM t, u
			WHERE (a = x AND b = 1) OR (a = y AND b = 2)`,
			check: filterConjuncts("((a = x) AND (b = 1) OR (a = y) AND (b = 2))", "b IN (1, 2)")},
		{name: "common_to_some_branches_only", changed: true, sql: `SELECT a FROM t, u
			WHERE (a = x AND b = 1) OR (a = x AND b = 2) OR b = 3`,
			check: filterConjuncts("((a = x) AND (b = 1) OR (a = x) AND (b = 2) OR (b = 3))", "b IN (1, 2, 3)")},
		// Q7's shape: each side's nation is one of two; neither is implied
		// when a branch does not constrain the column.
		{name: "implied_per_column", changed: true, sql: `SELECT a FROM t, u
			WHERE (c = 'F' AND z = 'G') OR (c = 'G' AND z = 'F' AND b > 2)`,
			check: filterConjuncts("((c = 'F') AND (z = 'G') OR (c = 'G') AND (z = 'F') AND (b > 2))", "c IN ('F', 'G')", "z IN ('G', 'F')")},
		{name: "ranges_imply_their_or", changed: true, sql: `SELECT a FROM t, u
			WHERE (b BETWEEN 1 AND 5 AND x = 1) OR (b BETWEEN 10 AND 20 AND x = 2)`,
			check: filterConjuncts("((b >= 1) AND (b <= 5) AND (x = 1) OR (b >= 10) AND (b <= 20) AND (x = 2))",
				"((b >= 1) AND (b <= 5) OR (b >= 10) AND (b <= 20))", "x IN (1, 2)")},
		{name: "nothing_implied", changed: false, sql: `SELECT a FROM t, u
			WHERE (a = x AND b = 1) OR (a = y AND c = 'z')`},
		{name: "no_or", changed: false, sql: "SELECT a FROM t WHERE b = 1 AND a > 2"},
	})
}
