package physical

import (
	"maps"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// recursiveCTE builds a RecursiveCTE. A CTE named twice is bound twice,
// and both copies compute the same rows (no rule moves a filter into a
// recursion): the first is run once into a Spool that every copy reads,
// as DuckDB materialises a CTE named more than once.
func (b *builder) recursiveCTE(n *plan.RecursiveCTE) (operators.Operator, error) {
	if b.recursions[n.CTE] < 2 {
		return b.recursion(n)
	}
	sp := b.recursionSpools[n.CTE]
	if sp == nil {
		op, err := b.recursion(n)
		if err != nil {
			return nil, err
		}
		sp = operators.NewSpool(op)
		b.recursionSpools[n.CTE] = sp
	}
	return b.wrap(sp.Reader(schemaOf(n.Cols))), nil
}

// countRecursions counts the RecursiveCTE nodes of each CTE under n.
func countRecursions(n plan.Node) map[int]int {
	out := map[int]int{}
	var walk func(plan.Node)
	walk = func(n plan.Node) {
		if r, ok := n.(*plan.RecursiveCTE); ok {
			out[r.CTE]++
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(n)
	return out
}

// recursion builds a RecursiveCTE's operator: its base term now, and a function
// that builds its recursive term once per iteration (operators are opened
// once; see operators.RecursiveCTE), each time with a builder of its own,
// since shared scans and join builds belong to one tree. The first
// iteration's tree is built now, so that EXPLAIN shows it and a planning
// error is reported before the query starts.
func (b *builder) recursion(n *plan.RecursiveCTE) (operators.Operator, error) {
	base, err := b.build(n.Base)
	if err != nil {
		return nil, err
	}
	wt := operators.NewWorkTable()
	if b.workTables == nil {
		b.workTables = map[int]workTableRef{}
	}
	b.workTables[n.WorkTable] = workTableRef{wt: wt, name: n.Name}
	// The function runs while the query runs, maybe while another
	// recursion builds its own iterations: it reads only what it copies
	// now.
	opts, tempID, tables := b.opts, b.tempID, maps.Clone(b.workTables)
	build := func() (operators.Operator, error) { return iteration(n.Recursive, opts, tempID, tables) }
	first, err := build()
	if err != nil {
		base.Close()
		return nil, err
	}
	keyTypes := make([]types.T, len(n.Cols))
	for i, c := range n.Cols {
		keyTypes[i] = c.Type
	}
	return b.wrap(operators.NewRecursiveCTE(n.Name, base, first, build, wt, schemaOf(n.Cols), keyTypes, n.Distinct)), nil
}

// workTableRef is the working table of a RecursiveCTE being built.
type workTableRef struct {
	wt   *operators.WorkTable
	name string
}

// iteration builds one tree of a recursive term. Its operators are not in
// the plan's node list (the RecursiveCTE describes its latest tree), and
// its scans count no progress: the plan's total would grow per iteration.
func iteration(n plan.Node, opts Options, tempID expr.ColumnID, tables map[int]workTableRef) (operators.Operator, error) {
	sub := &builder{opts: opts, progress: &operators.Progress{}, tempID: tempID,
		scans: map[*plan.Scan]*operators.SharedSource{}, builds: map[*plan.Join]sharedBuild{},
		shared: sharedAggregates(n), spools: map[*plan.Aggregate]*operators.Spool{}, workTables: maps.Clone(tables),
		recursions: countRecursions(n), recursionSpools: map[int]*operators.Spool{}}
	root, err := sub.build(n)
	if err != nil {
		for _, op := range sub.nodes {
			op.Close()
		}
		for _, ss := range sub.scans {
			ss.CloseUnused()
		}
		return nil, err
	}
	return root, nil
}

// workTableScan builds a scan of a working table.
func (b *builder) workTableScan(n *plan.WorkTableScan) (operators.Operator, error) {
	ref, ok := b.workTables[n.WorkTable]
	if !ok {
		return nil, sqlerr.New(sqlerr.ErrInternal, "work table #%d of %s outside its recursive CTE", n.WorkTable, n.Name)
	}
	return b.wrap(operators.NewWorkTableScan(ref.wt, schemaOf(n.Cols), ref.name)), nil
}
