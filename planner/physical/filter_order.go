package physical

import (
	"slices"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// orderConjuncts puts the conjuncts that cannot fail first, cheapest
// first, as DuckDB orders a filter's expressions by cost; the others
// follow in the order written. Q12 wrote its string IN-list first, so it
// ran on all 6 million rows, where the date range after it keeps one in
// seven.
//
// Only conjuncts that cannot fail move ahead, so a conjunct that can fail
// still runs only on rows every conjunct written before it kept: the
// guard in "b <> 0 AND a / b > 3" still comes first, and moving a
// comparison ahead of a division only leaves the division fewer rows.
func orderConjuncts(conj []expr.Expr) []expr.Expr {
	type ranked struct {
		e    expr.Expr
		cost int
	}
	rs := make([]ranked, len(conj))
	for i, c := range conj {
		cost, ok := safeCost(c)
		if !ok {
			cost = costFallible
		}
		rs[i] = ranked{c, cost}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int { return a.cost - b.cost })
	out := make([]expr.Expr, len(rs))
	for i, r := range rs {
		out[i] = r.e
	}
	return out
}

// Cost classes, cheapest first.
const (
	costConstRange = iota // a fixed-width column against a constant
	costFixed             // fixed-width values against each other, IS NULL
	costString            // string comparisons and IN-lists
	costLike              // pattern matching
	costFallible          // anything that can raise an error: kept in order
)

// safeCost returns e's cost class and whether e cannot fail: it is made of
// column references, constants, comparisons, IN-lists, LIKE, IS NULL and
// the logical operators only (no arithmetic, cast or function).
func safeCost(e expr.Expr) (int, bool) {
	switch e := e.(type) {
	case *expr.ColumnRef, *expr.Literal:
		if e.Type().Kind == types.String {
			return costString, true
		}
		return costFixed, true
	case *expr.Binary:
		if !e.Op.IsComparison() {
			return 0, false
		}
		if _, ok := constComparison(e); ok && e.L.Type().Kind != types.String && e.R.Type().Kind != types.String {
			return costConstRange, true
		}
		return maxCost(e.L, e.R)
	case *expr.InList:
		return maxCost(append([]expr.Expr{e.X}, e.List...)...)
	case *expr.IsNull:
		return maxCost(e.X)
	case *expr.Not:
		return maxCost(e.X)
	case *expr.And:
		return maxCost(e.Args...)
	case *expr.Or:
		return maxCost(e.Args...)
	case *expr.Like:
		// A constant pattern was checked when the plan was built.
		if _, isLit := e.Pattern.(*expr.Literal); !isLit {
			return 0, false
		}
		if _, ok := maxCost(e.X); !ok {
			return 0, false
		}
		return costLike, true
	}
	return 0, false
}

// maxCost is the highest cost class of es, and whether none can fail.
func maxCost(es ...expr.Expr) (int, bool) {
	c := costFixed
	for _, e := range es {
		ce, ok := safeCost(e)
		if !ok {
			return 0, false
		}
		c = max(c, ce)
	}
	return c, true
}
