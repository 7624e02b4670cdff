package binder

import (
	"strconv"

	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// withMarker finds the pre-lexer's __with(pos) item in a SELECT's list: the
// SELECT starts a subquery with a WITH clause of its own (see
// parse/nested_with.go).
func withMarker(sel *sqlparser.Select) (int, bool) {
	if sel == nil {
		return 0, false
	}
	for _, se := range sel.SelectExprs {
		if pos, ok := withMarkerItem(se); ok {
			return pos, true
		}
	}
	return 0, false
}

func withMarkerItem(se sqlparser.SelectExpr) (int, bool) {
	ae, ok := se.(*sqlparser.AliasedExpr)
	if !ok {
		return 0, false
	}
	fn, ok := ae.Expr.(*sqlparser.FuncExpr)
	if !ok || fn.Name.Lowered() != parse.WithFunc || len(fn.Exprs) != 1 {
		return 0, false
	}
	arg, ok := fn.Exprs[0].(*sqlparser.AliasedExpr)
	if !ok {
		return 0, false
	}
	v, ok := arg.Expr.(*sqlparser.SQLVal)
	if !ok || v.Type != sqlparser.IntVal {
		return 0, false
	}
	pos, err := strconv.Atoi(string(v.Val))
	return pos, err == nil
}

// withoutMarker returns sel without its __with item (a copy; the AST is
// not modified, a CTE's SELECT may be bound more than once).
func withoutMarker(sel *sqlparser.Select) *sqlparser.Select {
	cp := *sel
	cp.SelectExprs = nil
	for _, se := range sel.SelectExprs {
		if _, ok := withMarkerItem(se); !ok {
			cp.SelectExprs = append(cp.SelectExprs, se)
		}
	}
	return &cp
}

// leftmostSelect is the first SELECT of a UNION chain.
func leftmostSelect(s sqlparser.SelectStatement) *sqlparser.Select {
	for {
		switch x := s.(type) {
		case *sqlparser.Select:
			return x
		case *sqlparser.Union:
			s = x.Left
		case *sqlparser.ParenSelect:
			s = x.Select
		default:
			return nil
		}
	}
}

// pushNestedWith puts the CTEs of the subquery WITH marked pos in scope.
func (b *binder) pushNestedWith(pos int) (func(), error) {
	q, ok := b.nested[pos]
	if !ok {
		return nil, sqlerr.New(sqlerr.ErrInternal, "no WITH clause recorded at %d", pos)
	}
	return b.openWith(q)
}

// registerNested records a query's subquery WITH clauses, for the SELECTs
// that carry their markers.
func (b *binder) registerNested(q *parse.Query) {
	for pos, nq := range q.Nested {
		if b.nested == nil {
			b.nested = map[int]*parse.Query{}
		}
		b.nested[pos] = nq
	}
}
