package optimizer

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// reduceRatio is how much smaller than an aggregate's input the filtered
// table must be estimated for the reduction to pay for its extra scan.
const reduceRatio = 10

// ReduceAggregateInputs filters the input of an aggregate that is joined on
// one of its grouping keys down to the key values the other side can have.
// A correlated subquery such as TPC-H Q17's "l_quantity < (SELECT 0.2 *
// avg(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)" becomes a
// join with an aggregate over all of lineitem grouped by l_partkey, while
// only the 204 parts the outer query selects can match: the aggregate
// would hash 6 million rows into 200 thousand groups to use 204 of them.
//
// The other side's key column comes, through joins and filters that only
// drop rows, from one filtered table scan; every value it can have is in
// that scan's output. So the aggregate's input can be semi-joined with a
// copy of that filtered scan (fresh column IDs) without changing the
// result: the groups it removes match nothing. DuckDB reaches the same
// plan through its duplicate-eliminated joins. The rule applies when the
// filtered scan is estimated much smaller than the aggregate's input.
func ReduceAggregateInputs(n plan.Node) (plan.Node, bool) {
	before := plan.Format(n)
	r := &reducer{e: newEstimator(n), next: maxColumnID(n) + 1}
	out := r.walk(n)
	return out, plan.Format(out) != before
}

type reducer struct {
	e    *estimator
	next expr.ColumnID
}

func (r *reducer) walk(n plan.Node) plan.Node {
	if ins := n.Inputs(); len(ins) > 0 {
		out := make([]plan.Node, len(ins))
		for i, in := range ins {
			out[i] = r.walk(in)
		}
		n = n.WithInputs(out)
	}
	j, ok := n.(*plan.Join)
	if !ok {
		return n
	}
	switch j.Kind {
	case plan.InnerJoin:
		if right, ok := r.reduce(j, j.Left, j.Right); ok {
			c := *j
			c.Right = right
			return &c
		}
		if left, ok := r.reduce(j, j.Right, j.Left); ok {
			c := *j
			c.Left = left
			return &c
		}
	case plan.LeftJoin, plan.SemiJoin, plan.AntiJoin, plan.SingleJoin, plan.MarkJoin:
		// The right side only matters where it matches. (Not NOT IN: a
		// NULL group on the right changes its answer.)
		if right, ok := r.reduce(j, j.Left, j.Right); ok {
			c := *j
			c.Right = right
			return &c
		}
	}
	return n
}

// reduce returns side with its aggregate's input reduced by the values of
// other's columns it is joined on, if a condition of j allows it.
func (r *reducer) reduce(j *plan.Join, other, side plan.Node) (plan.Node, bool) {
	otherCols, sideCols := idsOf(other.Columns()), idsOf(side.Columns())
	for _, c := range joinEqualities(j) {
		o, s := c[0], c[1]
		if sideCols[o] && otherCols[s] {
			o, s = s, o
		}
		if !otherCols[o] || !sideCols[s] {
			continue
		}
		leaf, col := r.valueSource(other, o)
		if leaf == nil {
			continue
		}
		if out, ok := r.reduceAgg(side, s, leaf, col); ok {
			return out, true
		}
	}
	return nil, false
}

// valueSource returns the smallest filtered scan (a Scan under its
// Filters) whose column holds every value column id of n can have: the
// scan id comes from through row-dropping operators, or, across a join
// condition id = c, the one c comes from. Nil when there is none.
func (r *reducer) valueSource(n plan.Node, id expr.ColumnID) (plan.Node, expr.ColumnID) {
	switch x := n.(type) {
	case *plan.Scan:
		return x, id
	case *plan.Filter:
		if isFilteredScan(x) {
			return x, id
		}
		return r.valueSource(x.Input, id)
	case *plan.Project:
		for i, c := range x.Cols {
			if c.ID == id {
				if ref, ok := x.Exprs[i].(*expr.ColumnRef); ok && ref.ID == id {
					return r.valueSource(x.Input, id)
				}
				return nil, 0
			}
		}
	case *plan.Join:
		var best plan.Node
		var bestCol expr.ColumnID
		consider := func(n plan.Node, col expr.ColumnID) {
			if cand, c := r.valueSource(n, col); cand != nil && (best == nil || r.e.Rows(cand) < r.e.Rows(best)) {
				best, bestCol = cand, c
			}
		}
		left, right := idsOf(x.Left.Columns()), idsOf(x.Right.Columns())
		fromLeft := left[id]
		switch {
		case fromLeft:
			consider(x.Left, id)
		case x.Kind.EmitsPairs() && right[id]:
			consider(x.Right, id)
		default:
			return nil, 0
		}
		// A row of the output has id = c for each equality with the other
		// side (not for the NULL-extended side of an outer join, whose
		// rows may match nothing: only follow conditions from the
		// preserved or inner side).
		if x.Kind == plan.InnerJoin || x.Kind == plan.SemiJoin || fromLeft && x.Kind != plan.AntiJoin &&
			x.Kind != plan.AntiJoinNullAware && x.Kind != plan.LeftJoin && x.Kind != plan.SingleJoin && !x.Kind.IsMark() &&
			x.Kind != plan.FullJoin {
			for _, c := range joinEqualities(x) {
				switch {
				case c[0] == id && (fromLeft && right[c[1]] || !fromLeft && left[c[1]]):
					consider(otherSide(x, fromLeft), c[1])
				case c[1] == id && (fromLeft && right[c[0]] || !fromLeft && left[c[0]]):
					consider(otherSide(x, fromLeft), c[0])
				}
			}
		}
		return best, bestCol
	}
	return nil, 0
}

func otherSide(j *plan.Join, fromLeft bool) plan.Node {
	if fromLeft {
		return j.Right
	}
	return j.Left
}

// joinEqualities lists the column = column conditions of a join.
func joinEqualities(j *plan.Join) [][2]expr.ColumnID {
	conds := conjuncts(j.Cond)
	for _, eq := range j.Equi {
		conds = append(conds, &expr.Binary{Op: expr.OpEq, L: eq.L, R: eq.R})
	}
	var out [][2]expr.ColumnID
	for _, c := range conds {
		b, ok := c.(*expr.Binary)
		if !ok || b.Op != expr.OpEq {
			continue
		}
		l, lok := b.L.(*expr.ColumnRef)
		r, rok := b.R.(*expr.ColumnRef)
		if lok && rok {
			out = append(out, [2]expr.ColumnID{l.ID, r.ID})
		}
	}
	return out
}

// isFilteredScan reports a chain of Filters over a Scan. Volatile
// conditions (random() < 0.5) do not count: a copy would draw again and
// keep other rows.
func isFilteredScan(n plan.Node) bool {
	for {
		switch x := n.(type) {
		case *plan.Scan:
			for _, f := range x.Filters {
				if expr.IsVolatile(f) {
					return false
				}
			}
			return true
		case *plan.Filter:
			if expr.IsVolatile(x.Pred) {
				return false
			}
			n = x.Input
		default:
			return false
		}
	}
}

// reduceAgg finds the aggregate under side (through projections and
// filters) whose grouping key column is id, and semi-joins its input with
// a copy of leaf on that key = leaf's column col.
func (r *reducer) reduceAgg(side plan.Node, id expr.ColumnID, leaf plan.Node, col expr.ColumnID) (plan.Node, bool) {
	switch x := side.(type) {
	case *plan.Project:
		for i, c := range x.Cols {
			if c.ID != id {
				continue
			}
			ref, ok := x.Exprs[i].(*expr.ColumnRef)
			if !ok {
				return nil, false
			}
			in, ok := r.reduceAgg(x.Input, ref.ID, leaf, col)
			if !ok {
				return nil, false
			}
			return x.WithInputs([]plan.Node{in}), true
		}
	case *plan.Filter:
		in, ok := r.reduceAgg(x.Input, id, leaf, col)
		if !ok {
			return nil, false
		}
		return x.WithInputs([]plan.Node{in}), true
	case *plan.Aggregate:
		for i, k := range x.KeyCols {
			if k.ID != id {
				continue
			}
			key, ok := x.Keys[i].(*expr.ColumnRef)
			if !ok || reducedOn(x.Input, key.ID) {
				return nil, false
			}
			leafRows := r.e.Rows(leaf)
			if leafRows*reduceRatio > r.e.Rows(x.Input) || leafRows >= r.e.Rows(scanOfLeaf(leaf)) {
				return nil, false // not selective enough to pay for the copy
			}
			cp, ids := r.copyLeaf(leaf)
			semi := &plan.Join{Kind: plan.SemiJoin, Left: x.Input, Right: cp,
				Cond: &expr.Binary{Op: expr.OpEq, L: key, R: ids[col].Ref(), T: boolType}}
			return x.WithInputs([]plan.Node{semi}), true
		}
	}
	return nil, false
}

// reducedOn reports whether n is already a semi join on column id (a
// second run must not add another).
func reducedOn(n plan.Node, id expr.ColumnID) bool {
	j, ok := n.(*plan.Join)
	return ok && j.Kind == plan.SemiJoin && expr.Refs(j.Cond)[id]
}

func scanOfLeaf(n plan.Node) *plan.Scan {
	for {
		if f, ok := n.(*plan.Filter); ok {
			n = f.Input
			continue
		}
		return n.(*plan.Scan)
	}
}

// copyLeaf copies a filtered scan with fresh column IDs (a plan never
// reuses an ID) and returns the copy and the old-to-new column map.
func (r *reducer) copyLeaf(n plan.Node) (plan.Node, map[expr.ColumnID]plan.Column) {
	s := scanOfLeaf(n)
	ids := map[expr.ColumnID]plan.Column{}
	by := map[expr.ColumnID]expr.Expr{}
	cs := *s
	cs.Cols = make([]plan.Column, len(s.Cols))
	for i, c := range s.Cols {
		nc := c
		nc.ID = r.next
		r.next++
		cs.Cols[i] = nc
		ids[c.ID] = nc
		by[c.ID] = nc.Ref()
	}
	cs.Filters = nil
	for _, f := range s.Filters {
		cs.Filters = append(cs.Filters, substitute(f, by))
	}
	var copyUp func(plan.Node) plan.Node
	copyUp = func(n plan.Node) plan.Node {
		if f, ok := n.(*plan.Filter); ok {
			return &plan.Filter{Input: copyUp(f.Input), Pred: substitute(f.Pred, by)}
		}
		return &cs
	}
	return copyUp(n), ids
}

// maxColumnID is the largest column ID in the plan.
func maxColumnID(n plan.Node) expr.ColumnID {
	var m expr.ColumnID
	for _, c := range n.Columns() {
		m = max(m, c.ID)
	}
	if s, ok := n.(*plan.Scan); ok {
		for _, c := range s.Cols {
			m = max(m, c.ID)
		}
	}
	if a, ok := n.(*plan.Aggregate); ok {
		for _, c := range append(append([]plan.Column{}, a.KeyCols...), a.AggCols...) {
			m = max(m, c.ID)
		}
	}
	if j, ok := n.(*plan.Join); ok && j.Kind.IsMark() {
		m = max(m, j.Mark.ID)
	}
	for _, in := range n.Inputs() {
		m = max(m, maxColumnID(in))
	}
	return m
}
