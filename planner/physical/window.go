package physical

import (
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/types"
)

// window builds a Window node: a projection that computes its keys and
// arguments as columns (when they are not columns already), a sort by the
// partition keys and then the order keys (parallel, with its runs merged,
// when the input runs on several workers), the window operator, and a
// projection that drops the computed columns again.
func (b *builder) window(n *plan.Window) (operators.Operator, error) {
	in := n.Input.Columns()
	proj := &plan.Project{Input: n.Input}
	for _, c := range in {
		proj.Exprs = append(proj.Exprs, c.Ref())
		proj.Cols = append(proj.Cols, c)
	}
	column := func(e expr.Expr) expr.ColumnID {
		if r, ok := e.(*expr.ColumnRef); ok {
			return r.ID
		}
		c := plan.Column{ID: b.nextTemp(), Name: e.String(), Type: e.Type()}
		proj.Exprs = append(proj.Exprs, e)
		proj.Cols = append(proj.Cols, c)
		return c.ID
	}
	var keys []plan.SortItem
	var partition, order []expr.ColumnID
	for _, p := range n.Partition {
		partition = append(partition, column(p))
		keys = append(keys, plan.SortItem{Expr: plan.Column{ID: partition[len(partition)-1], Type: p.Type()}.Ref()})
	}
	for _, o := range n.Order {
		order = append(order, column(o.Expr))
		keys = append(keys, plan.SortItem{Expr: plan.Column{ID: order[len(order)-1], Type: o.Expr.Type()}.Ref(), Desc: o.Desc, NullsFirst: o.NullsFirst})
	}
	args := make([][]expr.ColumnID, len(n.Calls))
	for i, c := range n.Calls {
		for _, a := range c.Args {
			args[i] = append(args[i], column(a))
		}
	}
	var input plan.Node = n.Input
	if len(proj.Cols) > len(in) {
		input = proj
	}
	var child operators.Operator
	var err error
	if len(keys) > 0 {
		child, err = b.sort(&plan.Sort{Input: input, Keys: keys}, -1, 0)
	} else {
		child, err = b.build(input)
	}
	if err != nil {
		return nil, err
	}
	l := layoutOf(input.Columns())
	var pkeys, okeys []operators.SortKey
	for _, id := range partition {
		pkeys = append(pkeys, operators.SortKey{Col: l[id]})
	}
	for i, id := range order {
		okeys = append(okeys, operators.SortKey{Col: l[id], Desc: n.Order[i].Desc, NullsFirst: n.Order[i].NullsFirst})
	}
	calls := make([]operators.WindowCall, len(n.Calls))
	for i, c := range n.Calls {
		calls[i] = operators.WindowCall{Func: string(c.Func), Arg: -1, Default: -1, Offset: c.Offset, Out: c.Col.Type, Name: c.Col.Name, Frame: frameOf(c.Frame), Frac: c.Frac, Distinct: c.Distinct}
		if len(args[i]) > 0 {
			calls[i].Arg = l[args[i][0]]
		}
		if len(args[i]) > 1 {
			calls[i].Default = l[args[i][1]]
		}
	}
	op := b.wrap(operators.NewWindow(child, pkeys, okeys, calls))
	if input == n.Input {
		return op, nil
	}
	// Drop the computed columns again.
	outCols := append(append([]plan.Column(nil), input.Columns()...), windowCols(n)...)
	var exprs []expr.Expr
	for _, c := range n.Columns() {
		exprs = append(exprs, c.Ref())
	}
	return b.project(op, outCols, exprs, n.Columns())
}

func windowCols(n *plan.Window) []plan.Column {
	cols := make([]plan.Column, len(n.Calls))
	for i, c := range n.Calls {
		cols[i] = c.Col
	}
	return cols
}

// frameOf is the operator's form of a frame.
func frameOf(f *plan.Frame) *operators.Frame {
	if f == nil {
		return nil
	}
	return &operators.Frame{Range: f.Range, Groups: f.Groups, Start: boundOf(f.Start), End: boundOf(f.End), Text: f.String()}
}

func boundOf(b plan.FrameBound) operators.FrameBound {
	kinds := map[string]operators.FrameBoundKind{
		"unbounded preceding": operators.UnboundedPreceding, "preceding": operators.Preceding,
		"current row": operators.CurrentRow, "following": operators.Following,
		"unbounded following": operators.UnboundedFollowing,
	}
	out := operators.FrameBound{Kind: kinds[b.Kind]}
	if o := b.Offset; o != nil {
		switch o.T.Kind {
		case types.Int64:
			out.Rows, out.Dec = o.Value.I, decimal128.FromI64(o.Value.I)
		case types.Decimal:
			out.Dec = o.Value.D
		case types.Float64:
			out.Float = o.Value.F
		case types.Interval:
			out.Interval = true
			out.Months, out.Days, out.Micros = int64(o.Value.Months), int64(o.Value.Days), o.Value.Micros
		}
	}
	return out
}
