package physical

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// A view or CTE named twice is bound twice, with fresh column IDs, and
// optimised twice; when both copies come out the same, the aggregate at
// their top is computed once and read from a spool in both places (see
// operators.Spool). Only aggregates over scans, filters and projections
// are compared: they are the costly part of a repeated view, and a
// pipeline breaker already, so reading a materialised result costs
// nothing extra.

// sharedAggregates maps every aggregate of the plan that repeats an
// earlier one to that earlier one (its representative).
func sharedAggregates(root plan.Node) map[*plan.Aggregate]*plan.Aggregate {
	var aggs []*plan.Aggregate
	var walk func(n plan.Node)
	walk = func(n plan.Node) {
		if a, ok := n.(*plan.Aggregate); ok && shareable(a.Input) {
			aggs = append(aggs, a)
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(root)
	out := map[*plan.Aggregate]*plan.Aggregate{}
	for i, a := range aggs {
		if _, ok := out[a]; ok {
			continue
		}
		for _, b := range aggs[i+1:] {
			if _, ok := out[b]; !ok && a != b && sameSubplan(a, b, map[expr.ColumnID]expr.ColumnID{}) {
				out[a], out[b] = a, a
			}
		}
	}
	return out
}

// shareable reports whether n is made of scans, filters, projections and
// aggregates only.
func shareable(n plan.Node) bool {
	switch n.(type) {
	case *plan.Scan, *plan.Filter, *plan.Project, *plan.Aggregate:
	default:
		return false
	}
	for _, in := range n.Inputs() {
		if !shareable(in) {
			return false
		}
	}
	return true
}

// sameSubplan reports whether a and b compute the same result, column for
// column, given that a's column IDs stand for b's as in m; it adds the
// IDs of the columns they produce to m.
func sameSubplan(a, b plan.Node, m map[expr.ColumnID]expr.ColumnID) bool {
	ai, bi := a.Inputs(), b.Inputs()
	if len(ai) != len(bi) {
		return false
	}
	for i := range ai {
		if !sameSubplan(ai[i], bi[i], m) {
			return false
		}
	}
	switch a := a.(type) {
	case *plan.Scan:
		b, ok := b.(*plan.Scan)
		if !ok || a.Table != b.Table || len(a.Cols) != len(b.Cols) ||
			!equalInts(a.Projection, b.Projection) || len(a.Filters) != len(b.Filters) {
			return false
		}
		for i := range a.Cols {
			m[a.Cols[i].ID] = b.Cols[i].ID
		}
		return sameExprs(a.Filters, b.Filters, m)
	case *plan.Filter:
		b, ok := b.(*plan.Filter)
		return ok && sameExpr(a.Pred, b.Pred, m) && sameColumns(a.Output, b.Output, m)
	case *plan.Project:
		b, ok := b.(*plan.Project)
		if !ok || !sameExprs(a.Exprs, b.Exprs, m) {
			return false
		}
		mapColumns(a.Cols, b.Cols, m)
		return true
	case *plan.Aggregate:
		b, ok := b.(*plan.Aggregate)
		if !ok || len(a.Aggs) != len(b.Aggs) || !sameExprs(a.Keys, b.Keys, m) {
			return false
		}
		for i, x := range a.Aggs {
			y := b.Aggs[i]
			if x.Kind != y.Kind || x.Distinct != y.Distinct || x.Sep != y.Sep || x.Frac != y.Frac || x.KeepNulls != y.KeepNulls || (x.Arg == nil) != (y.Arg == nil) ||
				x.Arg != nil && !sameExpr(x.Arg, y.Arg, m) || (x.Arg2 == nil) != (y.Arg2 == nil) ||
				x.Arg2 != nil && !sameExpr(x.Arg2, y.Arg2, m) {
				return false
			}
		}
		mapColumns(a.KeyCols, b.KeyCols, m)
		mapColumns(a.AggCols, b.AggCols, m)
		return len(a.KeyCols) == len(b.KeyCols) && len(a.AggCols) == len(b.AggCols)
	}
	return false
}

func mapColumns(a, b []plan.Column, m map[expr.ColumnID]expr.ColumnID) {
	for i := range min(len(a), len(b)) {
		m[a[i].ID] = b[i].ID
	}
}

// sameColumns compares lists of input columns under m.
func sameColumns(a, b []plan.Column, m map[expr.ColumnID]expr.ColumnID) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		if id, ok := m[a[i].ID]; !ok || id != b[i].ID {
			return false
		}
	}
	return true
}

func sameExprs(a, b []expr.Expr, m map[expr.ColumnID]expr.ColumnID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameExpr(a[i], b[i], m) {
			return false
		}
	}
	return true
}

// sameExpr compares two expressions node by node, column references
// under m and every other node by its own text and type.
func sameExpr(a, b expr.Expr, m map[expr.ColumnID]expr.ColumnID) bool {
	if ra, ok := a.(*expr.ColumnRef); ok {
		rb, ok := b.(*expr.ColumnRef)
		id, known := m[ra.ID]
		return ok && known && id == rb.ID
	}
	ac, bc := a.Children(), b.Children()
	if len(ac) != len(bc) || a.Type() != b.Type() || expr.NodeText(a) != expr.NodeText(b) {
		return false
	}
	for i := range ac {
		if !sameExpr(ac[i], bc[i], m) {
			return false
		}
	}
	return true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
