package physical

import (
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
)

var joinTypes = map[plan.JoinKind]operators.JoinType{
	plan.InnerJoin: operators.JoinInner, plan.LeftJoin: operators.JoinLeft, plan.SingleJoin: operators.JoinSingle,
	plan.SemiJoin: operators.JoinSemi, plan.AntiJoin: operators.JoinAnti, plan.AntiJoinNullAware: operators.JoinAntiNullAware,
	plan.MarkJoin: operators.JoinMark, plan.MarkJoinNullAware: operators.JoinMarkNullAware,
}

func (b *builder) join(n *plan.Join) (operators.Operator, error) {
	if n.Kind == plan.RightJoin {
		// A RIGHT JOIN is the LEFT JOIN with the inputs swapped, then the
		// columns put back in order.
		swapped := &plan.Join{Kind: plan.LeftJoin, Left: n.Right, Right: n.Left, Cond: n.Cond}
		for _, e := range n.Equi {
			swapped.Equi = append(swapped.Equi, plan.EquiCond{L: e.R, R: e.L})
		}
		op, err := b.join(swapped)
		if err != nil {
			return nil, err
		}
		out := n.Columns()
		exprs := make([]expr.Expr, len(out))
		for i, c := range out {
			exprs[i] = c.Ref()
		}
		return b.project(op, swapped.Columns(), exprs, out)
	}
	typ, ok := joinTypes[n.Kind]
	if !ok {
		return nil, sqlerr.New(sqlerr.ErrInternal, "join kind %s", n.Kind)
	}
	equi, residual := n.Equi, n.Cond
	if len(equi) == 0 && residual != nil {
		equi, residual = plan.SplitEquiJoin(residual, n.Left.Columns(), n.Right.Columns())
	}
	left, err := b.build(n.Left)
	if err != nil {
		return nil, err
	}
	right, err := b.build(n.Right)
	if err != nil {
		return nil, err
	}
	lcols, rcols := n.Left.Columns(), n.Right.Columns()
	both := layoutOf(append(append([]plan.Column{}, lcols...), rcols...))
	var cond expr.Evaluator
	if residual != nil {
		if cond, err = compile(residual, both); err != nil {
			return nil, err
		}
	}
	if len(equi) == 0 {
		desc := ""
		if residual != nil {
			desc = "ON " + residual.String()
		}
		return b.wrap(operators.NewNestedLoopJoin(typ, left, right, cond, b.opts.BatchSize, desc)), nil
	}
	lk := make([]expr.Expr, len(equi))
	rk := make([]expr.Expr, len(equi))
	var parts []string
	for i, e := range equi {
		lk[i], rk[i] = e.L, e.R
		parts = append(parts, e.L.String()+" = "+e.R.String())
	}
	left, lcols2, lpos, err := b.columnsFor(left, lcols, lk)
	if err != nil {
		return nil, err
	}
	right, rcols2, rpos, err := b.columnsFor(right, rcols, rk)
	if err != nil {
		return nil, err
	}
	if residual != nil && (len(lcols2) != len(lcols) || len(rcols2) != len(rcols)) {
		// Computed keys shifted the build columns: recompile the residual.
		if cond, err = compile(residual, layoutOf(append(append([]plan.Column{}, lcols2...), rcols2...))); err != nil {
			return nil, err
		}
	}
	desc := "ON " + strings.Join(parts, " AND ")
	if residual != nil {
		desc += " AND " + residual.String()
	}
	var op operators.Operator = b.wrap(operators.NewHashJoin(typ, left, right, lpos, rpos, cond, b.opts.BatchSize, desc))
	if len(lcols2) == len(lcols) && len(rcols2) == len(rcols) {
		return op, nil
	}
	// Drop the computed key columns again.
	var inCols []plan.Column
	switch {
	case typ == operators.JoinInner || typ == operators.JoinLeft || typ == operators.JoinSingle:
		inCols = append(append(inCols, lcols2...), rcols2...)
	case n.Kind.IsMark():
		inCols = append(append(inCols, lcols2...), n.Mark)
	default:
		inCols = lcols2
	}
	out := n.Columns()
	exprs := make([]expr.Expr, len(out))
	for i, c := range out {
		exprs[i] = c.Ref()
	}
	return b.project(op, inCols, exprs, out)
}
