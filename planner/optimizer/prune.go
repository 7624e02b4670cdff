package optimizer

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// PruneColumns removes what nobody reads: scans read only the columns the
// query needs (for Parquet, only those column chunks are decoded),
// projections drop unused outputs and aggregates unused aggregates.
func PruneColumns(n plan.Node) (plan.Node, bool) {
	before := plan.Format(n)
	out := prune(n, idsOf(n.Columns()))
	return out, plan.Format(out) != before
}

func addRefs(need map[expr.ColumnID]bool, es ...expr.Expr) map[expr.ColumnID]bool {
	out := make(map[expr.ColumnID]bool, len(need))
	for k := range need {
		out[k] = true
	}
	for _, e := range es {
		if e != nil {
			for id := range refs(e) {
				out[id] = true
			}
		}
	}
	return out
}

func prune(n plan.Node, need map[expr.ColumnID]bool) plan.Node {
	switch n := n.(type) {
	case *plan.Scan:
		s := *n
		s.Projection = nil
		for i, c := range n.Cols {
			if need[c.ID] {
				s.Projection = append(s.Projection, i)
			}
		}
		if len(s.Projection) == 0 {
			s.Projection = []int{0} // COUNT(*) still needs the row count
		}
		return &s
	case *plan.Filter:
		f := &plan.Filter{Input: prune(n.Input, addRefs(need, n.Pred)), Pred: n.Pred}
		in := f.Input.Columns()
		var out []plan.Column
		for _, c := range in {
			if need[c.ID] {
				out = append(out, c)
			}
		}
		if len(out) == 0 && len(in) > 0 {
			out = in[:1] // COUNT(*) still needs the row count
		}
		if len(out) < len(in) {
			f.Output = out
		}
		return f
	case *plan.Project:
		p := &plan.Project{}
		for i, c := range n.Cols {
			if need[c.ID] {
				p.Exprs = append(p.Exprs, n.Exprs[i])
				p.Cols = append(p.Cols, c)
			}
		}
		p.Input = prune(n.Input, addRefs(nil, p.Exprs...))
		return p
	case *plan.Aggregate:
		a := &plan.Aggregate{Keys: n.Keys, KeyCols: n.KeyCols}
		for i, c := range n.AggCols {
			if need[c.ID] || len(n.Keys) == 0 && len(a.Aggs) == 0 && i == len(n.AggCols)-1 {
				a.Aggs = append(a.Aggs, n.Aggs[i])
				a.AggCols = append(a.AggCols, c)
			}
		}
		args := append([]expr.Expr{}, n.Keys...)
		for _, call := range a.Aggs {
			if call.Arg != nil {
				args = append(args, call.Arg)
			}
			if call.Arg2 != nil {
				args = append(args, call.Arg2)
			}
		}
		a.Input = prune(n.Input, addRefs(nil, args...))
		return a
	case *plan.GroupingSets:
		return pruneGroupingSets(n, need)
	case *plan.Join:
		all := addRefs(need, n.Cond)
		for _, eq := range n.Equi {
			all = addRefs(all, eq.L, eq.R)
		}
		j := *n
		j.Left = prune(n.Left, all)
		j.Right = prune(n.Right, all)
		j.Output = nil
		if j.Kind.EmitsPairs() {
			full := j.Columns()
			var out []plan.Column
			for _, c := range full {
				if need[c.ID] {
					out = append(out, c)
				}
			}
			if len(out) == 0 && len(full) > 0 {
				out = full[:1] // COUNT(*) still needs the row count
			}
			if len(out) < len(full) {
				j.Output = out
			}
		}
		return &j
	case *plan.Sort:
		keys := make([]expr.Expr, len(n.Keys))
		for i, k := range n.Keys {
			keys[i] = k.Expr
		}
		return &plan.Sort{Input: prune(n.Input, addRefs(need, keys...)), Keys: n.Keys}
	case *plan.Window:
		w := &plan.Window{Partition: n.Partition, Order: n.Order}
		var exprs []expr.Expr
		for _, c := range n.Calls {
			if need[c.Col.ID] {
				w.Calls = append(w.Calls, c)
				exprs = append(exprs, c.Args...)
			}
		}
		if len(w.Calls) == 0 {
			return prune(n.Input, need) // nobody reads a window column
		}
		exprs = append(exprs, n.Partition...)
		for _, o := range n.Order {
			exprs = append(exprs, o.Expr)
		}
		w.Input = prune(n.Input, addRefs(need, exprs...))
		return w
	case *plan.Limit:
		return &plan.Limit{Input: prune(n.Input, need), Offset: n.Offset, Count: n.Count}
	case *plan.Max1Row:
		return &plan.Max1Row{Input: prune(n.Input, need)}
	case *plan.Repeat:
		keep := addRefs(need, n.Count.Ref())
		if out := n.Columns(); len(out) > 0 && !anyNeeded(out, need) {
			keep[out[0].ID] = true // COUNT(*) still needs the row count
		}
		return &plan.Repeat{Input: prune(n.Input, keep), Count: n.Count}
	case *plan.Union:
		ins := make([]plan.Node, len(n.Ins))
		for i, in := range n.Ins {
			ins[i] = prune(in, idsOf(in.Columns())) // positional: keep every column
		}
		return &plan.Union{Ins: ins, Cols: n.Cols}
	case *plan.RecursiveCTE:
		// Every column is the working table's, read by the recursive
		// term whether or not the query reads it.
		c := *n
		c.Base = prune(n.Base, idsOf(n.Base.Columns()))
		c.Recursive = prune(n.Recursive, idsOf(n.Recursive.Columns()))
		return &c
	}
	return n
}

// pruneGroupingSets drops the aggregates and grouping() columns nobody
// reads; every key stays, as it defines the sets.
func pruneGroupingSets(n *plan.GroupingSets, need map[expr.ColumnID]bool) plan.Node {
	g := *n
	g.Aggs, g.AggCols, g.Groupings, g.GroupingCols = nil, nil, nil, nil
	for i, c := range n.AggCols {
		if need[c.ID] {
			g.Aggs = append(g.Aggs, n.Aggs[i])
			g.AggCols = append(g.AggCols, c)
		}
	}
	for i, c := range n.GroupingCols {
		if need[c.ID] {
			g.Groupings = append(g.Groupings, n.Groupings[i])
			g.GroupingCols = append(g.GroupingCols, c)
		}
	}
	args := append([]expr.Expr{}, n.Keys...)
	for _, call := range g.Aggs {
		if call.Arg != nil {
			args = append(args, call.Arg)
		}
		if call.Arg2 != nil {
			args = append(args, call.Arg2)
		}
	}
	g.Input = prune(n.Input, addRefs(nil, args...))
	return &g
}

// anyNeeded reports whether need has one of cols.
func anyNeeded(cols []plan.Column, need map[expr.ColumnID]bool) bool {
	for _, c := range cols {
		if need[c.ID] {
			return true
		}
	}
	return false
}
