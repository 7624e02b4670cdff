package binder

import (
	"fmt"
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// aggState collects the aggregate calls of one aggregating SELECT.
type aggState struct {
	input  *scope // the FROM scope: aggregate arguments bind here
	calls  []plan.AggCall
	cols   []plan.Column
	byKey  map[string]int
	inside bool // binding an aggregate's argument
	// groupings are the grouping() calls (grouping_sets.go).
	groupings []groupingCall
}

// add registers a call (once per distinct call) and returns its column.
func (a *aggState) add(b *binder, call plan.AggCall, out types.T, name string) expr.Expr {
	k := fmt.Sprintf("%d|%v|%s|%s|%q|%v|%v", call.Kind, call.Distinct, keyOf(call.Arg), keyOf(call.Arg2), call.Sep, call.Frac, call.KeepNulls)
	if a.byKey == nil {
		a.byKey = map[string]int{}
	}
	if i, ok := a.byKey[k]; ok {
		return a.cols[i].Ref()
	}
	col := plan.Column{ID: b.newID(), Name: strings.ToLower(name), Type: out}
	a.byKey[k] = len(a.calls)
	a.calls = append(a.calls, call)
	a.cols = append(a.cols, col)
	return col.Ref()
}

func keyOf(e expr.Expr) string { return expr.Key(e) }

// replaceKeys replaces every subexpression equal to a GROUP BY key by a
// reference to the key's output column.
func replaceKeys(e expr.Expr, keys []expr.Expr, keyCols []plan.Column) expr.Expr {
	k := keyOf(e)
	for i, key := range keys {
		if keyOf(key) == k {
			return keyCols[i].Ref()
		}
	}
	return expr.MapChildren(e, func(c expr.Expr) expr.Expr { return replaceKeys(c, keys, keyCols) })
}

// checkGrouped fails if e still reads an input column that is not a key.
func (b *binder) checkGrouped(e expr.Expr, input map[expr.ColumnID]bool, keyCols []plan.Column) error {
	var bad *expr.ColumnRef
	walkRefs(e, func(r *expr.ColumnRef) {
		if bad != nil || !input[r.ID] {
			return
		}
		for _, k := range keyCols {
			if k.ID == r.ID {
				return
			}
		}
		bad = r
	})
	if bad != nil {
		return b.errAt(bad.Name, sqlerr.ErrSyntax, "column %q must appear in the GROUP BY clause or be used in an aggregate function", bad.Name)
	}
	return nil
}

// checkPending makes sure the joins that wait for the Aggregate (the
// subqueries of the select list and HAVING) fit above it: their conditions
// may read only grouping keys, and no grouping key may read a column they
// produce (a subquery inside a key would have to join below the Aggregate).
func (b *binder) checkPending(rel *relBuilder, keys []expr.Expr, keyCols, aggCols []plan.Column, input map[expr.ColumnID]bool) error {
	produced := map[expr.ColumnID]bool{}
	for _, p := range rel.pending {
		if p.mark.ID != 0 {
			produced[p.mark.ID] = true
		}
		for _, c := range p.right.Columns() {
			produced[c.ID] = true
		}
	}
	for _, k := range keys {
		if refsAny(k, produced) {
			return sqlerr.NotSupported("a subquery inside a GROUP BY key: %s", k)
		}
	}
	// Above the Aggregate a join condition may read the keys, the
	// aggregates' results and what the joins before it produced.
	above := &plan.Values{Cols: append(append([]plan.Column(nil), keyCols...), aggCols...)}
	for i := range rel.pending {
		p := &rel.pending[i]
		if p.cond != nil {
			p.cond = replaceKeys(p.cond, keys, keyCols)
			if err := b.checkGrouped(p.cond, input, keyCols); err != nil {
				return err
			}
			if err := checkJoinRefs(p.cond, above, p.right); err != nil {
				return err
			}
		}
		above.Cols = append(above.Cols, p.right.Columns()...)
		if p.mark.ID != 0 {
			above.Cols = append(above.Cols, p.mark)
		}
	}
	return nil
}

func walkRefs(e expr.Expr, f func(*expr.ColumnRef)) {
	if r, ok := e.(*expr.ColumnRef); ok {
		f(r)
		return
	}
	for _, c := range e.Children() {
		walkRefs(c, f)
	}
}

// hasAggregate reports whether an AST expression calls an aggregate
// (outside nested subqueries).
func hasAggregate(nodes ...sqlparser.SQLNode) bool {
	found := false
	for _, n := range nodes {
		if n == nil {
			continue
		}
		_ = sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
			switch x := node.(type) {
			case *sqlparser.Subquery:
				return false, nil
			case *sqlparser.FuncExpr:
				if x.Name.Lowered() == "__over" {
					// The window function is no aggregate; its
					// arguments and window may hold some.
					found = found || windowHasAggregate(x)
					return false, nil
				}
				if _, ok := aggKinds[strings.ToLower(x.Name.String())]; ok && x.Qualifier.IsEmpty() {
					found = true
				}
			}
			return !found, nil
		}, n)
	}
	return found
}

// windowHasAggregate reports whether a window call (the pre-lexer's
// __over) has an aggregate in its function's arguments or its window.
func windowHasAggregate(over *sqlparser.FuncExpr) bool {
	var nodes []sqlparser.SQLNode
	for i, se := range over.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			continue
		}
		if fn, ok := ae.Expr.(*sqlparser.FuncExpr); ok && i == 0 {
			for _, a := range fn.Exprs {
				nodes = append(nodes, a)
			}
			continue
		}
		nodes = append(nodes, ae.Expr)
	}
	return hasAggregate(nodes...)
}
