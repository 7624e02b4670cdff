package optimizer

import (
	"math"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// ReorderJoins chooses the order of every region of inner joins (a
// maximal tree of them, comma joins included) greedily, the way Greedy
// Operator Ordering does: repeatedly join the two relations, connected by
// an equality, whose join is estimated smallest; relations with no
// connecting equality are cross-joined only when nothing else is left. The
// smaller input of each join becomes its build (right) side.
func ReorderJoins(n plan.Node) (plan.Node, bool) {
	e := newEstimator(n)
	changed := false
	out := reorder(n, e, &changed)
	return out, changed
}

func reorder(n plan.Node, e *estimator, changed *bool) plan.Node {
	if j, ok := n.(*plan.Join); ok && j.Kind == plan.InnerJoin {
		var leaves []plan.Node
		var preds []expr.Expr
		collectRegion(j, &leaves, &preds)
		for i, l := range leaves {
			leaves[i] = reorder(l, e, changed)
		}
		out := greedyJoin(leaves, preds, e)
		if plan.Format(out) != plan.Format(n) {
			*changed = true
		}
		return out
	}
	ins := n.Inputs()
	if len(ins) == 0 {
		return n
	}
	newIns := make([]plan.Node, len(ins))
	for i, in := range ins {
		newIns[i] = reorder(in, e, changed)
	}
	return n.WithInputs(newIns)
}

func collectRegion(n plan.Node, leaves *[]plan.Node, preds *[]expr.Expr) {
	if j, ok := n.(*plan.Join); ok && j.Kind == plan.InnerJoin {
		collectRegion(j.Left, leaves, preds)
		collectRegion(j.Right, leaves, preds)
		*preds = append(*preds, conjuncts(j.Cond)...)
		for _, eq := range j.Equi {
			*preds = append(*preds, &expr.Binary{Op: expr.OpEq, L: eq.L, R: eq.R, T: boolType})
		}
		return
	}
	*leaves = append(*leaves, n)
}

type relation struct {
	node plan.Node
	ids  map[expr.ColumnID]bool
	rows float64
}

func greedyJoin(leaves []plan.Node, preds []expr.Expr, e *estimator) plan.Node {
	rels := make([]relation, len(leaves))
	for i, l := range leaves {
		rels[i] = relation{node: l, ids: idsOf(l.Columns()), rows: e.Rows(l)}
	}
	used := make([]bool, len(preds))
	predRefs := make([]map[expr.ColumnID]bool, len(preds))
	for i, p := range preds {
		predRefs[i] = refs(p)
	}
	for len(rels) > 1 {
		bi, bj, best, bestIn := -1, -1, math.Inf(1), math.Inf(1)
		var bestPreds []int
		for i := range rels {
			for j := i + 1; j < len(rels); j++ {
				ps, connected := joinPreds(rels[i], rels[j], preds, predRefs, used)
				if !connected {
					continue
				}
				est := estimateJoin(e, rels[i], rels[j], preds, ps)
				in := rels[i].rows + rels[j].rows
				if smaller(est, in, best, bestIn) {
					bi, bj, best, bestIn, bestPreds = i, j, est, in, ps
				}
			}
		}
		if bi < 0 {
			// Nothing connects: cross the two smallest relations.
			bi, bj = twoSmallest(rels)
			bestPreds, _ = joinPreds(rels[bi], rels[bj], preds, predRefs, used)
			best = estimateJoin(e, rels[bi], rels[bj], preds, bestPreds)
		}
		var cond []expr.Expr
		for _, k := range bestPreds {
			used[k] = true
			cond = append(cond, preds[k])
		}
		probe, build := rels[bi], rels[bj]
		if build.rows > probe.rows {
			probe, build = build, probe
		}
		node := &plan.Join{Kind: plan.InnerJoin, Left: probe.node, Right: build.node, Cond: andOf(cond)}
		e.rows[node] = best
		merged := relation{node: node, ids: union(probe.ids, build.ids), rows: best}
		rels[bi] = merged
		rels = append(rels[:bj], rels[bj+1:]...)
	}
	// Conditions on no column at all (constants) go on top.
	var rest []expr.Expr
	for k, p := range preds {
		if !used[k] {
			rest = append(rest, p)
		}
	}
	return filterOver(rels[0].node, rest)
}

// joinPreds returns the unused predicates that can be evaluated on the
// join of a and b, and whether one of them is an equality connecting them.
func joinPreds(a, b relation, preds []expr.Expr, predRefs []map[expr.ColumnID]bool, used []bool) ([]int, bool) {
	both := union(a.ids, b.ids)
	var out []int
	connected := false
	for k, p := range preds {
		if used[k] || len(predRefs[k]) == 0 || !subset(predRefs[k], both) {
			continue
		}
		out = append(out, k)
		if eq, ok := p.(*expr.Binary); ok && eq.Op == expr.OpEq {
			l, r := refs(eq.L), refs(eq.R)
			if len(l) > 0 && len(r) > 0 && (subset(l, a.ids) && subset(r, b.ids) || subset(l, b.ids) && subset(r, a.ids)) {
				connected = true
			}
		}
	}
	return out, connected
}

func estimateJoin(e *estimator, a, b relation, preds []expr.Expr, ps []int) float64 {
	var equi []plan.EquiCond
	var rest []expr.Expr
	for _, k := range ps {
		p := preds[k]
		if eq, ok := p.(*expr.Binary); ok && eq.Op == expr.OpEq {
			l, r := refs(eq.L), refs(eq.R)
			switch {
			case subset(l, a.ids) && subset(r, b.ids):
				equi = append(equi, plan.EquiCond{L: eq.L, R: eq.R})
				continue
			case subset(l, b.ids) && subset(r, a.ids):
				equi = append(equi, plan.EquiCond{L: eq.R, R: eq.L})
				continue
			}
		}
		rest = append(rest, p)
	}
	return e.joinRows(a.rows, b.rows, equi, andOf(rest))
}

// smaller reports whether a join estimated to produce est rows from inputs
// totalling in rows is a better next step than the best so far. Equal
// estimates (up to rounding) are common along key/foreign-key chains; the
// pair with the smaller inputs is then the cheaper one to join first, and
// the choice no longer depends on the order of the FROM clause.
func smaller(est, in, best, bestIn float64) bool {
	const eps = 1e-9
	switch {
	case est < best*(1-eps):
		return true
	case est <= best*(1+eps):
		return in < bestIn
	}
	return false
}

func twoSmallest(rels []relation) (int, int) {
	a, b := -1, -1
	for i, r := range rels {
		switch {
		case a < 0 || r.rows < rels[a].rows:
			a, b = i, a
		case b < 0 || r.rows < rels[b].rows:
			b = i
		}
	}
	if a > b {
		a, b = b, a
	}
	return a, b
}

func union(a, b map[expr.ColumnID]bool) map[expr.ColumnID]bool {
	out := make(map[expr.ColumnID]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
