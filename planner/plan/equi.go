package plan

import "github.com/minisql/minisql/expr"

// SplitEquiJoin separates the conjuncts of a join condition of the form
// leftExpr = rightExpr (hash-join keys) from the rest.
func SplitEquiJoin(cond expr.Expr, left, right []Column) ([]EquiCond, expr.Expr) {
	l, r := idSet(left), idSet(right)
	var equi []EquiCond
	var rest []expr.Expr
	for _, c := range Conjuncts(cond) {
		if eq, ok := c.(*expr.Binary); ok && eq.Op == expr.OpEq {
			// A constant may stand on the left (NULL IN (SELECT ...)), but
			// the right side must read the right input.
			switch {
			case within(eq.L, l) && onlyFrom(eq.R, r):
				equi = append(equi, EquiCond{L: eq.L, R: eq.R})
				continue
			case onlyFrom(eq.L, r) && within(eq.R, l):
				equi = append(equi, EquiCond{L: eq.R, R: eq.L})
				continue
			}
		}
		rest = append(rest, c)
	}
	switch len(rest) {
	case 0:
		return equi, nil
	case 1:
		return equi, rest[0]
	}
	return equi, &expr.And{Args: rest}
}

// Conjuncts splits an AND into its parts.
func Conjuncts(e expr.Expr) []expr.Expr {
	if e == nil {
		return nil
	}
	if a, ok := e.(*expr.And); ok {
		var out []expr.Expr
		for _, x := range a.Args {
			out = append(out, Conjuncts(x)...)
		}
		return out
	}
	return []expr.Expr{e}
}

func idSet(cols []Column) map[expr.ColumnID]bool {
	s := make(map[expr.ColumnID]bool, len(cols))
	for _, c := range cols {
		s[c.ID] = true
	}
	return s
}

// onlyFrom reports whether e reads at least one column and only columns
// of s.
func onlyFrom(e expr.Expr, s map[expr.ColumnID]bool) bool {
	any, ok := false, true
	var walk func(expr.Expr)
	walk = func(e expr.Expr) {
		if r, isRef := e.(*expr.ColumnRef); isRef {
			any = true
			ok = ok && s[r.ID]
			return
		}
		for _, c := range e.Children() {
			walk(c)
		}
	}
	walk(e)
	return any && ok
}

// within reports whether e reads only columns of s (possibly none).
func within(e expr.Expr, s map[expr.ColumnID]bool) bool {
	ok := true
	var walk func(expr.Expr)
	walk = func(e expr.Expr) {
		if r, isRef := e.(*expr.ColumnRef); isRef {
			ok = ok && s[r.ID]
			return
		}
		for _, c := range e.Children() {
			walk(c)
		}
	}
	walk(e)
	return ok
}
