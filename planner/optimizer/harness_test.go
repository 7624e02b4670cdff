package optimizer_test

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/binder"
	"github.com/minisql/minisql/planner/optimizer"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
)

// bind parses and binds one SELECT into its logical plan.
func bind(t *testing.T, cat catalog.Catalog, sql string) plan.Node {
	t.Helper()
	st, err := parse.Parse(sql)
	require.NoError(t, err, sql)
	bound, err := binder.Bind(cat, st)
	require.NoError(t, err, sql)
	q, ok := bound.(*binder.Query)
	require.True(t, ok, "%s: bound to %T, not a query", sql, bound)
	return q.Plan
}

// rule returns the named rule of optimizer.Rules.
func rule(t *testing.T, name string) optimizer.Rule {
	t.Helper()
	for _, r := range optimizer.Rules() {
		if r.Name == name {
			return r
		}
	}
	require.FailNow(t, "no such rule", name)
	return optimizer.Rule{}
}

// apply runs the named rules in order.
func apply(t *testing.T, n plan.Node, names ...string) plan.Node {
	t.Helper()
	for _, name := range names {
		n, _ = rule(t, name).Apply(n)
	}
	return n
}

// ruleCase is one plan test of a rule: the SQL, whether the rule must
// change the plan, and an optional structural check of its output (so a
// careless -update cannot bless a wrong plan).
type ruleCase struct {
	name    string
	sql     string
	pre     []string // rules run first; nil: the test's default
	changed bool
	check   func(t *testing.T, out plan.Node)
}

// ruleTest runs cases against one rule and its golden files in
// testdata/<rule>/<case>.golden. withEstimates appends each node's
// estimated rows to the output plan.
type ruleTest struct {
	rule          string
	pre           []string
	withEstimates bool
}

func (rt ruleTest) run(t *testing.T, cat catalog.Catalog, cases []ruleCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range cases {
		require.False(t, seen[c.name], "duplicate case %s", c.name)
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			pre := c.pre
			if pre == nil {
				pre = rt.pre
			}
			in := apply(t, bind(t, cat, c.sql), pre...)
			inText := plan.Format(in)
			out, changed := rule(t, rt.rule).Apply(in)
			outText := plan.Format(out)

			assert.Equal(t, inText, plan.Format(in), "the rule modified its input in place")
			assert.Equal(t, c.changed, changed, "changed flag")
			if c.changed {
				assert.NotEqual(t, inText, outText, "the plan should have changed")
			} else {
				assert.Equal(t, inText, outText, "the plan should not have changed")
			}
			again, changedAgain := rule(t, rt.rule).Apply(out)
			assert.False(t, changedAgain, "a second run still changes the plan:\n%s", plan.Format(again))
			if c.check != nil {
				c.check(t, out)
			}

			var g strings.Builder
			g.WriteString("-- sql\n" + strings.TrimSpace(c.sql) + "\n")
			g.WriteString("-- input (bound")
			for _, p := range pre {
				g.WriteString(", " + p)
			}
			g.WriteString(")\n" + inText)
			g.WriteString("-- " + rt.rule + " (changed: " + strconv.FormatBool(changed) + ")\n")
			if rt.withEstimates {
				g.WriteString(formatEstimates(out))
			} else {
				g.WriteString(outText)
			}
			checkGolden(t, filepath.Join("testdata", rt.rule, c.name+".golden"), g.String())
		})
	}
}

// formatEstimates renders a plan with each node's estimated rows, as
// EXPLAIN does.
func formatEstimates(n plan.Node) string {
	est := optimizer.Estimates(n)
	return plan.FormatWith(n, func(n plan.Node) string {
		return "~" + strconv.FormatFloat(math.Round(est(n)), 'f', -1, 64)
	})
}

// checkGolden compares got with the golden file, or rewrites it under
// -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file (run with -update to create it)")
	assert.Equal(t, string(want), got, "output differs from %s (run with -update to accept it)", path)
}

// findAll returns the nodes of type T in the plan, in pre-order.
func findAll[T plan.Node](n plan.Node) []T {
	var out []T
	var walk func(plan.Node)
	walk = func(n plan.Node) {
		if x, ok := n.(T); ok {
			out = append(out, x)
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(n)
	return out
}

// scanOf returns the scan of the named table (or alias); it fails the test
// unless there is exactly one.
func scanOf(t *testing.T, n plan.Node, name string) *plan.Scan {
	t.Helper()
	var found []*plan.Scan
	for _, s := range findAll[*plan.Scan](n) {
		if s.Table.Name() == name || s.Alias == name {
			found = append(found, s)
		}
	}
	require.Len(t, found, 1, "scans of %s in\n%s", name, plan.Format(n))
	return found[0]
}

// predOf returns the text of the first Filter's predicate directly above
// (or at) n, or "" if n is not a Filter.
func predOf(n plan.Node) string {
	if f, ok := n.(*plan.Filter); ok {
		return f.Pred.String()
	}
	return ""
}

// joinOf returns the single join of the given kind in the plan.
func joinOf(t *testing.T, n plan.Node, kind plan.JoinKind) *plan.Join {
	t.Helper()
	var found []*plan.Join
	for _, j := range findAll[*plan.Join](n) {
		if j.Kind == kind {
			found = append(found, j)
		}
	}
	require.Len(t, found, 1, "%s joins in\n%s", kind, plan.Format(n))
	return found[0]
}

// parentOf returns the node whose input is child (nil for the root).
func parentOf(root, child plan.Node) plan.Node {
	for _, in := range root.Inputs() {
		if in == child {
			return root
		}
		if p := parentOf(in, child); p != nil {
			return p
		}
	}
	return nil
}

// exprText renders an optional expression ("" for nil).
func exprText(e expr.Expr) string {
	if e == nil {
		return ""
	}
	return e.String()
}

// conjunctTexts renders each conjunct of e.
func conjunctTexts(e expr.Expr) []string {
	var out []string
	for _, c := range plan.Conjuncts(e) {
		out = append(out, c.String())
	}
	return out
}
