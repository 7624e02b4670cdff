package parse

import (
	"strings"

	"github.com/xwb1989/sqlparser"
)

// Format renders a parsed node as SQL with the pre-lexer's rewrites undone.
// It names unaliased result columns and quotes expressions in messages: a
// user who wrote CAST(x AS DATE), DATE '1998-12-01', SUBSTRING(s FROM 2)
// or EXTRACT(YEAR FROM d) sees that, not the internal __cast and
// __substring calls sqlparser was given.
func Format(node sqlparser.SQLNode) string {
	buf := sqlparser.NewTrackedBuffer(formatNode)
	buf.Myprintf("%v", node)
	return buf.String()
}

func formatNode(buf *sqlparser.TrackedBuffer, node sqlparser.SQLNode) {
	if sel, ok := node.(*sqlparser.Select); ok && hasMarkerItem(sel) {
		// The pre-lexer's __with, __qualify and __sample items are not
		// what the user wrote.
		cp := *sel
		cp.SelectExprs = nil
		for _, se := range sel.SelectExprs {
			if !isMarkerItem(se) {
				cp.SelectExprs = append(cp.SelectExprs, se)
			}
		}
		cp.Format(buf)
		return
	}
	if j, ok := node.(*sqlparser.JoinTableExpr); ok && formatFullJoin(buf, j) {
		return
	}
	if c, ok := node.(*sqlparser.ComparisonExpr); ok {
		if v, ok := c.Escape.(*sqlparser.SQLVal); ok && string(v.Val) == DistinctMarker {
			op := "is not distinct from"
			if c.Operator == sqlparser.NotLikeStr {
				op = "is distinct from"
			}
			buf.Myprintf("%v %s %v", c.Left, op, c.Right)
			return
		}
		if v, ok := c.Escape.(*sqlparser.SQLVal); ok && string(v.Val) == IlikeMarker {
			op := "ilike"
			if c.Operator == sqlparser.NotLikeStr {
				op = "not ilike"
			}
			buf.Myprintf("%v %s %v", c.Left, op, c.Right)
			return
		}
	}
	if be, ok := node.(*sqlparser.BinaryExpr); ok && be.Operator == sqlparser.BitOrStr {
		buf.Myprintf("%v || %v", be.Left, be.Right) // the pre-lexer's spelling of ||
		return
	}
	if iv, ok := node.(*sqlparser.IntervalExpr); ok && iv.Unit == IntervalTextUnit {
		buf.Myprintf("interval %v", iv.Expr)
		return
	}
	f, ok := node.(*sqlparser.FuncExpr)
	if ok && f.Distinct && formatFilter(buf, f) {
		return
	}
	if ok && f.Qualifier.IsEmpty() && formatAggOrder(buf, f) {
		return
	}
	if !ok || !f.Qualifier.IsEmpty() || f.Distinct {
		node.Format(buf)
		return
	}
	switch f.Name.Lowered() {
	case "__cast", "__try_cast":
		if typ, ok := stringArg(f.Exprs, 1); ok && len(f.Exprs) == 2 {
			buf.Myprintf("%s(%v as %s)", strings.TrimPrefix(f.Name.Lowered(), "__"), f.Exprs[0], typ)
			return
		}
	case "__substring":
		buf.Myprintf("substring(%v)", f.Exprs)
		return
	case "extract":
		if field, ok := stringArg(f.Exprs, 0); ok && len(f.Exprs) == 2 {
			buf.Myprintf("extract(%s from %v)", field, f.Exprs[1])
			return
		}
	case overMarker:
		if formatOver(buf, f) {
			return
		}
	case GroupingSetsMarker:
		buf.Myprintf("grouping sets (%v)", f.Exprs)
		return
	case RollupMarker:
		buf.Myprintf("rollup(%v)", f.Exprs)
		return
	case CubeMarker:
		buf.Myprintf("cube(%v)", f.Exprs)
		return
	case SetMarker:
		buf.Myprintf("(%v)", f.Exprs)
		return
	}
	if formatFilter(buf, f) {
		return
	}
	node.Format(buf)
}

// formatFilter writes an aggregate whose argument is the pre-lexer's
// __filter(c[, x]) as written: agg(x) filter (where c), agg(*) for a
// count(*).
func formatFilter(buf *sqlparser.TrackedBuffer, f *sqlparser.FuncExpr) bool {
	if len(f.Exprs) == 0 {
		return false
	}
	ae, ok := f.Exprs[0].(*sqlparser.AliasedExpr)
	if !ok {
		return false
	}
	inner, ok := ae.Expr.(*sqlparser.FuncExpr)
	if !ok || inner.Name.Lowered() != filterMarker || len(inner.Exprs) == 0 || len(inner.Exprs) > 2 {
		return false
	}
	distinct := ""
	if f.Distinct {
		distinct = "distinct "
	}
	args, order := splitSortKey(f.Exprs)
	rest := ""
	if len(args) > 1 {
		rest = ", " + Format(args[1:])
	}
	rest += order
	if len(inner.Exprs) == 1 {
		buf.Myprintf("%s(%s*%s) filter (where %v)", f.Name.String(), distinct, rest, inner.Exprs[0])
	} else {
		buf.Myprintf("%s(%s%v%s) filter (where %v)", f.Name.String(), distinct, inner.Exprs[1], rest, inner.Exprs[0])
	}
	return true
}

// formatAggOrder writes a call whose last argument is the pre-lexer's
// __sort_key(k, 'dir', ...) as written: f(x, sep order by k desc).
func formatAggOrder(buf *sqlparser.TrackedBuffer, f *sqlparser.FuncExpr) bool {
	args, order := splitSortKey(f.Exprs)
	if order == "" {
		return false
	}
	if formatFilter(buf, f) {
		return true
	}
	distinct := ""
	if f.Distinct {
		distinct = "distinct "
	}
	buf.Myprintf("%s(%s%v%s)", f.Name.String(), distinct, args, order)
	return true
}

// splitSortKey returns a call's arguments without a trailing __sort_key,
// and that key as " order by ..." ("" when there is none).
func splitSortKey(exprs sqlparser.SelectExprs) (sqlparser.SelectExprs, string) {
	if len(exprs) == 0 {
		return exprs, ""
	}
	ae, ok := exprs[len(exprs)-1].(*sqlparser.AliasedExpr)
	if !ok {
		return exprs, ""
	}
	key, ok := ae.Expr.(*sqlparser.FuncExpr)
	if !ok || key.Name.Lowered() != sortKeyFunc || !key.Qualifier.IsEmpty() {
		return exprs, ""
	}
	var b strings.Builder
	b.WriteString(" order by ")
	for j := 0; j+1 < len(key.Exprs); j += 2 {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(Format(key.Exprs[j]))
		if dir, ok := stringArg(key.Exprs, j+1); ok && dir != "asc" {
			b.WriteString(" " + strings.TrimPrefix(dir, "asc "))
		}
	}
	return exprs[:len(exprs)-1], b.String()
}

// formatOver writes a window call as written: f(x) OVER (PARTITION BY
// ... ORDER BY ...), from the pre-lexer's __over(f(x), __partition(...),
// __order(e, 'dir', ...)).
func formatOver(buf *sqlparser.TrackedBuffer, over *sqlparser.FuncExpr) bool {
	if len(over.Exprs) == 0 {
		return false
	}
	buf.Myprintf("%v over (", over.Exprs[0])
	for i, se := range over.Exprs[1:] {
		ae, ok := se.(*sqlparser.AliasedExpr)
		part, _ := ae.Expr.(*sqlparser.FuncExpr)
		if !ok || part == nil {
			return false
		}
		if i > 0 {
			buf.Myprintf(" ")
		}
		switch part.Name.Lowered() {
		case partitionMarker:
			buf.Myprintf("partition by %v", part.Exprs)
		case orderMarker:
			buf.Myprintf("order by ")
			for j := 0; j+1 < len(part.Exprs); j += 2 {
				if j > 0 {
					buf.Myprintf(", ")
				}
				buf.Myprintf("%v", part.Exprs[j])
				if dir, ok := stringArg(part.Exprs, j+1); ok && dir != "asc" {
					buf.Myprintf(" %s", strings.TrimPrefix(dir, "asc "))
				}
			}
		case frameMarker:
			formatFrame(buf, part.Exprs)
		}
	}
	buf.Myprintf(")")
	return true
}

// formatFrame writes __frame('rows', 'preceding', 2, 'current row', 0)
// as rows between 2 preceding and current row.
func formatFrame(buf *sqlparser.TrackedBuffer, args sqlparser.SelectExprs) {
	mode, _ := stringArg(args, 0)
	buf.Myprintf("%s between", mode)
	for i := 1; i+1 < len(args); i += 2 {
		if i > 1 {
			buf.Myprintf(" and")
		}
		kind, _ := stringArg(args, i)
		if kind == "preceding" || kind == "following" {
			buf.Myprintf(" %v", args[i+1])
		}
		buf.Myprintf(" %s", kind)
	}
}

// stringArg is the text of argument i when it is a string literal.
func stringArg(args sqlparser.SelectExprs, i int) (string, bool) {
	if i >= len(args) {
		return "", false
	}
	ae, ok := args[i].(*sqlparser.AliasedExpr)
	if !ok {
		return "", false
	}
	v, ok := ae.Expr.(*sqlparser.SQLVal)
	if !ok || v.Type != sqlparser.StrVal {
		return "", false
	}
	return strings.TrimSpace(string(v.Val)), true
}

func hasMarkerItem(sel *sqlparser.Select) bool {
	for _, se := range sel.SelectExprs {
		if isMarkerItem(se) {
			return true
		}
	}
	return false
}

func isMarkerItem(se sqlparser.SelectExpr) bool {
	ae, ok := se.(*sqlparser.AliasedExpr)
	if !ok {
		return false
	}
	f, ok := ae.Expr.(*sqlparser.FuncExpr)
	if !ok {
		return false
	}
	switch f.Name.Lowered() {
	case WithFunc, QualifyFunc, SampleFunc:
		return true
	}
	return false
}
