package physical

import (
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
)

// buildLeftJoin builds a semi, anti, NOT IN, LEFT or FULL join that
// hashes its left input and streams its right input through it
// (plan.Join.BuildLeft): one probe per worker of the right input's
// pipeline marks the left rows that match (a BuildOuterProbe also returns
// the joined pairs, and for a FULL join its unmatched right rows), and a
// BuildLeftJoin above them returns the left rows (for a LEFT or FULL join
// it passes the pairs on and then returns the unmatched left rows,
// NULL-extended). Only a FULL join comes here without equality keys: its
// probes then pair every row with every left row.
func (b *builder) buildLeftJoin(n *plan.Join) (operators.Operator, error) {
	typ := joinTypes[n.Kind]
	lk := make([]expr.Expr, len(n.Equi))
	rk := make([]expr.Expr, len(n.Equi))
	var parts []string
	for i, e := range n.Equi {
		lk[i], rk[i] = e.L, e.R
		parts = append(parts, e.L.String()+" = "+e.R.String())
	}
	left, err := b.build(n.Left)
	if err != nil {
		return nil, err
	}
	left, lcols, lpos, err := b.columnsFor(left, n.Left.Columns(), lk, true)
	if err != nil {
		return nil, err
	}
	full := n.Kind == plan.FullJoin
	outer := n.Kind == plan.LeftJoin || full
	var rcolsOut []plan.Column // the probes' right columns (outer joins)
	workers := b.workersFor(n.Right)
	var keys []int // none: a nested loop
	if len(n.Equi) > 0 {
		keys = lpos
	}
	side := operators.NewBuildSide(left, keys, max(workers, 1)+1) // the probes and the join
	matches := &operators.BuildMatches{}
	probe := func(right operators.Operator) (operators.Operator, error) {
		right, rcols, rpos, err := b.columnsFor(right, n.Right.Columns(), rk, true)
		if err != nil {
			return nil, err
		}
		var cond expr.Evaluator
		var gather []int
		if n.Cond != nil {
			all := append(append([]plan.Column{}, lcols...), rcols...)
			ids := expr.Refs(n.Cond)
			var cols []plan.Column
			for k, c := range all {
				if ids[c.ID] {
					gather = append(gather, k)
					cols = append(cols, c)
				}
			}
			if cond, err = compile(n.Cond, layoutOf(cols)); err != nil {
				return nil, err
			}
		}
		if full {
			rcolsOut = rcols
			if keys == nil {
				rpos = nil
			}
			return b.wrap(operators.NewBuildFullProbe(side, matches, right, rpos, cond, gather, b.opts.BatchSize)), nil
		}
		if outer {
			rcolsOut = rcols
			return b.wrap(operators.NewBuildOuterProbe(side, matches, right, rpos, cond, gather, b.opts.BatchSize)), nil
		}
		return b.wrap(operators.NewBuildSemiProbe(side, matches, right, rpos, cond, gather, b.opts.BatchSize)), nil
	}
	var probes operators.Operator
	if workers > 1 {
		ins, err := b.instances(n.Right, workers)
		if err != nil {
			return nil, err
		}
		for i, in := range ins {
			if ins[i], err = probe(in); err != nil {
				return nil, err
			}
		}
		probes = b.wrap(operators.NewGather(ins, ""))
	} else {
		right, err := b.build(n.Right)
		if err != nil {
			return nil, err
		}
		if probes, err = probe(right); err != nil {
			return nil, err
		}
	}
	if n.Cond != nil {
		parts = append(parts, n.Cond.String())
	}
	desc := ""
	if len(parts) > 0 {
		desc = "ON " + strings.Join(parts, " AND ")
	}
	var op operators.Operator
	have := lcols
	switch {
	case full:
		op = b.wrap(operators.NewBuildFullJoin(side, matches, probes, b.opts.BatchSize, desc))
		have = append(append([]plan.Column{}, lcols...), rcolsOut...)
	case outer:
		op = b.wrap(operators.NewBuildOuterJoin(side, matches, probes, b.opts.BatchSize, desc))
		have = append(append([]plan.Column{}, lcols...), rcolsOut...)
	default:
		op = b.wrap(operators.NewBuildSemiJoin(typ, side, matches, probes, b.opts.BatchSize, desc))
	}
	out := n.Columns()
	if sameIDs(have, out) {
		return op, nil
	}
	exprs := make([]expr.Expr, len(out))
	for i, c := range out {
		exprs[i] = c.Ref()
	}
	return b.project(op, have, exprs, out)
}

// sameIDs reports whether two column lists name the same columns in order.
func sameIDs(a, b []plan.Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			return false
		}
	}
	return true
}
