package optimizer_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// hidePicked renders a reference to a computed column (named after its
// expression, so with a parenthesis) as "#", so that a test can tell it
// from the expression itself.
func hidePicked(e expr.Expr) expr.Expr {
	if r, ok := e.(*expr.ColumnRef); ok && strings.Contains(r.Name, "(") {
		c := *r
		c.Name = "#"
		return &c
	}
	ch := e.Children()
	if len(ch) == 0 {
		return e
	}
	out := make([]expr.Expr, len(ch))
	for i, x := range ch {
		out[i] = hidePicked(x)
	}
	return e.WithChildren(out)
}

// beforeCSE are the rules eliminate_common_subexpressions runs after.
var beforeCSE = append(append([]string{}, allRulesBefore...), "prune_columns")

func TestEliminateCommonSubexpressions(t *testing.T) {
	cat := newCatalog(t, basicTables()...)
	// computes checks the expressions of every projection, top down.
	computes := func(want ...[]string) func(*testing.T, plan.Node) {
		return func(t *testing.T, out plan.Node) {
			ps := findAll[*plan.Project](out)
			var got [][]string
			for _, p := range ps {
				var es []string
				for _, e := range p.Exprs {
					es = append(es, hidePicked(e).String())
				}
				got = append(got, es)
			}
			assert.Equal(t, want, got)
		}
	}
	ruleTest{rule: "eliminate_common_subexpressions", pre: beforeCSE}.run(t, cat, []ruleCase{
		// TPC-H Q1's shape: the discounted price, alone and inside the
		// charge, is computed once.
		{name: "q1_discounted_price", changed: true,
			sql: "SELECT sum(m * (1 - a)) AS dp, sum(m * (1 - a) * (1 + b)) AS ch FROM t",
			check: func(t *testing.T, out plan.Node) {
				ps := findAll[*plan.Project](out)
				require.GreaterOrEqual(t, len(ps), 2)
				var lower *plan.Project
				for _, p := range ps {
					if _, ok := p.Input.(*plan.Project); !ok {
						lower = p
					}
				}
				require.NotNil(t, lower)
				last := lower.Exprs[len(lower.Exprs)-1]
				assert.Equal(t, "(m * CAST((1 - a) AS DECIMAL(19,0)))", last.String())
			}},
		{name: "no_repeats", changed: false, sql: "SELECT a + 1, b + 1 FROM t"},
		{name: "repeated_column_is_free", changed: false, sql: "SELECT a, a, b FROM t"},
		// Under CASE a division runs only where its guard holds: computed
		// for every row it could fail.
		{name: "not_from_under_case", changed: false,
			sql: "SELECT CASE WHEN b <> 0 THEN a / b END, CASE WHEN b <> 0 THEN a / b ELSE 0 END FROM t"},
		// A picked expression inside another picked one: a third level.
		{name: "nested", changed: true, sql: "SELECT (a + 1) * 2, (a + 1) * 2 + 3, a + 1, (a + 1) - b FROM t",
			check: computes(
				[]string{"#", "(# + 3)", "#", "(# - b)"},
				[]string{"a", "b", "(# * 2)", "#"},
				[]string{"a", "b", "(a + 1)"},
			)},
	})
}
