package optimizer

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// PushDownSemiJoins moves a semi or anti join (IN, EXISTS, NOT IN and NOT
// EXISTS used as filters) below the inner joins under it, to the input
// whose rows it filters, when the estimates say that is cheaper. The binder
// puts these joins above the whole FROM clause; in TPC-H Q18 that means
// filtering the 6M-row lineitem x orders x customer join by "o_orderkey IN
// (...)" when the same filter on orders alone leaves 57 of 1.5M orders to
// join. The move is not always a win: a filter that keeps most rows is
// better applied after a selective join (Q21), hence the cost check.
func PushDownSemiJoins(n plan.Node) (plan.Node, bool) {
	before := plan.Format(n)
	e := newEstimator(n)
	out := pushSemis(n, e)
	return out, plan.Format(out) != before
}

func pushSemis(n plan.Node, e *estimator) plan.Node {
	if ins := n.Inputs(); len(ins) > 0 {
		out := make([]plan.Node, len(ins))
		for i, in := range ins {
			out[i] = pushSemis(in, e)
		}
		n = n.WithInputs(out)
	}
	if j, ok := n.(*plan.Join); ok && filtersLeft(j.Kind) {
		return sinkSemi(j, e)
	}
	return n
}

// filtersLeft reports join kinds whose output is a subset of Left's rows
// decided row by row, which commute with joins on Left.
func filtersLeft(k plan.JoinKind) bool {
	return k == plan.SemiJoin || k == plan.AntiJoin || k == plan.AntiJoinNullAware
}

// sinkSemi moves semi join j into its left input's inner (or left) join as
// far down as it is valid and pays off.
func sinkSemi(j *plan.Join, e *estimator) plan.Node {
	l, ok := j.Left.(*plan.Join)
	if !ok || l.Kind != plan.InnerJoin && l.Kind != plan.LeftJoin || l.Output != nil {
		return j
	}
	needs := expr.Refs(j.Cond)
	for _, eq := range j.Equi {
		for id := range expr.Refs(eq.L) {
			needs[id] = true
		}
	}
	left := idsOf(l.Left.Columns())
	right := idsOf(l.Right.Columns())
	var readsLeft, readsRight bool
	for id := range needs {
		readsLeft = readsLeft || left[id]
		readsRight = readsRight || right[id]
	}
	switch {
	case !readsRight && readsLeft:
		if pushed, ok := trySink(j, l, l.Left, e); ok {
			nl := *l
			nl.Left = pushed
			return &nl
		}
	case !readsLeft && readsRight && l.Kind == plan.InnerJoin: // a LEFT join's right side is not filtered
		if pushed, ok := trySink(j, l, l.Right, e); ok {
			nl := *l
			nl.Right = pushed
			return &nl
		}
	}
	return j
}

// trySink returns j applied to side (one input of join l), pushed further
// down, if that is estimated cheaper than applying j to l's output.
//
// Costs count rows through hash tables: applying j on top probes with
// |l| rows; pushing it probes with |side| rows and shrinks side by the
// filter's selectivity s, which shrinks l's output by s too. So push when
// |side| + s*|side| + s*|l| < 2*|l|.
func trySink(j, l *plan.Join, side plan.Node, e *estimator) (plan.Node, bool) {
	inner := *j
	inner.Left = side
	sideRows, joined := e.Rows(side), e.Rows(l)
	filtered := e.Rows(&inner)
	s := filtered / max(sideRows, 1)
	if sideRows+filtered+s*joined >= 2*joined {
		return nil, false
	}
	return sinkSemi(&inner, e), true
}
