package expr

// Refs returns the columns an expression reads (none for nil).
func Refs(e Expr) map[ColumnID]bool {
	out := map[ColumnID]bool{}
	var walk func(Expr)
	walk = func(e Expr) {
		if r, ok := e.(*ColumnRef); ok {
			out[r.ID] = true
			return
		}
		for _, c := range e.Children() {
			walk(c)
		}
	}
	if e != nil {
		walk(e)
	}
	return out
}
