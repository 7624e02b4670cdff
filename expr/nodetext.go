package expr

// NodeText is e's own text, its operands written as "?": two nodes with
// the same NodeText, type and operands are the same expression. Rules
// that compare expressions node by node (common subexpressions, repeated
// subplans) use it so that the cost stays linear in the expression's size,
// where String would write every subtree again at every level.
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
