package binder

import (
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// bindUnion binds UNION, EXCEPT and INTERSECT [ALL]: the inputs are cast
// to common column types; UNION (without ALL) adds a DISTINCT aggregate.
func (b *binder) bindUnion(u *sqlparser.Union, outer *scope) (plan.Node, []plan.Column, error) {
	u = intersectFirst(u)
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
	all := strings.Contains(strings.ToLower(u.Type), "all")
	switch op := setOp(u.Right); {
	case op != "" && all:
		if node, err = b.exceptOrIntersectAll(op, ins, out); err != nil {
			return nil, nil, err
		}
	case op != "":
		node = b.exceptOrIntersect(op, ins, out)
	case !all:
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

// setOp returns "except" or "intersect" when the right operand of a
// UNION DISTINCT carries the pre-lexer's marker (on its leftmost SELECT),
// and "" for a UNION.
func setOp(right sqlparser.SelectStatement) string {
	for {
		switch r := right.(type) {
		case *sqlparser.ParenSelect:
			right = r.Select
			continue
		case *sqlparser.Union:
			right = r.Left
			continue
		case *sqlparser.Select:
			for _, c := range r.Comments {
				for _, op := range []string{"except", "intersect"} {
					if string(c) == parse.SetOpMarker(op) {
						return op
					}
				}
			}
		}
		return ""
	}
}

// exceptOrIntersect plans A EXCEPT B and A INTERSECT B over the cast
// inputs: both sides tagged with a side number and grouped by every
// column, as a DISTINCT groups them (NULLs equal, as set operations
// want); EXCEPT keeps the groups only A has, INTERSECT those both have.
func (b *binder) exceptOrIntersect(op string, ins []plan.Node, out []plan.Column) plan.Node {
	side := plan.Column{ID: b.newID(), Name: "__side", Type: types.Int64Type}
	tagged := make([]plan.Node, len(ins))
	for k, in := range ins {
		tagged[k] = b.withTag(in, expr.IntDatum(int64(k)), "__side")
	}
	keys := columnRefs(out)
	first := plan.Column{ID: b.newID(), Name: "__first_side", Type: types.Int64Type}
	last := plan.Column{ID: b.newID(), Name: "__last_side", Type: types.Int64Type}
	agg := &plan.Aggregate{
		Input: &plan.Union{Ins: tagged, Cols: append(append([]plan.Column(nil), out...), side)},
		Keys:  keys, KeyCols: out,
		Aggs:    []plan.AggCall{{Kind: operators.AggMin, Arg: side.Ref()}, {Kind: operators.AggMax, Arg: side.Ref()}},
		AggCols: []plan.Column{first, last},
	}
	eq := func(c plan.Column, v int64) expr.Expr {
		return &expr.Binary{Op: expr.OpEq, L: c.Ref(), R: &expr.Literal{Value: expr.IntDatum(v), T: types.Int64Type}, T: types.BoolType}
	}
	pred := eq(last, 0) // EXCEPT: no row of B
	if op == "intersect" {
		pred = &expr.And{Args: []expr.Expr{eq(first, 0), eq(last, 1)}}
	}
	proj := &plan.Project{Input: &plan.Filter{Input: agg, Pred: pred}, Cols: out}
	for _, c := range out {
		proj.Exprs = append(proj.Exprs, c.Ref())
	}
	return proj
}

// intersectFirst regroups a chain of set operations that sqlparser read
// left to right (A UNION B INTERSECT C as (A UNION B) INTERSECT C) so that
// INTERSECT binds tighter, as in standard SQL and DuckDB: A UNION (B
// INTERSECT C). Parenthesised operands keep their grouping. Each
// operation's marker stays on the operand that follows it, which stays
// the leftmost of its new right operand.
func intersectFirst(u *sqlparser.Union) *sqlparser.Union {
	// The chain: operands[0] op[0] operands[1] op[1] ...
	var operands []sqlparser.SelectStatement
	var ops []*sqlparser.Union
	var walk func(s sqlparser.SelectStatement)
	walk = func(s sqlparser.SelectStatement) {
		if n, ok := s.(*sqlparser.Union); ok && n.OrderBy == nil && n.Limit == nil || ok && n == u {
			walk(n.Left)
			ops = append(ops, n)
			operands = append(operands, n.Right)
			return
		}
		operands = append(operands, s)
	}
	walk(u)
	mixed, hasIntersect := false, false
	for _, op := range ops {
		if setOp(op.Right) == "intersect" {
			hasIntersect = true
		} else {
			mixed = true
		}
	}
	if !hasIntersect || !mixed {
		return u
	}
	// First the INTERSECT runs, then the rest left to right.
	var terms []sqlparser.SelectStatement
	var between []*sqlparser.Union
	cur := operands[0]
	for i, op := range ops {
		if setOp(op.Right) == "intersect" {
			cur = &sqlparser.Union{Type: op.Type, Left: cur, Right: operands[i+1]}
			continue
		}
		terms = append(terms, cur)
		between = append(between, op)
		cur = operands[i+1]
	}
	terms = append(terms, cur)
	out := terms[0]
	for i, op := range between {
		out = &sqlparser.Union{Type: op.Type, Left: out, Right: terms[i+1]}
	}
	top := out.(*sqlparser.Union)
	top.OrderBy, top.Limit, top.Lock = u.OrderBy, u.Limit, u.Lock
	return top
}

// withTag returns in with one more column, named name, holding tag: the
// inputs of a set operation say which side a row came from.
func (b *binder) withTag(in plan.Node, tag expr.Datum, name string) *plan.Project {
	p := &plan.Project{Input: in}
	for _, c := range in.Columns() {
		p.Exprs = append(p.Exprs, c.Ref())
		p.Cols = append(p.Cols, c)
	}
	p.Exprs = append(p.Exprs, &expr.Literal{Value: tag, T: types.Int64Type})
	p.Cols = append(p.Cols, plan.Column{ID: b.newID(), Name: name, Type: types.Int64Type})
	return p
}

// columnRefs returns references to cols.
func columnRefs(cols []plan.Column) []expr.Expr {
	refs := make([]expr.Expr, len(cols))
	for i, c := range cols {
		refs[i] = c.Ref()
	}
	return refs
}
