package physical

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// Options configure physical planning.
type Options struct {
	BatchSize int
	Mem       memory.Allocator // for constants built at plan time (VALUES)
	// Threads is the number of workers a pipeline may use.
	Threads int
	// MorselRows is the size of the units in-memory tables are scanned in
	// (0: catalog.MemChunkRows).
	MorselRows int
}

// Plan is a built operator tree and its instrumented nodes.
type Plan struct {
	Root operators.Operator
	// Nodes lists every operator in the tree, children before parents.
	Nodes []*operators.Instrumented
	// Progress counts the rows the scans have read.
	Progress *operators.Progress
}

// builder builds one plan.
type builder struct {
	opts     Options
	progress *operators.Progress
	nodes    []*operators.Instrumented
	tempID   expr.ColumnID // IDs for computed key columns count down from -1
	scans    map[*plan.Scan]*operators.SharedSource
	builds   map[*plan.Join]sharedBuild
	// shared maps each repeated aggregate to its representative (see
	// sharedAggregates); spools holds the spool of each representative.
	shared map[*plan.Aggregate]*plan.Aggregate
	spools map[*plan.Aggregate]*operators.Spool
	// workTables holds the working table of each RecursiveCTE, by its
	// WorkTable number, for the WorkTableScans of its recursive term.
	workTables map[int]workTableRef
	// recursions counts the RecursiveCTE nodes of each CTE in the tree
	// being built; recursionSpools holds the spool of those counted twice
	// or more (see recursiveCTE).
	recursions      map[int]int
	recursionSpools map[int]*operators.Spool
}

// Build turns a logical plan into operators. On error everything built so
// far is closed.
func Build(n plan.Node, opts Options) (*Plan, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 8192
	}
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	b := &builder{opts: opts, progress: &operators.Progress{}, scans: map[*plan.Scan]*operators.SharedSource{},
		builds: map[*plan.Join]sharedBuild{}, shared: sharedAggregates(n), spools: map[*plan.Aggregate]*operators.Spool{},
		recursions: countRecursions(n), recursionSpools: map[int]*operators.Spool{}}
	root, err := b.build(n)
	if err != nil {
		for _, op := range b.nodes {
			op.Close()
		}
		for _, ss := range b.scans {
			ss.CloseUnused()
		}
		return nil, err
	}
	return &Plan{Root: root, Nodes: b.nodes, Progress: b.progress}, nil
}

func (b *builder) wrap(op operators.Operator) operators.Operator {
	w := operators.Instrument(op)
	b.nodes = append(b.nodes, w)
	return w
}

func (b *builder) build(n plan.Node) (operators.Operator, error) {
	if j, ok := n.(*plan.Join); ok && j.Kind == plan.FullJoin {
		return b.fullJoin(j)
	}
	if j, ok := n.(*plan.Join); ok && j.BuildLeft {
		return b.buildLeftJoin(j)
	}
	switch n.(type) {
	case *plan.Scan, *plan.Filter, *plan.Project, *plan.Join:
		if w := b.workersFor(n); w > 1 {
			return b.gather(n, w)
		}
	}
	switch n := n.(type) {
	case *plan.Scan:
		return b.scanOp(n)
	case *plan.Values:
		return b.values(n)
	case *plan.Filter:
		child, err := b.build(n.Input)
		if err != nil {
			return nil, err
		}
		return b.filterOp(child, n)
	case *plan.Project:
		child, err := b.build(n.Input)
		if err != nil {
			return nil, err
		}
		return b.project(child, n.Input.Columns(), n.Exprs, n.Cols)
	case *plan.Aggregate:
		if rep, ok := b.shared[n]; ok {
			return b.spoolRead(rep, n)
		}
		return b.aggregateOp(n)
	case *plan.GroupingSets:
		return b.groupingSets(n)
	case *spoolInput:
		return b.wrap(n.spool.Reader(schemaOf(n.cols))), nil
	case *plan.Sort:
		return b.sort(n, -1, 0)
	case *plan.Limit:
		if s, ok := n.Input.(*plan.Sort); ok && n.Count >= 0 {
			return b.sort(s, n.Count, n.Offset)
		}
		child, err := b.build(n.Input)
		if err != nil {
			return nil, err
		}
		return b.wrap(operators.NewLimit(child, n.Offset, n.Count)), nil
	case *plan.Join:
		return b.join(n)
	case *plan.Union:
		var ins []operators.Operator
		for _, in := range n.Ins {
			op, err := b.build(in)
			if err != nil {
				return nil, err
			}
			ins = append(ins, op)
		}
		return b.wrap(operators.NewUnion(ins, schemaOf(n.Cols))), nil
	case *plan.Window:
		return b.window(n)
	case *plan.RecursiveCTE:
		return b.recursiveCTE(n)
	case *plan.WorkTableScan:
		return b.workTableScan(n)
	case *plan.Max1Row:
		child, err := b.build(n.Input)
		if err != nil {
			return nil, err
		}
		return b.wrap(operators.NewMax1Row(child)), nil
	case *plan.Repeat:
		child, err := b.build(n.Input)
		if err != nil {
			return nil, err
		}
		count, ok := layoutOf(n.Input.Columns())[n.Count.ID]
		if !ok {
			return nil, sqlerr.New(sqlerr.ErrInternal, "repeat: count column %s not in its input", n.Count.Name)
		}
		r, err := operators.NewRepeat(child, count, schemaOf(n.Columns()), b.opts.BatchSize)
		if err != nil {
			return nil, err
		}
		return b.wrap(r), nil
	}
	return nil, sqlerr.New(sqlerr.ErrInternal, "no physical operator for %T", n)
}

// source creates the scan source of a scan node.
func (b *builder) source(n *plan.Scan) (operators.Source, error) {
	cols := n.Projection
	if cols == nil {
		cols = make([]int, len(n.Cols))
		for i := range cols {
			cols[i] = i
		}
	}
	// Pushed filters are expressed over the table's own column positions.
	tl := make(layout, len(n.Cols))
	for i, c := range n.Cols {
		tl[c.ID] = i
	}
	var filters []expr.Expr
	for _, f := range n.Filters {
		r, err := resolve(f, tl)
		if err != nil {
			return nil, err
		}
		filters = append(filters, r)
	}
	src, err := n.Table.Source(catalog.ScanRequest{Columns: cols, Filters: filters, BatchSize: b.opts.BatchSize, MorselRows: b.opts.MorselRows})
	if err != nil {
		return nil, err
	}
	if rows := n.Table.Stats().RowCount; rows > 0 {
		b.progress.AddTotal(rows)
	}
	return renamed(src, schemaOf(n.Columns())), nil
}

// scanOp builds a scan, sharing the node's source when parallel workers
// already made one.
func (b *builder) scanOp(n *plan.Scan) (operators.Operator, error) {
	ss, err := b.sharedScan(n)
	if err != nil {
		return nil, err
	}
	scan := ss.Scan()
	scan.SetProgress(b.progress)
	return b.wrap(scan), nil
}

func (b *builder) filterOp(child operators.Operator, n *plan.Filter) (operators.Operator, error) {
	in := layoutOf(n.Input.Columns())
	stages, desc, err := filterStages(n.Pred, n.Input.Columns(), in)
	if err != nil {
		return nil, err
	}
	f := operators.NewStagedFilter(child, stages, desc)
	if n.Output != nil {
		cols := make([]int, len(n.Output))
		for i, c := range n.Output {
			cols[i] = in[c.ID]
		}
		f.Project(cols)
	}
	return b.wrap(f), nil
}

// project builds a projection, or returns child itself when the
// projection is the identity.
func (b *builder) project(child operators.Operator, in []plan.Column, exprs []expr.Expr, out []plan.Column) (operators.Operator, error) {
	l := layoutOf(in)
	identity := len(exprs) == len(in)
	evs := make([]expr.Evaluator, len(exprs))
	desc := make([]string, len(exprs))
	for i, e := range exprs {
		ev, err := compile(e, l)
		if err != nil {
			return nil, err
		}
		evs[i] = ev
		desc[i] = e.String()
		if r, ok := e.(*expr.ColumnRef); !ok || l[r.ID] != i || out[i].Name != in[i].Name {
			identity = false
		}
	}
	if identity {
		return child, nil
	}
	return b.wrap(operators.NewProject(child, evs, schemaOf(out), desc)), nil
}

func (b *builder) values(n *plan.Values) (operators.Operator, error) {
	schema := schemaOf(n.Cols)
	if len(n.Cols) == 0 {
		rec := array.NewRecord(schema, nil, int64(len(n.Rows)))
		defer rec.Release()
		return b.wrap(operators.NewRecords(schema, []arrow.Record{rec}, "Values")), nil
	}
	bld := array.NewRecordBuilder(b.opts.Mem, schema)
	defer bld.Release()
	for _, row := range n.Rows {
		for j, e := range row {
			lit, ok := e.(*expr.Literal)
			if !ok {
				return nil, sqlerr.NotSupported("non-constant expression %s in VALUES", e)
			}
			expr.AppendDatum(bld.Field(j), lit.Value, n.Cols[j].Type)
		}
	}
	rec := bld.NewRecord()
	defer rec.Release()
	return b.wrap(operators.NewRecords(schema, []arrow.Record{rec}, "Values")), nil
}

// columnsFor makes every expression a column of child's output and returns
// each one's position. Plain column references cost nothing. Otherwise a
// projection computes them: after the input's columns when keepAll is set
// (a sort or a join still needs them), alone when not (an aggregate reads
// only its keys and arguments).
func (b *builder) columnsFor(child operators.Operator, in []plan.Column, exprs []expr.Expr, keepAll bool) (operators.Operator, []plan.Column, []int, error) {
	l := layoutOf(in)
	pos := make([]int, len(exprs))
	plain := true
	for i, e := range exprs {
		r, ok := e.(*expr.ColumnRef)
		if !ok {
			plain = false
			break
		}
		pos[i] = l[r.ID]
	}
	if plain {
		return child, in, pos, nil
	}
	var cols []plan.Column
	var all []expr.Expr
	if keepAll {
		cols = append(cols, in...)
		for _, c := range in {
			all = append(all, c.Ref())
		}
	}
	for i, e := range exprs {
		if r, ok := e.(*expr.ColumnRef); ok && keepAll {
			pos[i] = l[r.ID]
			continue
		}
		pos[i] = len(cols)
		cols = append(cols, plan.Column{ID: b.nextTemp(), Name: e.String(), Type: e.Type()})
		all = append(all, e)
	}
	op, err := b.project(child, in, all, cols)
	return op, cols, pos, err
}

// aggSpecs returns the operator specs of an aggregate, its keys and the
// expressions (keys, then arguments) its input must provide; Arg holds
// the argument's index in those expressions until bindAggArgs. Aggregates
// of the same argument share its position, so that the operator can see
// they do (an AVG then shares the sums of a SUM: Q1's quantity and price).
// A SUM of a product the aggregate computes itself (FusedTerms) asks
// for the product's columns instead; fused holds its argument, to be
// compiled by bindAggArgs.
func (b *builder) aggSpecs(n *plan.Aggregate) (specs []operators.AggSpec, keys []expr.Expr, exprs []expr.Expr, fused []expr.Expr) {
	exprs = append([]expr.Expr{}, n.Keys...)
	args := map[string]int{}
	specs = make([]operators.AggSpec, len(n.Aggs))
	fused = make([]expr.Expr, len(n.Aggs))
	// position is e's index in exprs, added the first time it is seen.
	position := func(e expr.Expr) int {
		key := expr.Key(e)
		at, seen := args[key]
		if !seen {
			at = len(exprs)
			args[key] = at
			exprs = append(exprs, e)
		}
		return at
	}
	for i, a := range n.Aggs {
		spec := operators.AggSpec{Kind: a.Kind, Arg: -1, In: types.NullType, Out: n.AggCols[i].Type, Distinct: a.Distinct, Sep: a.Sep, Frac: a.Frac, KeepNulls: a.KeepNulls}
		if terms, ok := a.FusedTerms(); ok {
			spec.In = a.Arg.Type()
			spec.Fused = &operators.FusedProduct{}
			for _, t := range terms {
				spec.Fused.Terms = append(spec.Fused.Terms, operators.FusedTerm{Col: position(t.Col), C: t.C, Neg: t.Neg})
			}
			specs[i], fused[i] = spec, a.Arg
			continue
		}
		if a.Arg != nil {
			spec.Arg, spec.In = position(a.Arg), a.Arg.Type()
		}
		if a.Arg2 != nil {
			spec.Arg2, spec.In2 = position(a.Arg2), a.Arg2.Type()
			spec.Ordered = a.Kind == operators.AggStringAgg
			spec.Filter = a.Kind == operators.AggFirst || a.Kind == operators.AggLast
		}
		specs[i] = spec
	}
	return specs, n.Keys, exprs, fused
}

// bindAggArgs points the specs' arguments at input positions, and
// compiles the fused arguments over that input.
func bindAggArgs(specs []operators.AggSpec, fused []expr.Expr, pos []int, nkeys int) ([]operators.AggSpec, error) {
	out := make([]operators.AggSpec, len(specs))
	for i, s := range specs {
		if s.Arg >= 0 {
			s.Arg = pos[s.Arg]
		}
		if s.HasArg2() || s.Kind == operators.AggAvgMerge { // grouping sets merge averages (grouping_sets.go)
			s.Arg2 = pos[s.Arg2]
		}
		if s.Fused != nil {
			f, err := bindFused(s.Fused, fused[i], pos)
			if err != nil {
				return nil, err
			}
			s.Fused = f
		}
		out[i] = s
	}
	return out, nil
}

// aggregateOp builds an aggregate, in parallel when its input allows.
func (b *builder) aggregateOp(n *plan.Aggregate) (operators.Operator, error) {
	if w := b.workersFor(n.Input); w > 1 {
		if op, ok, err := b.parallelAggregate(n, w); ok || err != nil {
			return op, err
		}
	}
	return b.aggregate(n)
}

// spoolRead builds one place of a repeated aggregate: a reader of the
// spool that computes its representative once.
func (b *builder) spoolRead(rep, n *plan.Aggregate) (operators.Operator, error) {
	sp := b.spools[rep]
	if sp == nil {
		op, err := b.aggregateOp(rep)
		if err != nil {
			return nil, err
		}
		sp = operators.NewSpool(op)
		b.spools[rep] = sp
	}
	return b.wrap(sp.Reader(schemaOf(n.Columns()))), nil
}

func (b *builder) aggregate(n *plan.Aggregate) (operators.Operator, error) {
	child, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	specs, keys, exprs, fused := b.aggSpecs(n)
	child, _, pos, err := b.columnsFor(child, n.Input.Columns(), exprs, false)
	if err != nil {
		return nil, err
	}
	bound, err := bindAggArgs(specs, fused, pos, len(keys))
	if err != nil {
		return nil, err
	}
	op, err := operators.NewHashAggregate(child, pos[:len(keys)], bound, schemaOf(n.Columns()), b.opts.BatchSize)
	if err != nil {
		return nil, err
	}
	return b.wrap(op), nil
}

// sort builds a Sort, or a TopK when a LIMIT sits on it (count >= 0).
func (b *builder) sort(n *plan.Sort, count, offset int64) (operators.Operator, error) {
	if w := b.workersFor(n.Input); w > 1 {
		return b.parallelSort(n, w, count, offset)
	}
	child, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	in := n.Input.Columns()
	exprs := make([]expr.Expr, len(n.Keys))
	for i, k := range n.Keys {
		exprs[i] = k.Expr
	}
	child, cols, pos, err := b.columnsFor(child, in, exprs, true)
	if err != nil {
		return nil, err
	}
	keys := make([]operators.SortKey, len(n.Keys))
	for i, k := range n.Keys {
		keys[i] = operators.SortKey{Col: pos[i], Desc: k.Desc, NullsFirst: k.NullsFirst}
	}
	var op operators.Operator
	if count >= 0 {
		op = b.wrap(operators.NewTopK(child, keys, count+offset, b.opts.BatchSize))
		if offset > 0 {
			op = b.wrap(operators.NewLimit(op, offset, count))
		}
	} else {
		op = b.wrap(operators.NewSort(child, keys, b.opts.BatchSize))
	}
	if len(cols) > len(in) { // drop the computed sort keys again
		exprs := make([]expr.Expr, len(in))
		for i, c := range in {
			exprs[i] = c.Ref()
		}
		return b.project(op, cols, exprs, in)
	}
	return op, nil
}
