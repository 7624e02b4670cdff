package optimizer

import (
	"math"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// Range predicates. A comparison of a column with a constant keeps the
// share of the column's value range (catalog.RangeEstimator: Parquet
// row-group bounds) on its side, values taken as uniform; the comparisons
// of one column in a conjunction are intersected first, so that
// o_orderdate >= '1993-10-01' AND o_orderdate < '1994-01-01' keeps three
// months of seven years (4%), not 0.4 × 0.4 (16%) as two independent
// guesses would. A wrong guess there made Q10 build its hash table on all
// 150K customers with their strings instead of on 57K orders.

// interval is the values a conjunction lets through for one column.
type interval struct{ lo, hi float64 }

// columnInterval reads p as column <op> constant (either way round) over a
// column of known range.
func (e *estimator) columnInterval(p expr.Expr) (expr.ColumnID, interval, bool) {
	b, ok := p.(*expr.Binary)
	if !ok {
		return 0, interval{}, false
	}
	op, col, lit := b.Op, b.L, b.R
	if _, isLit := col.(*expr.Literal); isLit {
		op, col, lit = op.Flip(), b.R, b.L
	}
	ref, ok1 := col.(*expr.ColumnRef)
	l, ok2 := lit.(*expr.Literal)
	if !ok1 || !ok2 || !l.Value.Valid {
		return 0, interval{}, false
	}
	if _, _, known := e.valueRange(ref.ID); !known {
		return 0, interval{}, false
	}
	v, ok := literalFloat(l)
	if !ok {
		return 0, interval{}, false
	}
	switch op {
	case expr.OpLt, expr.OpLe:
		return ref.ID, interval{math.Inf(-1), v}, true
	case expr.OpGt, expr.OpGe:
		return ref.ID, interval{v, math.Inf(1)}, true
	}
	return 0, interval{}, false
}

// valueRange is the range of a scanned column's values, if its table
// knows it.
func (e *estimator) valueRange(id expr.ColumnID) (lo, hi float64, ok bool) {
	o, found := e.origin[id]
	if !found {
		return 0, 0, false
	}
	r, isRange := o.table.(catalog.RangeEstimator)
	if !isRange {
		return 0, 0, false
	}
	return r.ValueRange(o.col)
}

// literalFloat is a numeric or date constant as the column ranges give
// values.
func literalFloat(l *expr.Literal) (float64, bool) {
	switch l.T.Kind {
	case types.Int64, types.Date, types.Timestamp:
		return float64(l.Value.I), true
	case types.Float64:
		return l.Value.F, true
	case types.Decimal:
		return types.DecimalToFloat64(l.Value.D, int(l.T.Scale)), true
	}
	return 0, false
}

// fraction is the share of the column's range that iv covers. A range of
// one value is all in or all out; an estimate never reaches 0, since the
// bounds are only bounds.
func (e *estimator) fraction(id expr.ColumnID, iv interval) float64 {
	const least = 1e-4
	lo, hi, _ := e.valueRange(id)
	from, to := math.Max(lo, iv.lo), math.Min(hi, iv.hi)
	switch {
	case to < from:
		return least
	case hi == lo:
		return 1
	}
	return math.Max(least, (to-from)/(hi-lo))
}

// rangeSelectivity estimates a conjunction: comparisons with constants
// on columns of known range are intersected per column, the other
// conjuncts estimated one by one.
func (e *estimator) rangeSelectivity(args []expr.Expr, rows float64) float64 {
	s := 1.0
	ivs := map[expr.ColumnID]interval{}
	var order []expr.ColumnID
	for _, a := range args {
		id, iv, ok := e.columnInterval(a)
		if !ok {
			s *= e.selectivity(a, rows)
			continue
		}
		cur, seen := ivs[id]
		if !seen {
			order = append(order, id)
			cur = interval{math.Inf(-1), math.Inf(1)}
		}
		ivs[id] = interval{math.Max(cur.lo, iv.lo), math.Min(cur.hi, iv.hi)}
	}
	for _, id := range order {
		s *= e.fraction(id, ivs[id])
	}
	return s
}
