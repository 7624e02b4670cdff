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
	return b.joinOp(n, 1, func() (operators.Operator, error) { return b.build(n.Left) })
}

// joinOp builds a join whose probe side comes from probe(); with several
// workers, the build side is shared by all their instances (made on the
// first call for the node).
func (b *builder) joinOp(n *plan.Join, workers int, probe func() (operators.Operator, error)) (operators.Operator, error) {
	typ, ok := joinTypes[n.Kind]
	if !ok {
		return nil, sqlerr.New(sqlerr.ErrInternal, "join kind %s", n.Kind)
	}
	equi, residual := n.Equi, n.Cond
	if len(equi) == 0 && residual != nil {
		equi, residual = plan.SplitEquiJoin(residual, n.Left.Columns(), n.Right.Columns())
	}
	side, rcols, rpos, err := b.buildSide(n, equi, workers)
	if err != nil {
		return nil, err
	}
	left, err := probe()
	if err != nil {
		return nil, err
	}
	lcols := n.Left.Columns()
	lk := make([]expr.Expr, len(equi))
	var parts []string
	for i, e := range equi {
		lk[i] = e.L
		parts = append(parts, e.L.String()+" = "+e.R.String())
	}
	left, lcols2, lpos, err := b.columnsFor(left, lcols, lk, true)
	if err != nil {
		return nil, err
	}
	var cond expr.Evaluator
	if residual != nil {
		if cond, err = compile(residual, layoutOf(append(append([]plan.Column{}, lcols2...), rcols...))); err != nil {
			return nil, err
		}
	}
	var op operators.Operator
	if len(equi) == 0 {
		desc := ""
		if residual != nil {
			desc = "ON " + residual.String()
		}
		op = b.wrap(operators.NewNestedLoopJoinShared(typ, left, side, cond, b.opts.BatchSize, desc))
	} else {
		desc := "ON " + strings.Join(parts, " AND ")
		if residual != nil {
			desc += " AND " + residual.String()
		}
		op = b.wrap(operators.NewHashJoinShared(typ, left, side, lpos, cond, b.opts.BatchSize, desc))
	}
	_ = rpos
	if len(lcols2) == len(lcols) && len(rcols) == len(n.Right.Columns()) {
		return op, nil
	}
	// Drop the computed key columns again.
	var inCols []plan.Column
	switch {
	case typ == operators.JoinInner || typ == operators.JoinLeft || typ == operators.JoinSingle:
		inCols = append(append(inCols, lcols2...), rcols...)
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

// sharedBuild is a join's build side with its layout.
type sharedBuild struct {
	side *operators.BuildSide
	cols []plan.Column
	pos  []int
}

// buildSide returns the build side of a join node, made once and shared by
// the node's instances.
func (b *builder) buildSide(n *plan.Join, equi []plan.EquiCond, users int) (*operators.BuildSide, []plan.Column, []int, error) {
	if sb, ok := b.builds[n]; ok {
		return sb.side, sb.cols, sb.pos, nil
	}
	right, err := b.build(n.Right)
	if err != nil {
		return nil, nil, nil, err
	}
	rk := make([]expr.Expr, len(equi))
	for i, e := range equi {
		rk[i] = e.R
	}
	right, rcols, rpos, err := b.columnsFor(right, n.Right.Columns(), rk, true)
	if err != nil {
		return nil, nil, nil, err
	}
	var keys []int
	if len(equi) > 0 {
		keys = rpos
	}
	side := operators.NewBuildSide(right, keys, users)
	b.builds[n] = sharedBuild{side: side, cols: rcols, pos: rpos}
	return side, rcols, rpos, nil
}
