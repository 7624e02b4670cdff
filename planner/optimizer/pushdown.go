package optimizer

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// PushDownPredicates moves filter conjuncts as close to the scans as they
// can go: through projections (substituting the projected expressions),
// through sorts, below aggregates when they only read grouping keys, into
// either side of a join, and into UNION inputs. An outer join under a
// predicate that rejects its NULL-extended rows becomes an inner join. Join conditions are split
// the same way (for inner joins; for outer and semi joins only where that
// keeps the result). Conjuncts that reach a scan also become the scan's
// pruning hints. A comma join's WHERE equalities thus become join
// conditions.
func PushDownPredicates(n plan.Node) (plan.Node, bool) {
	before := plan.Format(n)
	out := push(n, nil)
	return out, plan.Format(out) != before
}

// push returns n with preds applied as low as possible.
func push(n plan.Node, preds []expr.Expr) plan.Node {
	switch n := n.(type) {
	case *plan.Filter:
		return push(n.Input, append(preds, conjuncts(n.Pred)...))
	case *plan.Project:
		return pushProject(n, preds)
	case *plan.Sort:
		return &plan.Sort{Input: push(n.Input, preds), Keys: n.Keys}
	case *plan.Aggregate:
		return pushAggregate(n, preds)
	case *plan.GroupingSets:
		return pushGroupingSets(n, preds)
	case *plan.Window:
		return pushWindow(n, preds)
	case *plan.Join:
		return pushJoin(n, preds)
	case *plan.Union:
		return pushUnion(n, preds)
	case *plan.Scan:
		return filterOver(pushScan(n, preds), preds)
	case *plan.Limit:
		return filterOver(&plan.Limit{Input: push(n.Input, nil), Offset: n.Offset, Count: n.Count}, preds)
	case *plan.Max1Row:
		return filterOver(&plan.Max1Row{Input: push(n.Input, nil)}, preds)
	case *plan.Repeat:
		// A filter over a row's values keeps all its copies or none.
		return &plan.Repeat{Input: push(n.Input, preds), Count: n.Count}
	case *plan.RecursiveCTE:
		// A filter stays above a recursion: below, it would also cut the
		// working table that the next iteration starts from.
		c := *n
		c.Base, c.Recursive = push(n.Base, nil), push(n.Recursive, nil)
		return filterOver(&c, preds)
	}
	return filterOver(n, preds)
}

func filterOver(n plan.Node, preds []expr.Expr) plan.Node {
	if len(preds) == 0 {
		return n
	}
	return &plan.Filter{Input: n, Pred: andOf(preds)}
}

// substitute replaces references to the given columns by expressions.
func substitute(e expr.Expr, by map[expr.ColumnID]expr.Expr) expr.Expr {
	if r, ok := e.(*expr.ColumnRef); ok {
		if x, ok := by[r.ID]; ok {
			return x
		}
		return e
	}
	return expr.MapChildren(e, func(c expr.Expr) expr.Expr { return substitute(c, by) })
}

// readsVolatile reports whether p reads a column that by defines with a
// volatile expression: substituted below, random() would be drawn again,
// and r <> r could hold.
func readsVolatile(p expr.Expr, by map[expr.ColumnID]expr.Expr) bool {
	for id := range refs(p) {
		if x, ok := by[id]; ok && expr.IsVolatile(x) {
			return true
		}
	}
	return false
}

func pushProject(n *plan.Project, preds []expr.Expr) plan.Node {
	by := map[expr.ColumnID]expr.Expr{}
	for i, c := range n.Cols {
		by[c.ID] = n.Exprs[i]
	}
	outs := idsOf(n.Cols)
	var below, above []expr.Expr
	for _, p := range preds {
		if subset(refs(p), outs) && !readsVolatile(p, by) {
			below = append(below, substitute(p, by))
		} else {
			above = append(above, p)
		}
	}
	return filterOver(&plan.Project{Input: push(n.Input, below), Exprs: n.Exprs, Cols: n.Cols}, above)
}

func pushAggregate(n *plan.Aggregate, preds []expr.Expr) plan.Node {
	// A conjunct over grouping keys only filters whole groups: it can run
	// before grouping, on the key expressions.
	by := map[expr.ColumnID]expr.Expr{}
	for i, c := range n.KeyCols {
		by[c.ID] = n.Keys[i]
	}
	keys := idsOf(n.KeyCols)
	var below, above []expr.Expr
	for _, p := range preds {
		r := refs(p)
		if len(n.Keys) > 0 && len(r) > 0 && subset(r, keys) && !readsVolatile(p, by) {
			below = append(below, substitute(p, by))
		} else {
			above = append(above, p)
		}
	}
	agg := *n
	agg.Input = push(n.Input, below)
	return filterOver(&agg, above)
}

// pushGroupingSets lets a conjunct below grouping sets only when it reads
// keys every set groups by: a key outside a set is NULL in its rows, and
// filtering the input would change that set's aggregates.
func pushGroupingSets(n *plan.GroupingSets, preds []expr.Expr) plan.Node {
	by := map[expr.ColumnID]expr.Expr{}
	keys := map[expr.ColumnID]bool{}
	for k := range n.InEverySet() {
		by[n.KeyCols[k].ID] = n.Keys[k]
		keys[n.KeyCols[k].ID] = true
	}
	var below, above []expr.Expr
	for _, p := range preds {
		if r := refs(p); len(r) > 0 && subset(r, keys) {
			below = append(below, substitute(p, by))
		} else {
			above = append(above, p)
		}
	}
	g := *n
	g.Input = push(n.Input, below)
	return filterOver(&g, above)
}

// pushWindow lets a conjunct below a window only when it reads nothing but
// the window's partition columns: it then keeps or drops whole
// partitions, and every window value of a partition it keeps stays the
// same. (DuckDB pushes such filters too: a query for one partition of a
// ranking need not sort all the others.) A conjunct on anything else
// would change which rows a window sees.
func pushWindow(n *plan.Window, preds []expr.Expr) plan.Node {
	keys := map[expr.ColumnID]bool{}
	for _, p := range n.Partition {
		if r, ok := p.(*expr.ColumnRef); ok {
			keys[r.ID] = true
		}
	}
	var below, above []expr.Expr
	for _, p := range preds {
		if r := refs(p); len(keys) > 0 && len(r) > 0 && subset(r, keys) {
			below = append(below, p)
		} else {
			above = append(above, p)
		}
	}
	w := *n
	w.Input = push(n.Input, below)
	return filterOver(&w, above)
}

func pushUnion(n *plan.Union, preds []expr.Expr) plan.Node {
	ins := make([]plan.Node, len(n.Ins))
	for i, in := range n.Ins {
		by := map[expr.ColumnID]expr.Expr{}
		for j, c := range in.Columns() {
			by[n.Cols[j].ID] = c.Ref()
		}
		var mine []expr.Expr
		for _, p := range preds {
			mine = append(mine, substitute(p, by))
		}
		ins[i] = push(in, mine)
	}
	return &plan.Union{Ins: ins, Cols: n.Cols}
}

// pushJoin distributes WHERE conjuncts (preds) and the join's own
// condition between the two inputs and the join.
func pushJoin(n *plan.Join, preds []expr.Expr) plan.Node {
	n = simplifyOuterJoin(n, preds)
	left, right := idsOf(n.Left.Columns()), idsOf(n.Right.Columns())
	var toLeft, toRight, cond, above []expr.Expr
	side := func(p expr.Expr) (l, r bool) {
		rs := refs(p)
		return len(rs) > 0 && subset(rs, left), len(rs) > 0 && subset(rs, right)
	}
	// WHERE conjuncts. None goes below a FULL join that simplifyOuterJoin
	// kept: a conjunct over one side alone does not reject that side's
	// NULL-extended rows, and below the join it would turn the rows it
	// rejects into NULL-extended ones instead of removing them.
	full := n.Kind == plan.FullJoin
	for _, p := range preds {
		l, r := side(p)
		switch {
		case l && n.Kind != plan.RightJoin && !full:
			toLeft = append(toLeft, p)
		case r && (n.Kind == plan.InnerJoin || n.Kind == plan.RightJoin):
			toRight = append(toRight, p)
		case n.Kind == plan.InnerJoin:
			cond = append(cond, p)
		default:
			above = append(above, p)
		}
	}
	// The join's own condition. A null-aware join's condition is its IN
	// equality: it must stay whole, or a NULL on the right would be
	// filtered away instead of making the result NULL. A FULL join keeps
	// its whole condition too: the rows of either side that fail a
	// one-sided conjunct are kept, NULL-extended.
	nullAware := n.Kind == plan.AntiJoinNullAware || n.Kind == plan.MarkJoinNullAware
	for _, p := range conjuncts(n.Cond) {
		l, r := side(p)
		switch {
		case nullAware || full:
			cond = append(cond, p)
		case l && (n.Kind == plan.InnerJoin || n.Kind == plan.SemiJoin || n.Kind == plan.RightJoin):
			toLeft = append(toLeft, p)
		case r && n.Kind != plan.RightJoin:
			toRight = append(toRight, p)
		default:
			cond = append(cond, p)
		}
	}
	for _, eq := range n.Equi {
		cond = append(cond, &expr.Binary{Op: expr.OpEq, L: eq.L, R: eq.R, T: boolType})
	}
	j := &plan.Join{Kind: n.Kind, Left: push(n.Left, toLeft), Right: push(n.Right, toRight), Cond: andOf(cond), Mark: n.Mark}
	return filterOver(j, above)
}

// pushScan records the conjuncts a scan can use to skip data: comparisons
// of a column with constants. The Filter above stays; the hints only prune.
func pushScan(n *plan.Scan, preds []expr.Expr) plan.Node {
	s := *n
	s.Filters = nil
	for _, p := range preds {
		if prunable(p) {
			s.Filters = append(s.Filters, p)
		}
	}
	return &s
}

// prunable reports whether p is column <op> constant, a BETWEEN pair or an
// IN list of constants (the shapes min/max statistics can refute).
func prunable(p expr.Expr) bool {
	switch x := p.(type) {
	case *expr.Binary:
		if !x.Op.IsComparison() {
			return false
		}
		_, lc := x.L.(*expr.ColumnRef)
		_, rc := x.R.(*expr.ColumnRef)
		_, ll := x.L.(*expr.Literal)
		_, rl := x.R.(*expr.Literal)
		return lc && rl || rc && ll
	case *expr.InList:
		_, c := x.X.(*expr.ColumnRef)
		return c && !x.Negated
	case *expr.And:
		for _, a := range x.Args {
			if !prunable(a) {
				return false
			}
		}
		return true
	}
	return false
}
