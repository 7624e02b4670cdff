package optimizer

import (
	"math"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/types"
)

// Cardinality estimation for join ordering and EXPLAIN. The model is the
// textbook one: independent predicates, uniform values, equality joins
// matching 1/max(ndv) of the pairs. Distinct counts come from table
// samples (catalog.NDVEstimator), value ranges of comparisons with
// constants from file statistics (estimate_range.go).

// unknownRows is assumed for tables that do not know their size.
const unknownRows = 1_000_000

// recursionGuess is the assumed number of iterations of a recursive CTE,
// and workTableGuess the rows of one iteration's working table: a
// recursion is usually a walk of a few levels over a small frontier.
const (
	recursionGuess = 10
	workTableGuess = 100
)

// estimator caches per-plan facts.
type estimator struct {
	origin map[expr.ColumnID]colOrigin
	rows   map[plan.Node]float64
}

type colOrigin struct {
	table catalog.Table
	col   int
}

// Estimates returns a function giving the estimated output rows of any node
// of the plan rooted at root (EXPLAIN prints them).
func Estimates(root plan.Node) func(plan.Node) float64 { return newEstimator(root).Rows }

func newEstimator(root plan.Node) *estimator {
	e := &estimator{origin: map[expr.ColumnID]colOrigin{}, rows: map[plan.Node]float64{}}
	var walk func(plan.Node)
	walk = func(n plan.Node) {
		if s, ok := n.(*plan.Scan); ok {
			for i, c := range s.Cols {
				e.origin[c.ID] = colOrigin{table: s.Table, col: i}
			}
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(root)
	return e
}

// ndv estimates the distinct values of a column, or -1.
func (e *estimator) ndv(id expr.ColumnID) float64 {
	o, ok := e.origin[id]
	if !ok {
		return -1
	}
	if est, ok := o.table.(catalog.NDVEstimator); ok {
		if v := est.NDV(o.col); v > 0 {
			return float64(v)
		}
	}
	return -1
}

// exprNDV estimates the distinct values of an expression within a relation
// of the given size.
func (e *estimator) exprNDV(x expr.Expr, rows float64) float64 {
	if r, ok := x.(*expr.ColumnRef); ok {
		if v := e.ndv(r.ID); v > 0 {
			return math.Max(1, math.Min(v, rows))
		}
	}
	return math.Max(1, rows)
}

// Rows estimates a node's output cardinality.
func (e *estimator) Rows(n plan.Node) float64 {
	if v, ok := e.rows[n]; ok {
		return v
	}
	v := e.compute(n)
	e.rows[n] = v
	return v
}

func (e *estimator) compute(n plan.Node) float64 {
	switch n := n.(type) {
	case *plan.Scan:
		if r := n.Table.Stats().RowCount; r >= 0 {
			return float64(r)
		}
		return unknownRows
	case *plan.Values:
		return float64(len(n.Rows))
	case *plan.Filter:
		in := e.Rows(n.Input)
		return math.Max(1, in*e.selectivity(n.Pred, in))
	case *plan.Project:
		return e.Rows(n.Input)
	case *plan.Sort:
		return e.Rows(n.Input)
	case *plan.Window:
		return e.Rows(n.Input)
	case *plan.Limit:
		in := e.Rows(n.Input)
		if n.Count >= 0 {
			return math.Min(in, float64(n.Count))
		}
		return in
	case *plan.Max1Row:
		return 1
	case *plan.RecursiveCTE:
		// Unknowable: a few iterations, each the size of the base.
		return recursionGuess * e.Rows(n.Base)
	case *plan.WorkTableScan:
		return workTableGuess
	case *plan.Repeat:
		return e.Rows(n.Input) // a group's count is rarely more than a few
	case *plan.Union:
		s := 0.0
		for _, in := range n.Ins {
			s += e.Rows(in)
		}
		return s
	case *plan.GroupingSets:
		// Each set as an aggregate of its own.
		s := 0.0
		for _, set := range n.Sets {
			a := &plan.Aggregate{Input: n.Input}
			for _, k := range set {
				a.Keys = append(a.Keys, n.Keys[k])
			}
			s += e.Rows(a)
		}
		return s
	case *plan.Aggregate:
		in := e.Rows(n.Input)
		if len(n.Keys) == 0 {
			return 1
		}
		groups := 1.0
		for _, k := range n.Keys {
			groups *= e.exprNDV(k, in)
			if groups >= in {
				return in
			}
		}
		return math.Max(1, math.Min(groups, in))
	case *plan.Join:
		l, r := e.Rows(n.Left), e.Rows(n.Right)
		inner := e.joinRows(l, r, n.Equi, n.Cond)
		switch n.Kind {
		case plan.InnerJoin:
			return inner
		case plan.LeftJoin, plan.SingleJoin, plan.MarkJoin, plan.MarkJoinNullAware:
			return math.Max(l, inner)
		case plan.RightJoin:
			return math.Max(r, inner)
		case plan.FullJoin:
			return math.Max(math.Max(l, r), inner)
		case plan.SemiJoin:
			return math.Max(1, math.Min(l, inner)/2)
		default: // anti
			return math.Max(1, l/2)
		}
	}
	return unknownRows
}

// joinRows estimates an inner join of relations of l and r rows. Each
// equality key divides by the larger of its two NDVs. Several keys of one
// join are usually correlated (a composite key such as partsupp's
// (partkey, suppkey)): treating them as independent would make the join
// look almost empty, so their combined divisor is capped at the larger
// input's size, the most a key-foreign-key join can divide by.
func (e *estimator) joinRows(l, r float64, equi []plan.EquiCond, cond expr.Expr) float64 {
	div := 1.0
	for _, eq := range equi {
		div *= math.Max(e.exprNDV(eq.L, l), e.exprNDV(eq.R, r))
	}
	rest := 1.0
	for _, c := range conjuncts(cond) {
		if b, ok := c.(*expr.Binary); ok && b.Op == expr.OpEq {
			div *= math.Max(e.exprNDV(b.L, math.Max(l, r)), e.exprNDV(b.R, math.Max(l, r)))
			continue
		}
		rest *= e.selectivity(c, math.Max(l, r))
	}
	div = math.Min(div, math.Max(l, r))
	return math.Max(1, l*r/div*rest)
}

// selectivity estimates the fraction of rows a predicate keeps.
func (e *estimator) selectivity(p expr.Expr, rows float64) float64 {
	switch x := p.(type) {
	case *expr.And:
		return e.rangeSelectivity(conjuncts(x), rows)
	case *expr.Or:
		keep := 1.0
		for _, a := range x.Args {
			keep *= 1 - e.selectivity(a, rows)
		}
		return 1 - keep
	case *expr.Not:
		return 1 - e.selectivity(x.X, rows)
	case *expr.Literal:
		if x.Value.Valid && x.Value.Bool() {
			return 1
		}
		return 0
	case *expr.IsNull:
		if x.Negated {
			return 0.95
		}
		return 0.05
	case *expr.Like:
		if x.Negated {
			return 0.9
		}
		return 0.1
	case *expr.InList:
		ndv := e.constCompareNDV(x.X, rows)
		s := math.Min(1, float64(len(x.List))/ndv)
		if x.Negated {
			return 1 - s
		}
		return s
	case *expr.Binary:
		if !x.Op.IsComparison() {
			break
		}
		_, lc := x.L.(*expr.Literal)
		_, rc := x.R.(*expr.Literal)
		col := x.L
		if lc {
			col = x.R
		}
		if id, iv, ok := e.columnInterval(x); ok {
			return e.fraction(id, iv)
		}
		switch {
		case x.Op == expr.OpEq && (lc || rc):
			return 1 / e.constCompareNDV(col, rows)
		case x.Op == expr.OpNe && (lc || rc):
			return 1 - 1/e.constCompareNDV(col, rows)
		case x.Op == expr.OpEq:
			return 0.1
		case lc || rc:
			return 0.4
		}
		return 0.3
	}
	return 0.5
}

// constCompareNDV is the NDV used when a column is compared with a
// constant; without statistics it assumes ten distinct values.
func (e *estimator) constCompareNDV(x expr.Expr, rows float64) float64 {
	if r, ok := x.(*expr.ColumnRef); ok {
		if v := e.ndv(r.ID); v > 0 {
			return math.Max(1, math.Min(v, rows))
		}
	}
	return 10
}

func conjuncts(e expr.Expr) []expr.Expr {
	if e == nil {
		return nil
	}
	if a, ok := e.(*expr.And); ok {
		var out []expr.Expr
		for _, x := range a.Args {
			out = append(out, conjuncts(x)...)
		}
		return out
	}
	return []expr.Expr{e}
}

func andOf(cs []expr.Expr) expr.Expr {
	switch len(cs) {
	case 0:
		return nil
	case 1:
		return cs[0]
	}
	return &expr.And{Args: cs}
}

// refs returns the column IDs an expression reads.
func refs(e expr.Expr) map[expr.ColumnID]bool { return expr.Refs(e) }

// subset reports whether every ID of a is in b.
func subset(a, b map[expr.ColumnID]bool) bool {
	for id := range a {
		if !b[id] {
			return false
		}
	}
	return true
}

func idsOf(cols []plan.Column) map[expr.ColumnID]bool {
	s := make(map[expr.ColumnID]bool, len(cols))
	for _, c := range cols {
		s[c.ID] = true
	}
	return s
}

var boolType = types.BoolType
