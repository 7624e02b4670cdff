package optimizer

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// FactorOr rewrites (a AND b) OR (a AND c) into a AND (b OR c): a
// conjunct common to every branch of an OR holds whenever the OR does.
// TPC-H Q19 repeats its join equality in each branch; factored out, it
// becomes a hash-join key instead of a cross product.
//
// It also adds the single-column conditions an OR implies (see
// impliedByOr), which the OR itself, reading several tables, cannot give
// to any scan.
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
	out := factorCommon(e, changed)
	have := map[string]bool{}
	for _, c := range out {
		have[conjunctKey(c)] = true
	}
	for i, c := range out {
		or, ok := c.(*expr.Or)
		if !ok {
			continue
		}
		imps := impliedByOr(or)
		if len(imps) == 1 && len(refs(or)) == 1 {
			// An OR over one column is the condition it implies: say it
			// the shorter way (an IN list the scan can prune with).
			if conjunctKey(imps[0]) != conjunctKey(or) {
				out[i] = imps[0]
				*changed = true
			}
			continue
		}
		for _, imp := range imps {
			if k := conjunctKey(imp); !have[k] {
				have[k] = true
				out = append(out, imp)
				*changed = true
			}
		}
	}
	return andOf(out)
}

// factorCommon takes the conjuncts common to all branches out of each OR.
func factorCommon(e expr.Expr, changed *bool) []expr.Expr {
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
	return out
}

// impliedByOr returns, for each column that every branch of or constrains
// on its own (with conjuncts reading that column alone), the OR of those
// constraints: a weaker condition that holds whenever or does. TPC-H Q7's
// (n1.n_name = 'FRANCE' AND n2.n_name = 'GERMANY') OR (n1.n_name =
// 'GERMANY' AND n2.n_name = 'FRANCE') implies n1.n_name IN ('FRANCE',
// 'GERMANY') and the same of n2, which filter each nation scan to two rows
// before the joins; Q19's branches imply lists of brands, containers and
// sizes for part. Equalities with constants become an IN list.
func impliedByOr(or *expr.Or) []expr.Expr {
	perBranch := make([]map[expr.ColumnID][]expr.Expr, len(or.Args))
	var order []expr.ColumnID // columns of the first branch, in order
	for i, b := range or.Args {
		perBranch[i] = map[expr.ColumnID][]expr.Expr{}
		for _, c := range conjuncts(b) {
			ids := refs(c)
			if len(ids) != 1 {
				continue
			}
			for id := range ids {
				if i == 0 && perBranch[0][id] == nil {
					order = append(order, id)
				}
				perBranch[i][id] = append(perBranch[i][id], c)
			}
		}
	}
	var out []expr.Expr
	for _, id := range order {
		var alts []expr.Expr
		for _, m := range perBranch {
			if m[id] == nil {
				alts = nil
				break
			}
			alts = append(alts, andOf(m[id]))
		}
		if alts == nil {
			continue
		}
		if in := asInList(alts); in != nil {
			out = append(out, in)
		} else {
			out = append(out, &expr.Or{Args: alts})
		}
	}
	return out
}

// asInList turns col = c1, col = c2, ... (alternatives) into col IN (c1,
// c2, ...), or returns nil when they are not all such equalities.
func asInList(alts []expr.Expr) expr.Expr {
	var col expr.Expr
	var list []expr.Expr
	seen := map[string]bool{}
	for _, a := range alts {
		b, ok := a.(*expr.Binary)
		if !ok || b.Op != expr.OpEq {
			return nil
		}
		ref, lit := b.L, b.R
		if _, ok := ref.(*expr.ColumnRef); !ok {
			ref, lit = b.R, b.L
		}
		if _, ok := ref.(*expr.ColumnRef); !ok {
			return nil
		}
		if _, ok := lit.(*expr.Literal); !ok {
			return nil
		}
		if col == nil {
			col = ref
		}
		if k := expr.Key(lit); !seen[k] {
			seen[k] = true
			list = append(list, lit)
		}
	}
	if len(list) == 1 {
		return &expr.Binary{Op: expr.OpEq, L: col, R: list[0], T: alts[0].Type()}
	}
	return &expr.InList{X: col, List: list}
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
		inAll := !keys[k] && !expr.IsVolatile(c) // random() < 0.5 twice is two draws
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
