package optimizer_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/optimizer"
	"github.com/minisql/minisql/planner/plan"
)

// countCalls counts the calls of name in the expressions of n's plan
// (not the columns named after them).
func countCalls(n plan.Node, name string) int {
	var exprs []expr.Expr
	switch x := n.(type) {
	case *plan.Project:
		exprs = x.Exprs
	case *plan.Filter:
		exprs = []expr.Expr{x.Pred}
	case *plan.Aggregate:
		exprs = append(exprs, x.Keys...)
		for _, a := range x.Aggs {
			exprs = append(exprs, a.Arg, a.Arg2)
		}
	case *plan.Join:
		exprs = []expr.Expr{x.Cond}
	case *plan.Scan:
		exprs = x.Filters
	}
	count := 0
	var walk func(e expr.Expr)
	walk = func(e expr.Expr) {
		if e == nil {
			return
		}
		if f, ok := e.(*expr.Func); ok && strings.EqualFold(f.Name, name) {
			count++
		}
		for _, c := range e.Children() {
			walk(c)
		}
	}
	for _, e := range exprs {
		walk(e)
	}
	for _, in := range n.Inputs() {
		count += countCalls(in, name)
	}
	return count
}

// random() is volatile: every occurrence draws its own values, and a
// column defined by it is one value per row wherever it is read. No rule
// may fold it, share two occurrences, copy it, or substitute it into a
// condition below the projection that defines it.
func TestVolatileFunctions(t *testing.T) {
	cat := newCatalog(t, basicTables()...)
	for _, c := range []struct {
		name, sql string
		check     func(t *testing.T, out plan.Node)
	}{
		{"not folded", "SELECT random() FROM t", func(t *testing.T, out plan.Node) {
			require.Equal(t, 1, countCalls(out, "random"))
			require.NotContains(t, plan.Format(out), "0.")
		}},
		{"not shared", "SELECT random() * 2, random() * 2 FROM t", func(t *testing.T, out plan.Node) {
			require.Equal(t, 2, countCalls(out, "random"))
		}},
		{"not pushed below its projection", "SELECT * FROM (SELECT random() AS r FROM t) s WHERE r <> r", func(t *testing.T, out plan.Node) {
			require.Equal(t, 1, countCalls(out, "random"))
			require.NotContains(t, plan.Format(out), "random() <> random()")
		}},
		{"not pushed below its group key", "SELECT * FROM (SELECT random() AS r, count(*) AS n FROM t GROUP BY 1) s WHERE r < 0.5", func(t *testing.T, out plan.Node) {
			require.Equal(t, 1, countCalls(out, "random"))
		}},
		{"not factored out of OR", "SELECT a FROM t WHERE (random() < 0.5 AND a = 1) OR (random() < 0.5 AND b = 2)", func(t *testing.T, out plan.Node) {
			require.Equal(t, 2, countCalls(out, "random"))
		}},
		{"not copied to reduce an aggregate", "SELECT s.a, g.n FROM (SELECT a FROM t WHERE random() < 0.01) s JOIN (SELECT x, count(*) AS n FROM u GROUP BY x) g ON s.a = g.x", func(t *testing.T, out plan.Node) {
			require.Equal(t, 1, countCalls(out, "random"))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := optimizer.Optimize(bind(t, cat, c.sql))
			c.check(t, out)
		})
	}
	require.True(t, expr.IsVolatile(&expr.Func{Name: "RANDOM"}))
	require.False(t, expr.IsVolatile(&expr.Func{Name: "pi"}))
}
