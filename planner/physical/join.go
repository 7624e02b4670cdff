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
	plan.MarkJoin: operators.JoinMark, plan.MarkJoinNullAware: operators.JoinMarkNullAware, plan.FullJoin: operators.JoinFull,
}

func (b *builder) join(n *plan.Join) (operators.Operator, error) {
	if n.Kind == plan.RightJoin {
		// A RIGHT JOIN is the LEFT JOIN with the inputs swapped, then the
		// columns put back in order.
		swapped := &plan.Join{Kind: plan.LeftJoin, Left: n.Right, Right: n.Left, Cond: n.Cond, Output: n.Output}
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
	pairCols := append(append([]plan.Column{}, lcols2...), rcols...)
	jc, gathered := joinColumns(n, pairCols, residual)
	var cond expr.Evaluator
	if residual != nil {
		if cond, err = compile(residual, layoutOf(gathered)); err != nil {
			return nil, err
		}
	}
	var op operators.Operator
	if len(equi) == 0 {
		desc := ""
		if residual != nil {
			desc = "ON " + residual.String()
		}
		op = b.wrap(operators.NewNestedLoopJoinShared(typ, left, side, cond, b.opts.BatchSize, desc).Project(jc))
	} else {
		desc := "ON " + strings.Join(parts, " AND ")
		if residual != nil {
			desc += " AND " + residual.String()
		}
		op = b.wrap(operators.NewHashJoinShared(typ, left, side, lpos, cond, b.opts.BatchSize, desc).Project(jc))
	}
	_ = rpos
	if n.Kind.EmitsPairs() || len(lcols2) == len(lcols) && len(rcols) == len(n.Right.Columns()) {
		return op, nil // a join of pairs emits exactly n.Columns()
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

// joinColumns picks the columns a join assembles for its pairs: those its
// output (n.Columns(), for joins that emit pairs) and its residual read,
// out of pairCols (probe ++ build, computed keys included). It returns the
// selection and the gathered columns, over which the residual compiles.
func joinColumns(n *plan.Join, pairCols []plan.Column, residual expr.Expr) (operators.JoinColumns, []plan.Column) {
	l := layoutOf(pairCols)
	var gather []int
	seen := map[int]bool{}
	add := func(id expr.ColumnID) {
		if k, ok := l[id]; ok && !seen[k] {
			seen[k] = true
			gather = append(gather, k)
		}
	}
	var outN int
	if n.Kind.EmitsPairs() {
		// One entry per output column, repeats included: an input may carry
		// the same column twice (SELECT k, k), and the output keeps both.
		for _, c := range n.Columns() {
			if k, ok := l[c.ID]; ok {
				seen[k] = true
				gather = append(gather, k)
			}
		}
		outN = len(gather)
	}
	if residual != nil {
		ids := expr.Refs(residual)
		for _, c := range pairCols { // in layout order, for a stable plan
			if ids[c.ID] {
				add(c.ID)
			}
		}
	}
	jc := operators.JoinColumns{Gather: gather}
	if !n.Kind.EmitsPairs() && residual == nil {
		jc.Gather = nil // never gathers
	}
	if n.Kind.EmitsPairs() && outN < len(gather) {
		jc.Out = make([]int, outN)
		for i := range jc.Out {
			jc.Out[i] = i
		}
	}
	if isIdentity(jc.Gather, len(pairCols)) && jc.Out == nil {
		return operators.JoinColumns{}, pairCols
	}
	gathered := make([]plan.Column, len(jc.Gather))
	for i, k := range jc.Gather {
		gathered[i] = pairCols[k]
	}
	return jc, gathered
}

func isIdentity(idx []int, n int) bool {
	if idx == nil {
		return true
	}
	if len(idx) != n {
		return false
	}
	for i, k := range idx {
		if k != i {
			return false
		}
	}
	return true
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
