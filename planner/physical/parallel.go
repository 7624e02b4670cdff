package physical

import (
	"fmt"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/types"
)

// Morsel-driven parallelism. A pipeline is a chain of streaming operators
// from a scan up through filters, projections and the probe sides of
// joins. When its scan has several units of work (row groups, slices of an
// in-memory table, CSV chunks) and several threads are allowed, the
// pipeline is built once per worker: the instances share the scan's morsel
// dispenser and each join's build side. The operator above the pipeline
// picks the exchange that combines the workers:
//
//	anything           Gather (batches in arrival order)
//	aggregate          partial aggregate per worker, Gather, final aggregate
//	sort               Sort per worker, MergeExchange (k-way merge)
//	sort + limit       TopK per worker, Gather, TopK

// workersFor returns how many workers should run the pipeline rooted at n
// (0 when n is not a parallel pipeline).
func (b *builder) workersFor(n plan.Node) int {
	if b.opts.Threads <= 1 {
		return 0
	}
	units := b.pipelineUnits(n)
	if units < 2 {
		return 0
	}
	return min(b.opts.Threads, units)
}

// pipelineUnits returns the number of scan units driving the pipeline n, or
// 0 when n is not a pipeline.
func (b *builder) pipelineUnits(n plan.Node) int {
	switch n := n.(type) {
	case *plan.Scan:
		ss, err := b.sharedScan(n)
		if err != nil {
			return 0
		}
		return ss.Units()
	case *plan.Filter:
		return b.pipelineUnits(n.Input)
	case *plan.Project:
		return b.pipelineUnits(n.Input)
	case *plan.Join:
		if n.Kind == plan.RightJoin || n.Kind == plan.FullJoin || n.BuildLeft {
			return 0 // the join is not a streaming step of its left input
		}
		return b.pipelineUnits(n.Left)
	}
	return 0
}

// sharedScan returns the shared source of a scan node, creating it once.
func (b *builder) sharedScan(n *plan.Scan) (*operators.SharedSource, error) {
	if ss, ok := b.scans[n]; ok {
		return ss, nil
	}
	src, err := b.source(n)
	if err != nil {
		return nil, err
	}
	ss := operators.NewSharedSource(src)
	b.scans[n] = ss
	return ss, nil
}

// instances builds the pipeline n once per worker.
func (b *builder) instances(n plan.Node, workers int) ([]operators.Operator, error) {
	out := make([]operators.Operator, workers)
	for w := range out {
		op, err := b.instance(n, workers)
		if err != nil {
			return nil, err
		}
		out[w] = op
	}
	return out, nil
}

// instance builds one worker's copy of the pipeline n.
func (b *builder) instance(n plan.Node, workers int) (operators.Operator, error) {
	switch n := n.(type) {
	case *plan.Scan:
		return b.scanOp(n)
	case *plan.Filter:
		child, err := b.instance(n.Input, workers)
		if err != nil {
			return nil, err
		}
		return b.filterOp(child, n)
	case *plan.Project:
		child, err := b.instance(n.Input, workers)
		if err != nil {
			return nil, err
		}
		return b.project(child, n.Input.Columns(), n.Exprs, n.Cols)
	case *plan.Join:
		return b.joinOp(n, workers, func() (operators.Operator, error) { return b.instance(n.Left, workers) })
	}
	return nil, fmt.Errorf("physical: %T is not a pipeline operator", n)
}

// gather runs the pipeline n on several workers.
func (b *builder) gather(n plan.Node, workers int) (operators.Operator, error) {
	ins, err := b.instances(n, workers)
	if err != nil {
		return nil, err
	}
	return b.wrap(operators.NewGather(ins, "")), nil
}

// parallelAggregate is a two-phase aggregation over a parallel pipeline.
// ok is false when an aggregate cannot be split (DISTINCT).
func (b *builder) parallelAggregate(n *plan.Aggregate, workers int) (operators.Operator, bool, error) {
	specs, keys, exprs, fused := b.aggSpecs(n)
	_, states, final, ok := operators.SplitAggregates(len(keys), specs)
	if !ok {
		return nil, false, nil
	}
	// The partial phase's schema: keys, then the states.
	cols := append([]plan.Column{}, n.KeyCols...)
	for i, st := range states {
		cols = append(cols, plan.Column{ID: b.nextTemp(), Name: fmt.Sprintf("state%d", i), Type: st})
	}
	partialSchema := schemaOf(cols)
	ins := make([]operators.Operator, workers)
	for w := range ins {
		child, err := b.instance(n.Input, workers)
		if err != nil {
			return nil, false, err
		}
		child, _, pos, err := b.columnsFor(child, n.Input.Columns(), exprs, false)
		if err != nil {
			return nil, false, err
		}
		wspecs, err := bindAggArgs(specs, fused, pos, len(keys))
		if err != nil {
			return nil, false, err
		}
		op, err := operators.NewPartialAggregate(child, pos[:len(keys)], wspecs, partialSchema, b.opts.BatchSize)
		if err != nil {
			return nil, false, err
		}
		ins[w] = b.wrap(op)
	}
	finalKeys := make([]int, len(keys))
	for i := range finalKeys {
		finalKeys[i] = i
	}
	schema := schemaOf(n.Columns())
	if len(keys) > 0 {
		// Each worker merges one hash partition of the groups: the final
		// phase is as parallel as the first.
		newFinal := func(in operators.Operator) (operators.Operator, error) {
			return operators.NewHashAggregate(in, finalKeys, final, schema, b.opts.BatchSize)
		}
		return b.wrap(operators.NewPartitionedAggregate(ins, finalKeys, newFinal, schema)), true, nil
	}
	gather := b.wrap(operators.NewGather(ins, "partial aggregates"))
	op, err := operators.NewHashAggregate(gather, finalKeys, final, schema, b.opts.BatchSize)
	if err != nil {
		return nil, false, err
	}
	return b.wrap(op), true, nil
}

// parallelSort sorts each worker's share and merges the sorted streams.
func (b *builder) parallelSort(n *plan.Sort, workers int, count, offset int64) (operators.Operator, error) {
	in := n.Input.Columns()
	exprs := make([]expr.Expr, len(n.Keys))
	for i, k := range n.Keys {
		exprs[i] = k.Expr
	}
	ins := make([]operators.Operator, workers)
	var cols []plan.Column
	var keys []operators.SortKey
	for w := range ins {
		child, err := b.instance(n.Input, workers)
		if err != nil {
			return nil, err
		}
		var pos []int
		child, cols, pos, err = b.columnsFor(child, in, exprs, true)
		if err != nil {
			return nil, err
		}
		keys = make([]operators.SortKey, len(n.Keys))
		for i, k := range n.Keys {
			keys[i] = operators.SortKey{Col: pos[i], Desc: k.Desc, NullsFirst: k.NullsFirst}
		}
		if count >= 0 {
			ins[w] = b.wrap(operators.NewTopK(child, keys, count+offset, b.opts.BatchSize))
		} else {
			ins[w] = b.wrap(operators.NewSort(child, keys, b.opts.BatchSize))
		}
	}
	var op operators.Operator
	if count >= 0 {
		op = b.wrap(operators.NewTopK(b.wrap(operators.NewGather(ins, "top-k")), keys, count+offset, b.opts.BatchSize))
		if offset > 0 {
			op = b.wrap(operators.NewLimit(op, offset, count))
		}
	} else {
		op = b.wrap(operators.NewMergeExchange(ins, keys, b.opts.BatchSize))
	}
	if len(cols) > len(in) { // drop the computed sort keys again
		out := make([]expr.Expr, len(in))
		for i, c := range in {
			out[i] = c.Ref()
		}
		return b.project(op, cols, out, in)
	}
	return op, nil
}

func (b *builder) nextTemp() expr.ColumnID {
	b.tempID--
	return b.tempID
}

var _ = types.Int64Type
