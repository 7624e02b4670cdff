package optimizer

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// simplifyOuterJoin turns a LEFT (RIGHT) join into an inner join when one
// of the predicates above it rejects every row whose right (left) columns
// are NULL: the NULL-extended rows the outer join adds are then filtered
// away anyway, and an inner join can be reordered and built either way.
// TPC-H Q17's "l_quantity < (SELECT 0.2 * avg(...))" is such a predicate
// over the LEFT join its decorrelation makes. A FULL join loses the
// NULL-extended rows of the side whose NULLs are rejected: it becomes a
// LEFT join when its left columns' NULLs are rejected (only the right
// rows lacked a match there), a RIGHT join in the mirror case, an inner
// join when both are.
func simplifyOuterJoin(n *plan.Join, preds []expr.Expr) *plan.Join {
	if n.Kind == plan.FullJoin {
		n = simplifyFullJoin(n, preds)
	}
	var nullable map[expr.ColumnID]bool
	switch n.Kind {
	case plan.LeftJoin:
		nullable = idsOf(n.Right.Columns())
	case plan.RightJoin:
		nullable = idsOf(n.Left.Columns())
	default:
		return n
	}
	for _, p := range preds {
		if rejectsNulls(p, nullable) {
			c := *n
			c.Kind = plan.InnerJoin
			return &c
		}
	}
	return n
}

// simplifyFullJoin returns the join a FULL join is under preds: LEFT,
// RIGHT or inner when they reject the NULLs of its left columns, its right
// columns, or both.
func simplifyFullJoin(n *plan.Join, preds []expr.Expr) *plan.Join {
	left, right := idsOf(n.Left.Columns()), idsOf(n.Right.Columns())
	var noNullLeft, noNullRight bool
	for _, p := range preds {
		noNullLeft = noNullLeft || rejectsNulls(p, left)
		noNullRight = noNullRight || rejectsNulls(p, right)
	}
	kind := plan.FullJoin
	switch {
	case noNullLeft && noNullRight:
		kind = plan.InnerJoin
	case noNullLeft:
		kind = plan.LeftJoin // the right rows without a match are gone
	case noNullRight:
		kind = plan.RightJoin
	default:
		return n
	}
	c := *n
	c.Kind, c.BuildLeft = kind, false
	return &c
}

// rejectsNulls reports whether predicate p is never true when every
// column of cols is NULL (it may be false or NULL). Conservative: false
// when unsure.
func rejectsNulls(p expr.Expr, cols map[expr.ColumnID]bool) bool {
	switch x := p.(type) {
	case *expr.Binary:
		return x.Op.IsComparison() && (nullWhenNull(x.L, cols) || nullWhenNull(x.R, cols))
	case *expr.And:
		for _, a := range x.Args {
			if rejectsNulls(a, cols) {
				return true
			}
		}
	case *expr.Or:
		for _, a := range x.Args {
			if !rejectsNulls(a, cols) {
				return false
			}
		}
		return len(x.Args) > 0
	case *expr.Not:
		return nullWhenNull(x.X, cols)
	case *expr.IsNull:
		return x.Negated && nullWhenNull(x.X, cols)
	case *expr.InList:
		return nullWhenNull(x.X, cols)
	case *expr.Like:
		return nullWhenNull(x.X, cols) || nullWhenNull(x.Pattern, cols)
	case *expr.ColumnRef:
		return cols[x.ID] // a boolean column: NULL is not true
	}
	return false
}

// nullWhenNull reports whether e is NULL whenever the columns of cols are
// NULL: a column of cols, or an operator that propagates NULL (arithmetic,
// comparisons, casts) over such an expression.
func nullWhenNull(e expr.Expr, cols map[expr.ColumnID]bool) bool {
	switch x := e.(type) {
	case *expr.ColumnRef:
		return cols[x.ID]
	case *expr.Binary:
		return nullWhenNull(x.L, cols) || nullWhenNull(x.R, cols)
	case *expr.Cast:
		return nullWhenNull(x.X, cols)
	case *expr.Not:
		return nullWhenNull(x.X, cols)
	}
	return false
}
