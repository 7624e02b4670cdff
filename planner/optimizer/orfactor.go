package optimizer

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// FactorOr rewrites (a AND b) OR (a AND c) into a AND (b OR c): a
// conjunct common to every branch of an OR holds whenever the OR does.
// TPC-H Q19 repeats its join equality in each branch; factored out, it
// becomes a hash-join key instead of a cross product.
func FactorOr(n plan.Node) (plan.Node, bool) {
	changed := false
	var walk func(plan.Node) plan.Node
	walk = func(n plan.Node) plan.Node {
		ins := n.Inputs()
		if len(ins) > 0 {
			newIns := make([]plan.Node, len(ins))
			for i, in := range ins {
				newIns[i] = walk(in)
			}
			n = n.WithInputs(newIns)
		}
		switch x := n.(type) {
		case *plan.Filter:
			return &plan.Filter{Input: x.Input, Pred: factor(x.Pred, &changed)}
		case *plan.Join:
			if x.Cond != nil {
				j := *x
				j.Cond = factor(x.Cond, &changed)
				return &j
			}
		}
		return n
	}
	return walk(n), changed
}

func factor(e expr.Expr, changed *bool) expr.Expr {
	var out []expr.Expr
	for _, c := range conjuncts(e) {
		or, ok := c.(*expr.Or)
		if !ok {
			out = append(out, c)
			continue
		}
		common, rest := commonConjuncts(or.Args)
		if len(common) == 0 {
			out = append(out, c)
			continue
		}
		*changed = true
		out = append(out, common...)
		var branches []expr.Expr
		for _, r := range rest {
			if len(r) == 0 {
				branches = nil // one branch is just the common part: the OR is true
				break
			}
			branches = append(branches, andOf(r))
		}
		switch len(branches) {
		case 0:
		case 1:
			out = append(out, branches[0])
		default:
			out = append(out, &expr.Or{Args: branches})
		}
	}
	return andOf(out)
}

// commonConjuncts returns the conjuncts present in every branch (each
// once), and what is left of each branch without them.
func commonConjuncts(branches []expr.Expr) ([]expr.Expr, [][]expr.Expr) {
	sets := make([]map[string]bool, len(branches))
	for i, b := range branches {
		sets[i] = map[string]bool{}
		for _, c := range conjuncts(b) {
			sets[i][conjunctKey(c)] = true
		}
	}
	var common []expr.Expr
	keys := map[string]bool{}
	for _, c := range conjuncts(branches[0]) {
		k := conjunctKey(c)
		inAll := !keys[k]
		for _, s := range sets[1:] {
			inAll = inAll && s[k]
		}
		if inAll {
			keys[k] = true
			common = append(common, c)
		}
	}
	if len(common) == 0 {
		return nil, nil
	}
	rest := make([][]expr.Expr, len(branches))
	for i, b := range branches {
		for _, d := range conjuncts(b) {
			if !keys[conjunctKey(d)] {
				rest[i] = append(rest[i], d)
			}
		}
	}
	return common, rest
}

// conjunctKey identifies a condition regardless of how a comparison is
// written: a = b and b = a (or a < b and b > a) are the same conjunct, and
// queries repeat a join equality in OR branches in either order.
func conjunctKey(e expr.Expr) string {
	k := expr.Key(e)
	if b, ok := e.(*expr.Binary); ok && b.Op.IsComparison() {
		flipped := expr.Key(&expr.Binary{Op: b.Op.Flip(), L: b.R, R: b.L, T: b.T})
		k = min(k, flipped)
	}
	return k
}
