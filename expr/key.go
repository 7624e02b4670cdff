package expr

import (
	"fmt"
	"strings"
)

// Key is a structural fingerprint of an expression that, unlike String(),
// tells columns apart by ID: equal keys mean equal expressions.
func Key(e Expr) string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	var walk func(Expr)
	walk = func(e Expr) {
		switch x := e.(type) {
		case *ColumnRef:
			fmt.Fprintf(&b, "#%d", x.ID)
			return
		case *Literal:
			fmt.Fprintf(&b, "%s:%s", x.T, x.Value.SQL(x.T))
			return
		case *Binary:
			fmt.Fprintf(&b, "(%s", x.Op)
		case *Func:
			fmt.Fprintf(&b, "(%s", x.Name)
		case *Cast:
			fmt.Fprintf(&b, "(cast %s %v", x.To, x.Try)
		case *Like:
			fmt.Fprintf(&b, "(like %v %d", x.Negated, x.Escape)
		case *InList:
			fmt.Fprintf(&b, "(in %v", x.Negated)
		case *IsNull:
			fmt.Fprintf(&b, "(isnull %v", x.Negated)
		case *Case:
			fmt.Fprintf(&b, "(case %d %v", len(x.Whens), x.Else != nil)
		default:
			fmt.Fprintf(&b, "(%T", e)
		}
		for _, c := range e.Children() {
			b.WriteByte(' ')
			walk(c)
		}
		b.WriteByte(')')
	}
	walk(e)
	return b.String()
}
