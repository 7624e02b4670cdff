package binder

import (
	"slices"
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// GROUP BY GROUPING SETS, ROLLUP and CUBE arrive as the pre-lexer's marker
// calls (parse/groupingsets.go). Each element of the GROUP BY list stands
// for a list of grouping sets; the list's sets are the cross product of
// its elements' (GROUP BY a, ROLLUP(b) groups by (a, b) and (a)), as in
// PostgreSQL and DuckDB. The result is a plan.GroupingSets.

// MaxGroupingSets bounds the grouping sets of one GROUP BY: each is an
// aggregate of its own over the shared input (CUBE of 10 keys is 1024).
const MaxGroupingSets = 1024

// maxGroupingArgs bounds the arguments of grouping(), whose bit mask is a
// BIGINT.
const maxGroupingArgs = 62

// elemKind is the kind of a grouping element.
type elemKind int

const (
	elemKeys   elemKind = iota // a key or a (key list): one set
	elemRollup                 // ROLLUP(parts): each prefix of the parts
	elemCube                   // CUBE(parts): each subset of the parts
	elemSets                   // GROUPING SETS(parts): each part's sets
)

// groupingElem is a grouping element with its keys as indexes.
type groupingElem struct {
	kind  elemKind
	keys  []int          // elemKeys
	parts []groupingElem // the others; a ROLLUP's or CUBE's parts are elemKeys
}

// expandGrouping returns the grouping sets of a GROUP BY list: the cross
// product of its elements' sets, each set's keys ascending and distinct.
func expandGrouping(list []groupingElem, max int) ([][]int, error) {
	out := [][]int{{}}
	for _, e := range list {
		sets, err := e.sets(max)
		if err != nil {
			return nil, err
		}
		if len(out)*len(sets) > max {
			return nil, tooManySets(max)
		}
		var next [][]int
		for _, a := range out {
			for _, s := range sets {
				next = append(next, union(a, s))
			}
		}
		out = next
	}
	return out, nil
}

// sets returns an element's grouping sets.
func (e groupingElem) sets(max int) ([][]int, error) {
	switch e.kind {
	case elemRollup:
		out := make([][]int, 0, len(e.parts)+1)
		for n := len(e.parts); n >= 0; n-- {
			var s []int
			for _, p := range e.parts[:n] {
				s = union(s, p.keys)
			}
			out = append(out, s)
		}
		if len(out) > max {
			return nil, tooManySets(max)
		}
		return out, nil
	case elemCube:
		if len(e.parts) > 30 || 1<<len(e.parts) > max {
			return nil, tooManySets(max)
		}
		n := len(e.parts)
		out := make([][]int, 0, 1<<n)
		// All keys first, the empty set last, as ROLLUP.
		for m := 1<<n - 1; m >= 0; m-- {
			var s []int
			for i, p := range e.parts {
				if m&(1<<(n-1-i)) != 0 {
					s = union(s, p.keys)
				}
			}
			out = append(out, s)
		}
		return out, nil
	case elemSets:
		var out [][]int
		for _, p := range e.parts {
			sets, err := p.sets(max)
			if err != nil {
				return nil, err
			}
			if len(out)+len(sets) > max {
				return nil, tooManySets(max)
			}
			out = append(out, sets...)
		}
		return out, nil
	}
	return [][]int{union(nil, e.keys)}, nil
}

func tooManySets(max int) error {
	return sqlerr.NotSupported("more than %d grouping sets in one GROUP BY", max)
}

// union returns the ascending distinct keys of a and b.
func union(a, b []int) []int {
	out := append(append([]int{}, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// groupingMarker returns the marker a GROUP BY item is a call of, or "".
func groupingMarker(e sqlparser.Expr) string {
	f, ok := e.(*sqlparser.FuncExpr)
	if !ok || !f.Qualifier.IsEmpty() {
		return ""
	}
	switch name := f.Name.Lowered(); name {
	case parse.GroupingSetsMarker, parse.RollupMarker, parse.CubeMarker, parse.SetMarker:
		return name
	}
	return ""
}

// hasGroupingSets reports whether a GROUP BY list uses a construct of
// this file.
func hasGroupingSets(groupBy sqlparser.GroupBy) bool {
	for _, g := range groupBy {
		if groupingMarker(g) != "" {
			return true
		}
	}
	return false
}

// bindGroupingSets binds a GROUP BY list with grouping-set constructs: its
// distinct keys, in order of appearance, and its sets over them.
func (b *binder) bindGroupingSets(groupBy sqlparser.GroupBy, items []selectItem, sc *scope) ([]expr.Expr, [][]int, error) {
	var keys []expr.Expr
	key := func(g sqlparser.Expr) (int, error) {
		if isAllMarker(g) {
			return 0, sqlerr.NotSupported("GROUP BY ALL with GROUPING SETS, ROLLUP or CUBE")
		}
		if m := groupingMarker(g); m != "" {
			return 0, sqlerr.New(sqlerr.ErrSyntax, "GROUPING SETS, ROLLUP or CUBE inside a key list")
		}
		x, err := b.bindGroupKey(g, items, sc, true)
		if err != nil {
			return 0, err
		}
		k := keyOf(x)
		for i, have := range keys {
			if keyOf(have) == k {
				return i, nil
			}
		}
		keys = append(keys, x)
		return len(keys) - 1, nil
	}
	var list []groupingElem
	for _, g := range groupBy {
		e, err := b.groupingElem(g, key)
		if err != nil {
			return nil, nil, err
		}
		list = append(list, e)
	}
	sets, err := expandGrouping(list, MaxGroupingSets)
	if err != nil {
		return nil, nil, err
	}
	if len(sets) == 0 { // the pre-lexer rejects an empty GROUPING SETS already
		return nil, nil, sqlerr.New(sqlerr.ErrSyntax, "GROUPING SETS needs at least one set")
	}
	return keys, sets, nil
}

// groupingElem turns one GROUP BY item (or an item inside GROUPING SETS)
// into an element, binding its keys with key.
func (b *binder) groupingElem(g sqlparser.Expr, key func(sqlparser.Expr) (int, error)) (groupingElem, error) {
	m := groupingMarker(g)
	if m == "" {
		k, err := key(g)
		return groupingElem{keys: []int{k}}, err
	}
	var args []sqlparser.Expr
	for _, se := range g.(*sqlparser.FuncExpr).Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return groupingElem{}, sqlerr.New(sqlerr.ErrSyntax, "%s in a GROUP BY list", parse.Format(se))
		}
		args = append(args, ae.Expr)
	}
	switch m {
	case parse.SetMarker:
		e := groupingElem{kind: elemKeys, keys: []int{}}
		for _, a := range args {
			k, err := key(a)
			if err != nil {
				return e, err
			}
			e.keys = append(e.keys, k)
		}
		return e, nil
	case parse.GroupingSetsMarker:
		e := groupingElem{kind: elemSets}
		for _, a := range args {
			p, err := b.groupingElem(a, key)
			if err != nil {
				return e, err
			}
			e.parts = append(e.parts, p)
		}
		return e, nil
	}
	e := groupingElem{kind: elemRollup}
	if m == parse.CubeMarker {
		e.kind = elemCube
	}
	for _, a := range args {
		if groupingMarker(a) != parse.SetMarker && groupingMarker(a) != "" {
			return e, sqlerr.New(sqlerr.ErrSyntax, "GROUPING SETS, ROLLUP or CUBE inside ROLLUP or CUBE")
		}
		p, err := b.groupingElem(a, key)
		if err != nil {
			return e, err
		}
		e.parts = append(e.parts, p)
	}
	return e, nil
}

// groupingCall is one grouping() (or grouping_id()) call of a SELECT. Its
// arguments are matched to the keys once they are bound.
type groupingCall struct {
	args []sqlparser.Expr
	col  plan.Column
	pos  int // the call's position, for errors
}

// bindGrouping registers a grouping() call and returns its column, which
// the GroupingSets node fills in.
func (b *binder) bindGrouping(e *sqlparser.FuncExpr, c *exprCtx) (expr.Expr, error) {
	name := e.Name.Lowered()
	if c.agg == nil {
		return nil, b.errAt(e.Name.String(), sqlerr.ErrSyntax, "%s() is allowed only in a query with GROUP BY", name)
	}
	if c.agg.inside {
		return nil, b.errAt(e.Name.String(), sqlerr.ErrSyntax, "%s() inside an aggregate", name)
	}
	if e.Distinct || len(e.Exprs) == 0 || len(e.Exprs) > maxGroupingArgs {
		return nil, b.errAt(e.Name.String(), sqlerr.ErrSyntax, "%s() takes 1 to %d GROUP BY keys", name, maxGroupingArgs)
	}
	text := strings.ToLower(parse.Format(e))
	for _, g := range c.agg.groupings {
		if g.col.Name == text {
			return g.col.Ref(), nil
		}
	}
	call := groupingCall{col: plan.Column{ID: b.newID(), Name: text, Type: types.Int64Type}}
	call.pos = sqlerr.Position(b.errAt(e.Name.String(), sqlerr.ErrSyntax, ""))
	for _, se := range e.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, b.errAt(e.Name.String(), sqlerr.ErrSyntax, "%s() takes GROUP BY keys", name)
		}
		call.args = append(call.args, ae.Expr)
	}
	c.agg.groupings = append(c.agg.groupings, call)
	return call.col.Ref(), nil
}

// resolveGroupings matches each grouping() argument to a key.
func (b *binder) resolveGroupings(calls []groupingCall, keys []expr.Expr, items []selectItem, sc *scope) ([][]int, []plan.Column, error) {
	var out [][]int
	var cols []plan.Column
	for _, call := range calls {
		var idx []int
		for _, a := range call.args {
			x, err := b.bindGroupKey(a, items, sc, false)
			if err != nil {
				return nil, nil, err
			}
			i := slices.IndexFunc(keys, func(k expr.Expr) bool { return keyOf(k) == keyOf(x) })
			if i < 0 {
				return nil, nil, sqlerr.At(call.pos, sqlerr.ErrSyntax, "%s: argument %s is not a GROUP BY key", call.col.Name, parse.Format(a))
			}
			idx = append(idx, i)
		}
		out = append(out, idx)
		cols = append(cols, call.col)
	}
	return out, cols, nil
}

// allKeys is the one grouping set of a plain GROUP BY, for grouping().
func allKeys(n int) [][]int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return [][]int{s}
}

// keyName names a key's output column.
func keyName(k expr.Expr) string {
	if r, ok := k.(*expr.ColumnRef); ok {
		return r.Name
	}
	return k.String()
}
