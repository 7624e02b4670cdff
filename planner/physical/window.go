package physical

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
)

// window builds a Window node: its keys and arguments as columns, a sort
// by the partition keys and then the order keys, the window operator,
// and a projection that drops the computed columns again.
func (b *builder) window(n *plan.Window) (operators.Operator, error) {
	child, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	in := n.Input.Columns()
	var exprs []expr.Expr
	exprs = append(exprs, n.Partition...)
	for _, o := range n.Order {
		exprs = append(exprs, o.Expr)
	}
	for _, c := range n.Calls {
		exprs = append(exprs, c.Args...)
	}
	child, cols, pos, err := b.columnsFor(child, in, exprs, true)
	if err != nil {
		return nil, err
	}
	var partition, order, all []operators.SortKey
	for i := range n.Partition {
		partition = append(partition, operators.SortKey{Col: pos[i]})
	}
	for i, o := range n.Order {
		order = append(order, operators.SortKey{Col: pos[len(n.Partition)+i], Desc: o.Desc, NullsFirst: o.NullsFirst})
	}
	all = append(append(all, partition...), order...)
	if len(all) > 0 {
		child = b.wrap(operators.NewSort(child, all, b.opts.BatchSize))
	}
	next := len(n.Partition) + len(n.Order)
	calls := make([]operators.WindowCall, len(n.Calls))
	for i, c := range n.Calls {
		calls[i] = operators.WindowCall{Func: string(c.Func), Arg: -1, Default: -1, Offset: c.Offset, Out: c.Col.Type, Name: c.Col.Name}
		if len(c.Args) > 0 {
			calls[i].Arg = pos[next]
		}
		if len(c.Args) > 1 {
			calls[i].Default = pos[next+1]
		}
		next += len(c.Args)
	}
	op := b.wrap(operators.NewWindow(child, partition, order, calls))
	outCols := append(append([]plan.Column(nil), cols...), windowCols(n)...)
	if len(cols) > len(in) { // drop the computed columns again
		var exprs []expr.Expr
		for _, c := range in {
			exprs = append(exprs, c.Ref())
		}
		for _, c := range windowCols(n) {
			exprs = append(exprs, c.Ref())
		}
		return b.project(op, outCols, exprs, n.Columns())
	}
	return op, nil
}

func windowCols(n *plan.Window) []plan.Column {
	cols := make([]plan.Column, len(n.Calls))
	for i, c := range n.Calls {
		cols[i] = c.Col
	}
	return cols
}
