package optimizer

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// EliminateCommonSubexpressions computes once an expression that a
// projection, or the arguments of an aggregate, repeat. TPC-H Q1 asks for
// sum(l_extendedprice * (1 - l_discount)) and sum(l_extendedprice * (1 -
// l_discount) * (1 + l_tax)), so its projection multiplied price by (1 - discount) twice a row. The
// projection becomes two: the lower one passes its input on (which costs
// nothing: arrays are shared) and adds a column per repeated expression;
// the upper one reads those columns where the expressions were. DataFusion
// has the same rule.
//
// Only expressions evaluated on every row are candidates. Under CASE, AND
// and OR an operand may be evaluated only on some rows (a CASE branch, or
// a conjunct after a guard such as b <> 0), and computing it for every row
// could raise an error the query never asked for. A volatile expression
// (random()) is never shared: each occurrence draws its own values.
func EliminateCommonSubexpressions(n plan.Node) (plan.Node, bool) {
	c := &cse{next: maxColumnID(n) + 1}
	out := c.walk(n)
	return out, c.changed
}

type cse struct {
	next    expr.ColumnID
	changed bool
}

func (c *cse) walk(n plan.Node) plan.Node {
	if ins := n.Inputs(); len(ins) > 0 {
		out := make([]plan.Node, len(ins))
		for i, in := range ins {
			out[i] = c.walk(in)
		}
		n = n.WithInputs(out)
	}
	switch n := n.(type) {
	case *plan.Project:
		return c.project(n)
	case *plan.Aggregate:
		// The aggregate's arguments and keys are computed by a
		// projection the physical planner puts under it, but for the
		// products the aggregate computes itself, in registers, where
		// sharing a part would only write it out (Q1's price * (1 -
		// discount)).
		exprs := append([]expr.Expr{}, n.Keys...)
		for _, a := range n.Aggs {
			if _, fused := a.FusedTerms(); fused {
				continue
			}
			if a.Arg != nil {
				exprs = append(exprs, a.Arg)
			}
			if a.Arg2 != nil {
				exprs = append(exprs, a.Arg2)
			}
		}
		in, exprs, ok := c.split(n.Input, exprs)
		if !ok {
			return n
		}
		out := *n
		out.Input = in
		out.Keys = exprs[:len(n.Keys)]
		exprs = exprs[len(n.Keys):]
		out.Aggs = append([]plan.AggCall{}, n.Aggs...)
		for i := range out.Aggs {
			if _, fused := out.Aggs[i].FusedTerms(); fused {
				continue
			}
			if out.Aggs[i].Arg != nil {
				out.Aggs[i].Arg, exprs = exprs[0], exprs[1:]
			}
			if out.Aggs[i].Arg2 != nil {
				out.Aggs[i].Arg2, exprs = exprs[0], exprs[1:]
			}
		}
		return &out
	}
	return n
}

// project splits p when one of its expressions repeats.
func (c *cse) project(p *plan.Project) plan.Node {
	in, exprs, ok := c.split(p.Input, p.Exprs)
	if !ok {
		return p
	}
	return &plan.Project{Input: in, Exprs: exprs, Cols: p.Cols}
}

// split finds the expressions repeated in exprs, which read input. When
// there are any it returns a projection of input that passes it on and
// adds a column per repeated expression, and exprs reading those columns.
func (c *cse) split(input plan.Node, exprs []expr.Expr) (plan.Node, []expr.Expr, bool) {
	counts := map[string]int{}
	for _, e := range exprs {
		countSubexprs(e, counts)
	}
	// The repeated expressions, outermost first: one inside another
	// repeated one is computed within it.
	var common []expr.Expr
	picked := map[string]plan.Column{}
	for _, e := range exprs {
		c.pick(e, counts, picked, &common)
	}
	if len(common) == 0 {
		return input, exprs, false
	}
	c.changed = true
	lower := &plan.Project{Input: input}
	for _, col := range input.Columns() {
		lower.Exprs = append(lower.Exprs, col.Ref())
		lower.Cols = append(lower.Cols, col)
	}
	for _, e := range common {
		lower.Exprs = append(lower.Exprs, e)
		lower.Cols = append(lower.Cols, picked[expr.Key(e)])
	}
	out := make([]expr.Expr, len(exprs))
	for i, e := range exprs {
		out[i] = replacePicked(e, picked)
	}
	// A picked expression may hold another (X picked, and Y inside it
	// picked for a use of its own): the lower projection then repeats Y,
	// and splits again.
	return c.project(lower), out, true
}

// pick walks e from the top and takes every repeated expression it meets,
// not looking inside one it took.
func (c *cse) pick(e expr.Expr, counts map[string]int, picked map[string]plan.Column, common *[]expr.Expr) {
	if !candidate(e) {
		return
	}
	if id := expr.Key(e); counts[id] > 1 {
		if _, ok := picked[id]; !ok {
			picked[id] = plan.Column{ID: c.next, Name: e.String(), Type: e.Type()}
			c.next++
			*common = append(*common, e)
		}
		return
	}
	for _, ch := range e.Children() {
		c.pick(ch, counts, picked, common)
	}
}

// countSubexprs counts every candidate subexpression of e.
func countSubexprs(e expr.Expr, counts map[string]int) {
	if !candidate(e) {
		return
	}
	counts[expr.Key(e)]++
	for _, ch := range e.Children() {
		countSubexprs(ch, counts)
	}
}

// candidate reports whether e is worth computing once and may be computed
// for every row (see EliminateCommonSubexpressions).
func candidate(e expr.Expr) bool {
	switch e.(type) {
	case *expr.ColumnRef, *expr.Literal, *expr.Case, *expr.And, *expr.Or:
		return false
	}
	return !expr.IsVolatile(e)
}

// replacePicked returns e with every picked expression replaced by a
// reference to its column.
func replacePicked(e expr.Expr, picked map[string]plan.Column) expr.Expr {
	if !candidate(e) {
		return e
	}
	if col, ok := picked[expr.Key(e)]; ok {
		return col.Ref()
	}
	return expr.MapChildren(e, func(x expr.Expr) expr.Expr { return replacePicked(x, picked) })
}
