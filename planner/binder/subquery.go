package binder

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// Subqueries are decorrelated while they are bound, never executed per
// outer row:
//
//   - [NOT] EXISTS (q) and x [NOT] IN (q) as a WHERE conjunct become semi
//     and anti joins; NOT IN is a null-aware anti join.
//   - a scalar subquery becomes a join whose single value column replaces
//     it: a left join of one guarded row (Max1Row) when uncorrelated, a left
//     join with q grouped by its correlation keys when correlated.
//
// A correlated subquery may refer to the enclosing query only in WHERE
// conjuncts. Those conjuncts are lifted out of it and become the join
// condition; for an aggregating subquery they must be equalities, whose
// inner sides become extra GROUP BY keys.

// subquery is a bound subquery ready to be joined.
type subquery struct {
	node  plan.Node
	value []plan.Column // the select list's columns
	preds []expr.Expr   // correlated conjuncts (the join condition)
	agg   bool          // the subquery aggregates
}

func (b *binder) bindSubquery(sel sqlparser.SelectStatement, outer *scope) (*subquery, error) {
	s, ok := sel.(*sqlparser.Select)
	if !ok {
		node, cols, err := b.bindSelectStatement(sel, nil)
		if err != nil {
			return nil, err
		}
		return &subquery{node: node, value: cols}, nil
	}
	cs := &corrSpec{}
	node, cols, err := b.bindSelect(s, outer, cs)
	if err != nil {
		return nil, err
	}
	nValue := len(cols) - len(cs.extra)
	return &subquery{node: node, value: cols[:nValue], preds: cs.preds,
		agg: len(s.GroupBy) > 0 || hasAggregate(s.SelectExprs, s.Having)}, nil
}

// whereSubquery handles the WHERE conjuncts that are [NOT] EXISTS or
// [NOT] IN a subquery, adding a semi or anti join to rel.
func (b *binder) whereSubquery(conj sqlparser.Expr, sc *scope, rel *relBuilder) (bool, error) {
	negated := false
	e := conj
	if n, ok := e.(*sqlparser.NotExpr); ok {
		negated, e = true, n.Expr
	}
	for {
		p, ok := e.(*sqlparser.ParenExpr)
		if !ok {
			break
		}
		e = p.Expr
	}
	switch x := e.(type) {
	case *sqlparser.ExistsExpr:
		sub, err := b.bindSubquery(x.Subquery.Select, sc)
		if err != nil {
			return true, err
		}
		kind := plan.SemiJoin
		if negated {
			kind = plan.AntiJoin
		}
		cond := andOf(sub.preds)
		if err := checkJoinRefs(cond, rel.node, sub.node); err != nil {
			return true, err
		}
		rel.node = &plan.Join{Kind: kind, Left: rel.node, Right: sub.node, Cond: cond}
		return true, nil
	case *sqlparser.ComparisonExpr:
		q, ok := x.Right.(*sqlparser.Subquery)
		if !ok || (x.Operator != sqlparser.InStr && x.Operator != sqlparser.NotInStr) {
			return false, nil
		}
		if negated { // NOT (x IN q) is x NOT IN q
			x = &sqlparser.ComparisonExpr{Operator: flipIn(x.Operator), Left: x.Left, Right: x.Right}
		}
		left, err := b.bindExpr(x.Left, &exprCtx{sc: sc, rel: rel})
		if err != nil {
			return true, err
		}
		sub, err := b.bindSubquery(q.Select, sc)
		if err != nil {
			return true, err
		}
		if len(sub.value) != 1 {
			return true, sqlerr.New(sqlerr.ErrSyntax, "IN subquery must return one column, not %d", len(sub.value))
		}
		eq, err := b.comparison(expr.OpEq, left, sub.value[0].Ref())
		if err != nil {
			return true, err
		}
		kind := plan.SemiJoin
		if x.Operator == sqlparser.NotInStr {
			kind = plan.AntiJoinNullAware
			if len(sub.preds) > 0 {
				return true, sqlerr.NotSupported("correlated NOT IN subquery (use NOT EXISTS)")
			}
		}
		cond := andOf(append([]expr.Expr{eq}, sub.preds...))
		if err := checkJoinRefs(cond, rel.node, sub.node); err != nil {
			return true, err
		}
		rel.node = &plan.Join{Kind: kind, Left: rel.node, Right: sub.node, Cond: cond}
		return true, nil
	}
	return false, nil
}

// checkJoinRefs fails when the condition of a subquery's join reads a
// column that neither side produces: a column of a query further out than
// the subquery's own enclosing SELECT, which decorrelation does not lift
// through two levels.
func checkJoinRefs(cond expr.Expr, left, right plan.Node) error {
	if cond == nil {
		return nil
	}
	avail := map[expr.ColumnID]bool{}
	for _, n := range []plan.Node{left, right} {
		for _, c := range n.Columns() {
			avail[c.ID] = true
		}
	}
	var bad *expr.ColumnRef
	walkRefs(cond, func(r *expr.ColumnRef) {
		if bad == nil && !avail[r.ID] {
			bad = r
		}
	})
	if bad != nil {
		return sqlerr.NotSupported("a subquery correlated with a query more than one level out (column %s)", bad.Name)
	}
	return nil
}

func flipIn(op string) string {
	if op == sqlparser.InStr {
		return sqlparser.NotInStr
	}
	return sqlparser.InStr
}

// scalarSubquery binds (SELECT ...) used as a value.
func (b *binder) scalarSubquery(q *sqlparser.Subquery, c *exprCtx) (expr.Expr, error) {
	if c.rel == nil {
		return nil, sqlerr.NotSupported("a subquery here")
	}
	sub, err := b.bindSubquery(q.Select, c.sc)
	if err != nil {
		return nil, err
	}
	if len(sub.value) != 1 {
		return nil, sqlerr.New(sqlerr.ErrSyntax, "scalar subquery must return one column, not %d", len(sub.value))
	}
	val := sub.value[0]
	if len(sub.preds) == 0 {
		c.rel.join(plan.SingleJoin, &plan.Max1Row{Input: sub.node}, nil)
		return val.Ref(), nil
	}
	if err := c.rel.checkRefs(andOf(sub.preds), sub.node); err != nil {
		return nil, err
	}
	if !sub.agg {
		// Each outer row may match at most one row: the single join checks.
		c.rel.join(plan.SingleJoin, sub.node, andOf(sub.preds))
		return val.Ref(), nil
	}
	c.rel.join(plan.LeftJoin, sub.node, andOf(sub.preds))
	if isCount(sub.node, val.ID) {
		// No matching group means COUNT over nothing: 0, not NULL.
		return coalesce([]expr.Expr{val.Ref(), &expr.Literal{Value: expr.IntDatum(0), T: types.Int64Type}})
	}
	return val.Ref(), nil
}

// isCount reports whether column id of a subquery plan is a bare COUNT.
func isCount(n plan.Node, id expr.ColumnID) bool {
	for {
		switch x := n.(type) {
		case *plan.Project:
			for i, c := range x.Cols {
				if c.ID == id {
					r, ok := x.Exprs[i].(*expr.ColumnRef)
					if !ok {
						return false
					}
					id = r.ID
				}
			}
			n = x.Input
		case *plan.Filter:
			n = x.Input
		case *plan.Aggregate:
			for i, c := range x.AggCols {
				if c.ID == id {
					k := x.Aggs[i].Kind
					return k == operators.AggCount || k == operators.AggCountStar
				}
			}
			return false
		default:
			return false
		}
	}
}

// correlatedKeys checks that the correlated conjuncts of an aggregating
// subquery are equalities inner = outer and adds their inner sides to the
// grouping keys.
func (b *binder) correlatedKeys(cs *corrSpec, keys []expr.Expr, sc *scope) ([]expr.Expr, error) {
	seen := map[string]bool{}
	for _, k := range keys {
		seen[keyOf(k)] = true
	}
	for i, p := range cs.preds {
		eq, ok := p.(*expr.Binary)
		if !ok || eq.Op != expr.OpEq {
			return nil, sqlerr.NotSupported("a correlated condition other than equality in an aggregating subquery: %s", p)
		}
		l, r := eq.L, eq.R
		lOuter, rOuter := refsAny(l, sc.corr.outer), refsAny(r, sc.corr.outer)
		switch {
		case lOuter && !rOuter:
			l, r = r, l
		case !lOuter && rOuter:
		default:
			return nil, sqlerr.NotSupported("correlated condition %s", p)
		}
		// l is inner, r outer: group by l and join on l = r.
		if _, ok := l.(*expr.ColumnRef); !ok {
			return nil, sqlerr.NotSupported("correlated condition on an expression: %s", p)
		}
		keys, seen = appendKey(keys, seen, l)
		cs.preds[i] = &expr.Binary{Op: expr.OpEq, L: l, R: r, T: types.BoolType}
		cs.extra = append(cs.extra, plan.Column{ID: l.(*expr.ColumnRef).ID, Name: l.(*expr.ColumnRef).Name, Type: l.Type()})
	}
	return keys, nil
}

// correlatedColumns makes a non-aggregating subquery output every inner
// column its correlated conjuncts read.
func (b *binder) correlatedColumns(cs *corrSpec, items *[]selectItem, input map[expr.ColumnID]bool) {
	seen := map[expr.ColumnID]bool{}
	for _, p := range cs.preds {
		walkRefs(p, func(r *expr.ColumnRef) {
			if !input[r.ID] || seen[r.ID] {
				return
			}
			seen[r.ID] = true
			col := plan.Column{ID: r.ID, Name: r.Name, Type: r.T}
			cs.extra = append(cs.extra, col)
			*items = append(*items, selectItem{e: r, col: col})
		})
	}
}

// markSubquery binds EXISTS (q) or left IN (q) used as a value (in the
// SELECT list, under OR, in HAVING): a mark join adds a boolean column to
// the relation, true for rows with a match. IN follows SQL's NULL rules.
func (b *binder) markSubquery(q *sqlparser.Subquery, left expr.Expr, in bool, c *exprCtx) (expr.Expr, error) {
	if c.rel == nil {
		return nil, sqlerr.NotSupported("a subquery here")
	}
	sub, err := b.bindSubquery(q.Select, c.sc)
	if err != nil {
		return nil, err
	}
	kind := plan.MarkJoin
	conds := sub.preds
	if in {
		if len(sub.value) != 1 {
			return nil, sqlerr.New(sqlerr.ErrSyntax, "IN subquery must return one column, not %d", len(sub.value))
		}
		if len(sub.preds) > 0 {
			return nil, sqlerr.NotSupported("a correlated IN subquery outside a WHERE conjunct")
		}
		eq, err := b.comparison(expr.OpEq, left, sub.value[0].Ref())
		if err != nil {
			return nil, err
		}
		kind, conds = plan.MarkJoinNullAware, []expr.Expr{eq}
	}
	if err := c.rel.checkRefs(andOf(conds), sub.node); err != nil {
		return nil, err
	}
	mark := plan.Column{ID: b.newID(), Name: "mark", Type: types.BoolType}
	c.rel.joinMark(kind, sub.node, andOf(conds), mark)
	return mark.Ref(), nil
}
