package expr

// NodeText is e's own text, its operands written as "?": two nodes with
// the same NodeText, type and operands are the same expression. It serves
// a comparison of two expressions node by node whose column IDs differ
// (the copies of a view, planner/physical/share.go), which Key cannot
// make; String would write every subtree again at every level.
func NodeText(e Expr) string {
	ch := e.Children()
	if len(ch) == 0 {
		return e.String()
	}
	holes := make([]Expr, len(ch))
	for i, c := range ch {
		holes[i] = &ColumnRef{Name: "?", T: c.Type(), Index: -1}
	}
	return e.WithChildren(holes).String()
}

// MapChildren returns e with every operand replaced by f of it (e itself
// when it has none): the step of a rewrite that works top down.
func MapChildren(e Expr, f func(Expr) Expr) Expr {
	ch := e.Children()
	if len(ch) == 0 {
		return e
	}
	out := make([]Expr, len(ch))
	for i, c := range ch {
		out[i] = f(c)
	}
	return e.WithChildren(out)
}
