package physical

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/types"
)

// groupingSets builds GROUP BY GROUPING SETS as one hash aggregate per set
// over the input computed once: the input runs into a Spool and every
// set's aggregate reads it, so a ROLLUP of three keys scans and filters
// its table once, not four times. Each set's rows are projected to the
// full row (NULL for the keys it does not group, its grouping() values as
// constants) and a UNION ALL concatenates them, the sets in order.
//
// When every aggregate can be merged (count, sum and avg of integers and
// decimals, min, max; none DISTINCT), the spool holds the input grouped by
// all the keys instead, an aggregate that runs in parallel like any other,
// and each set merges those groups (counts and sums are summed, minima and
// maxima taken again, an average's exact sum and count summed and then
// divided, as the parallel aggregate's final phase does): the input is
// hashed once, and the spool holds one row per finest group rather than
// the input's rows.
func (b *builder) groupingSets(n *plan.GroupingSets) (operators.Operator, error) {
	if len(n.Sets) == 1 {
		return b.build(b.setsUnion(n, n.Input, nil))
	}
	var fine *plan.Aggregate
	if merge, ok := mergeKinds(n); ok {
		fine = &plan.Aggregate{Input: n.Input, Keys: n.Keys, KeyCols: n.KeyCols}
		for i, c := range n.AggCols {
			merge[i].col = len(fine.AggCols)
			if merge[i].kind != operators.AggAvgMerge {
				fine.Aggs = append(fine.Aggs, n.Aggs[i])
				fine.AggCols = append(fine.AggCols, plan.Column{ID: b.nextTemp(), Name: c.Name, Type: c.Type})
				continue
			}
			// An average's state: the exact sum (an integer's as a
			// DECIMAL(38,0), so that it cannot overflow where the average
			// would not) and the count.
			arg := n.Aggs[i].Arg
			st := avgState(arg.Type())
			fine.Aggs = append(fine.Aggs,
				plan.AggCall{Kind: operators.AggSum, Arg: castIfNeeded(arg, st)},
				plan.AggCall{Kind: operators.AggCount, Arg: arg})
			fine.AggCols = append(fine.AggCols,
				plan.Column{ID: b.nextTemp(), Name: c.Name + "_sum", Type: st},
				plan.Column{ID: b.nextTemp(), Name: c.Name + "_count", Type: types.Int64Type})
		}
		if len(n.Aggs) == 0 {
			// Grouped by all keys without aggregates: the empty set's
			// one row counts these groups, any count will do.
			fine.Aggs = []plan.AggCall{{Kind: operators.AggCountStar}}
			fine.AggCols = []plan.Column{{ID: b.nextTemp(), Name: "count_star()", Type: types.Int64Type}}
		}
		child, err := b.build(fine)
		if err != nil {
			return nil, err
		}
		src := &spoolInput{spool: operators.NewSpool(child), cols: fine.Columns()}
		return b.build(b.setsUnion(n, src, &merged{fine: fine, aggs: merge}))
	}
	child, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	src := &spoolInput{spool: operators.NewSpool(child), cols: n.Input.Columns()}
	return b.build(b.setsUnion(n, src, nil))
}

// merged describes a spool of the input already grouped by every key:
// fine is that aggregate, aggs how each set merges its aggregates.
type merged struct {
	fine *plan.Aggregate
	aggs []mergeAgg
}

// mergeAgg is how a set merges one aggregate from the fine groups: kind
// over the fine aggregate's column col (and col+1, an average's count).
type mergeAgg struct {
	kind operators.AggKind
	col  int
}

// mergeKinds returns, per aggregate, how its results over finer groups
// merge, or false when one cannot be merged (a DISTINCT, a DOUBLE sum or
// average whose rounding would change, the other aggregates).
func mergeKinds(n *plan.GroupingSets) ([]mergeAgg, bool) {
	out := make([]mergeAgg, len(n.Aggs))
	for i, a := range n.Aggs {
		if a.Distinct {
			return nil, false
		}
		switch a.Kind {
		case operators.AggCountStar, operators.AggCount:
			out[i].kind = operators.AggSum
		case operators.AggSum:
			if a.Arg.Type().Kind == types.Float64 {
				return nil, false
			}
			out[i].kind = operators.AggSum
		case operators.AggMin, operators.AggMax:
			out[i].kind = a.Kind
		case operators.AggAvg:
			if k := a.Arg.Type().Kind; k != types.Int64 && k != types.Decimal {
				return nil, false
			}
			out[i].kind = operators.AggAvgMerge
			continue
		default:
			return nil, false
		}
		// Merging must not change the result's type.
		if t, err := operators.AggResultType(out[i].kind, n.AggCols[i].Type); err != nil || t != n.AggCols[i].Type {
			return nil, false
		}
	}
	return out, true
}

// avgState is the type of an average's exact sum (as the parallel
// aggregate's partial phase keeps it).
func avgState(in types.T) types.T {
	if in.Kind == types.Decimal {
		return types.DecimalType(types.MaxDecimalPrecision, int(in.Scale))
	}
	return types.DecimalType(types.MaxDecimalPrecision, 0)
}

func castIfNeeded(e expr.Expr, t types.T) expr.Expr {
	if e.Type() == t {
		return e
	}
	return &expr.Cast{X: e, To: t}
}

// setsUnion is the plan of the sets over src: per set an aggregate of
// src projected to the full row, under a UNION ALL. With m, src is m.fine
// and the sets merge its aggregates.
func (b *builder) setsUnion(n *plan.GroupingSets, src plan.Node, m *merged) *plan.Union {
	out := n.Columns()
	union := &plan.Union{Cols: out}
	for s, set := range n.Sets {
		agg := &plan.Aggregate{Input: src, Aggs: n.Aggs, AggCols: n.AggCols}
		if m != nil {
			agg.Aggs = make([]plan.AggCall, len(n.Aggs))
			for i, ma := range m.aggs {
				agg.Aggs[i] = plan.AggCall{Kind: ma.kind, Arg: m.fine.AggCols[ma.col].Ref()}
				if ma.kind == operators.AggAvgMerge {
					agg.Aggs[i].Arg2 = m.fine.AggCols[ma.col+1].Ref()
				}
			}
		}
		grouped := make(map[int]bool, len(set))
		for _, k := range set {
			grouped[k] = true
			key := n.Keys[k]
			if m != nil {
				key = n.KeyCols[k].Ref()
			}
			agg.Keys = append(agg.Keys, key)
			agg.KeyCols = append(agg.KeyCols, n.KeyCols[k])
		}
		if len(set) == 0 && len(n.Aggs) == 0 {
			// The empty set's one row needs an aggregate to exist.
			agg.Aggs = []plan.AggCall{{Kind: operators.AggCountStar}}
			agg.AggCols = []plan.Column{{ID: b.nextTemp(), Name: "count_star()", Type: types.Int64Type}}
		}
		proj := &plan.Project{Input: agg, Cols: out}
		for i, c := range n.KeyCols {
			if grouped[i] {
				proj.Exprs = append(proj.Exprs, c.Ref())
			} else {
				proj.Exprs = append(proj.Exprs, &expr.Literal{T: c.Type})
			}
		}
		for i, c := range n.AggCols {
			var e expr.Expr = c.Ref()
			if k := n.Aggs[i].Kind; m != nil && len(set) == 0 && (k == operators.AggCount || k == operators.AggCountStar) {
				// Over no input there are no finer groups, and the sum
				// of no counts is NULL where the count is 0.
				e = &expr.Case{Whens: []expr.When{{Cond: &expr.IsNull{X: e}, Then: &expr.Literal{Value: expr.IntDatum(0), T: types.Int64Type}}}, Else: e, T: types.Int64Type}
			}
			proj.Exprs = append(proj.Exprs, e)
		}
		for g := range n.Groupings {
			proj.Exprs = append(proj.Exprs, &expr.Literal{Value: expr.IntDatum(n.GroupingValue(g, s)), T: types.Int64Type})
		}
		union.Ins = append(union.Ins, proj)
	}
	return union
}

// spoolInput stands, in the per-set aggregates of a GroupingSets node, for
// the input they share: each place it is built becomes one reader of the
// spool. It exists only inside the physical planner.
type spoolInput struct {
	spool *operators.Spool
	cols  []plan.Column
}

func (n *spoolInput) Columns() []plan.Column           { return n.cols }
func (n *spoolInput) Inputs() []plan.Node              { return nil }
func (n *spoolInput) WithInputs([]plan.Node) plan.Node { return n }
func (n *spoolInput) Explain() string                  { return "SpoolRead" }
