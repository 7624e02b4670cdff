package binder

import (
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// bindUnion binds UNION [ALL]: the inputs are cast to common column types;
// UNION (without ALL) adds a DISTINCT aggregate.
func (b *binder) bindUnion(u *sqlparser.Union, outer *scope) (plan.Node, []plan.Column, error) {
	left, lcols, err := b.bindSelectStatement(u.Left, outer)
	if err != nil {
		return nil, nil, err
	}
	right, rcols, err := b.bindSelectStatement(u.Right, outer)
	if err != nil {
		return nil, nil, err
	}
	if len(lcols) != len(rcols) {
		return nil, nil, sqlerr.New(sqlerr.ErrSyntax, "UNION inputs have %d and %d columns", len(lcols), len(rcols))
	}
	ins := []plan.Node{left, right}
	inCols := [][]plan.Column{lcols, rcols}
	out := make([]plan.Column, len(lcols))
	for i := range lcols {
		_, t, err := unify([]expr.Expr{lcols[i].Ref(), rcols[i].Ref()}, "UNION column "+lcols[i].Name)
		if err != nil {
			return nil, nil, err
		}
		out[i] = plan.Column{ID: b.newID(), Name: lcols[i].Name, Type: t}
	}
	for k := range ins {
		cast := false
		exprs := make([]expr.Expr, len(out))
		cols := make([]plan.Column, len(out))
		for i, c := range inCols[k] {
			x, err := castTo(c.Ref(), out[i].Type)
			if err != nil {
				return nil, nil, err
			}
			exprs[i] = x
			cols[i] = plan.Column{ID: c.ID, Name: c.Name, Type: out[i].Type}
			if x != expr.Expr(nil) && c.Type != out[i].Type {
				cast = true
				cols[i].ID = b.newID()
			}
		}
		if cast {
			ins[k] = &plan.Project{Input: ins[k], Exprs: exprs, Cols: cols}
		}
	}
	var node plan.Node = &plan.Union{Ins: ins, Cols: out}
	if !strings.Contains(strings.ToLower(u.Type), "all") {
		keys := make([]expr.Expr, len(out))
		for i, c := range out {
			keys[i] = c.Ref()
		}
		node = &plan.Aggregate{Input: node, Keys: keys, KeyCols: out}
	}
	if len(u.OrderBy) > 0 || u.Limit != nil {
		b.depth++
		defer func() { b.depth-- }()
		b.clauseFrom = b.locate().LastClause("order")
		sc := &scope{}
		sc.add("", out)
		items := make([]selectItem, len(out))
		for i, c := range out {
			items[i] = selectItem{e: c.Ref(), col: c, alias: c.Name}
		}
		order, err := b.bindOrderBy(u.OrderBy, &items, &exprCtx{sc: sc})
		if err != nil {
			return nil, nil, err
		}
		for _, it := range items {
			if it.hidden {
				return nil, nil, sqlerr.New(sqlerr.ErrSyntax, "ORDER BY of a UNION must name its output columns")
			}
		}
		if len(order) > 0 {
			s := &plan.Sort{Input: node}
			for _, o := range order {
				s.Keys = append(s.Keys, plan.SortItem{Expr: out[o.item].Ref(), Desc: o.desc, NullsFirst: o.nullsFirst})
			}
			node = s
		}
		if u.Limit != nil {
			l, err := b.bindLimit(u.Limit)
			if err != nil {
				return nil, nil, err
			}
			l.Input = node
			node = l
		}
	}
	return node, out, nil
}

// bindPredicate binds a join's ON condition.
func (b *binder) bindPredicate(e sqlparser.Expr, sc *scope, rel *relBuilder) (expr.Expr, error) {
	return b.bindBool(e, &exprCtx{sc: sc, rel: rel})
}
