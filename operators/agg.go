package operators

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// HashAggregate groups its input by key columns and computes aggregates per
// group (with no keys it is a scalar aggregate: exactly one output row,
// even over no input). DISTINCT is a HashAggregate with no aggregates.
//
// The first Next consumes the whole input; growth of the hash table spends
// budget, so a cancel lands even during the rehash of millions of groups.
// Output comes out batchSize groups at a time, in first-seen order.
type HashAggregate struct {
	child     Operator
	keys      []int
	aggs      []AggSpec
	schema    *arrow.Schema
	batchSize int

	table  *hashtab.Table
	accs   []accumulator
	gids   []int32
	hist   *groupHist // shared by the count states (agg_lanes.go)
	fused  fusedScratch
	batch  batchSums // the batch's plain decimal SUMs, in one pass
	groups int
	loaded bool
	out    int
	// partial makes the operator emit mergeable states (AVG as sum and
	// count) for a final HashAggregate: see SplitAggregates.
	partial bool
	goMem   opMemory
	// pages, when set, lends the state its full pages, given back at
	// Close (see PartitionedAggregate).
	pages *paged.Lease
}

// NewPartialAggregate is the first phase of a two-phase aggregation; its
// schema has the keys followed by the state columns.
func NewPartialAggregate(child Operator, keys []int, specs []AggSpec, schema *arrow.Schema, batchSize int) (*HashAggregate, error) {
	h, err := NewHashAggregate(child, keys, specs, schema, batchSize)
	if h != nil {
		h.partial = true
	}
	return h, err
}

var _ Operator = (*HashAggregate)(nil)

// NewHashAggregate groups child by the key columns and computes aggs; the
// output schema is the keys followed by the aggregates.
func NewHashAggregate(child Operator, keys []int, aggs []AggSpec, schema *arrow.Schema, batchSize int) (*HashAggregate, error) {
	h := &HashAggregate{child: child, keys: keys, aggs: aggs, schema: schema, batchSize: batchSize, hist: &groupHist{}}
	for _, spec := range aggs {
		acc, err := newAccumulator(spec)
		if err != nil {
			return nil, err
		}
		switch a := acc.(type) {
		case *countAcc:
			a.hist = h.hist
		case *avgAcc:
			a.hist = h.hist
		}
		h.accs = append(h.accs, acc)
	}
	shareSums(aggs, h.accs)
	if len(keys) > 0 {
		kt := make([]types.T, len(keys))
		for i, k := range keys {
			kt[i] = types.MustFromArrow(child.Schema().Field(k).Type)
			if kt[i].Kind == types.String {
				// String keys are decoded from the table's pages at
				// output: gatherRows at a time (fixed-width keys decode
				// fast, and smaller batches cost q18 5%).
				h.batchSize = gatherBatch(batchSize)
			}
		}
		h.table = hashtab.New(kt)
	} else {
		h.groups = 1
		for _, a := range h.accs {
			_ = a.resize(nil, 1) // from empty: nothing to copy, no budget to spend
		}
	}
	return h, nil
}

func (h *HashAggregate) Schema() *arrow.Schema { return h.schema }
func (h *HashAggregate) Open(t *Task) error    { return h.child.Open(t) }

// consume folds the rows sel selects from rec (all when sel is nil) into
// the groups.
func (h *HashAggregate) consume(t *Task, rec arrow.Record, sel []int32) error {
	if h.pages != nil {
		t.pages = h.pages
		defer func() { t.pages = nil }()
	}
	n := int(rec.NumRows())
	if sel != nil {
		n = len(sel)
	}
	if err := t.Spend(n * (1 + len(h.aggs))); err != nil {
		return err
	}
	var gids []int32
	h.hist.reset()
	h.fused.reset()
	if h.table != nil {
		h.gids = grow(h.gids[:0], n)
		if err := h.group(t, rec, sel); err != nil {
			return err
		}
		h.groups = h.table.Len()
		for _, a := range h.accs {
			if err := a.resize(t, h.groups); err != nil {
				return err
			}
		}
		gids = h.gids
	}
	defer h.trackMemory(t)
	h.batch.run(h, gids, rec, sel, n)
	for i := range h.aggs {
		if h.batch.fold(h, i) {
			continue
		}
		if err := h.update(t, i, gids, rec, sel, n); err != nil {
			return err
		}
	}
	return nil
}

// group sets h.gids to the groups of the selected rows of rec.
func (h *HashAggregate) group(t *Task, rec arrow.Record, sel []int32) error {
	cols := make([]arrow.Array, len(h.keys))
	for i, k := range h.keys {
		cols[i] = rec.Column(k)
	}
	if sel != nil {
		if done, err := h.table.FindOrInsertSel(t, cols, sel, h.gids); done || err != nil {
			return err
		}
		runs := vector.RunsOf(sel, nil)
		for i, c := range cols {
			cols[i] = takeArray(t, c, sel, runs)
			defer cols[i].Release()
		}
	}
	_, err := h.table.FindOrInsert(t, cols, h.gids)
	return err
}

// update folds the selected rows of rec into aggregate i.
func (h *HashAggregate) update(t *Task, i int, gids []int32, rec arrow.Record, sel []int32, n int) error {
	spec := h.aggs[i]
	if spec.Kind == AggStateMerge {
		return h.mergeStates(t, i, gids, rec, sel)
	}
	if spec.Fused != nil {
		return h.updateFused(t, i, gids, rec, sel, n)
	}
	if spec.Arg < 0 {
		arg := array.NewNull(n) // COUNT(*) looks only at the length
		defer arg.Release()
		return h.accs[i].update(t, gids, arg)
	}
	arg := rec.Column(spec.Arg)
	if sel != nil {
		if s, ok := h.accs[i].(selUpdater); ok && spec.Kind != AggAvgMerge && spec.Kind != AggVarMerge {
			if done, err := s.updateSel(t, gids, arg, sel); done || err != nil {
				return err
			}
		}
		arg = takeArray(t, arg, sel, nil)
		defer arg.Release()
	}
	if two, ok := h.accs[i].(twoArgUpdater); ok && spec.HasArg2() {
		arg2 := rec.Column(spec.Arg2)
		if sel != nil {
			arg2 = takeArray(t, arg2, sel, nil)
			defer arg2.Release()
		}
		return two.update2(t, gids, arg, arg2)
	}
	if spec.Kind == AggVarMerge {
		more := []arrow.Array{rec.Column(spec.Arg2), rec.Column(spec.Arg3)}
		for k := range more {
			if sel != nil {
				more[k] = takeArray(t, more[k], sel, nil)
				defer more[k].Release()
			}
		}
		h.accs[i].(*varAcc).merge(gids, arg, more[0], more[1])
		return nil
	}
	if spec.Kind == AggAvgMerge {
		arg2 := rec.Column(spec.Arg2)
		if sel != nil {
			arg2 = takeArray(t, arg2, sel, nil)
			defer arg2.Release()
		}
		return h.accs[i].(*avgAcc).merge(gids, arg, arg2)
	}
	return h.accs[i].update(t, gids, arg)
}

// mergeStates folds the selected rows of the partial states of aggregate
// i (an AggStateMerge) into the groups.
func (h *HashAggregate) mergeStates(t *Task, i int, gids []int32, rec arrow.Record, sel []int32) error {
	cols := make([]arrow.Array, len(h.aggs[i].States))
	for k, c := range h.aggs[i].States {
		cols[k] = rec.Column(c)
		if sel != nil {
			cols[k] = takeArray(t, cols[k], sel, nil)
			defer cols[k].Release()
		}
	}
	return h.accs[i].(stateAcc).merge(t, gids, cols)
}

// trackMemory reports the Go memory of the hash table and the states.
func (h *HashAggregate) trackMemory(t *Task) {
	n := int64(cap(h.gids)) * 4
	if h.table != nil {
		n += h.table.Bytes()
	}
	for _, a := range h.accs {
		n += a.memBytes()
	}
	h.goMem.set(t, n, 0)
}

func (h *HashAggregate) Next(t *Task) (arrow.Record, error) {
	if !h.loaded {
		h.loaded = true
		for {
			rec, sel, err := nextSel(t, h.child)
			if err != nil {
				return nil, err
			}
			if rec == nil {
				break
			}
			err = h.consume(t, rec, sel)
			rec.Release()
			if err != nil {
				return nil, err
			}
		}
	}
	if h.out >= h.groups {
		return nil, nil
	}
	from, to := h.out, min(h.out+h.batchSize, h.groups)
	h.out = to
	if err := t.Spend(to - from); err != nil {
		return nil, err
	}
	prepared := false
	for _, a := range h.accs {
		if p, ok := a.(preparer); ok {
			if err := p.prepare(t, from, to); err != nil {
				return nil, err
			}
			prepared = true
		}
	}
	if prepared { // a quantile's state shrinks once bucketed
		h.trackMemory(t)
	}
	mem := t.Alloc()
	var cols []arrow.Array
	if h.table != nil {
		cols = h.table.KeyArrays(mem, from, to)
	}
	for i, a := range h.accs {
		if avg, ok := a.(*avgAcc); ok && h.partial && h.aggs[i].Kind == AggAvg {
			sums, counts := avg.states(mem, from, to)
			cols = append(cols, sums, counts)
			continue
		}
		if v, ok := a.(*varAcc); ok && h.partial {
			cols = append(cols, v.states(mem, from, to)...)
			continue
		}
		if v, ok := a.(stateAcc); ok && h.partial {
			cols = append(cols, v.states(mem, from, to)...)
			continue
		}
		if v, ok := a.(*argAcc); ok && h.partial {
			cols = append(cols, v.states(mem, from, to)...)
			continue
		}
		cols = append(cols, a.finish(mem, from, to))
	}
	return vector.NewRecord(h.schema, cols, to-from), nil
}

func (h *HashAggregate) Close() error {
	h.goMem.free()
	if h.table != nil {
		h.table.Release()
	}
	for _, a := range h.accs {
		if r, ok := a.(accReleaser); ok {
			r.release()
		}
	}
	h.table, h.accs = nil, nil
	if h.pages != nil {
		h.pages.Release() // nothing refers to them any more
	}
	return h.child.Close()
}

func (h *HashAggregate) leasePages(l *paged.Lease) { h.pages = l }

// accReleaser is an accumulator with a hash table of its own (DISTINCT,
// entropy), whose mapped slot array Close gives back to the engine's pool
// (hashtab.Table.Release): dropped, it was unmapped by a cleanup, and the
// next query's table mapped and faulted in a fresh one, in huge pages
// whose fault no check splits (4.7 ms in a warm TPC-H q16).
type accReleaser interface {
	release()
}

// pageLeaser is an operator whose state can grow in leased pages.
type pageLeaser interface {
	leasePages(l *paged.Lease)
}

// leasePages lends op's state the pages of l, when op (or the operator it
// instruments) can use them.
func leasePages(op Operator, l *paged.Lease) {
	if in, ok := op.(*Instrumented); ok {
		op = in.Op
	}
	if p, ok := op.(pageLeaser); ok {
		p.leasePages(l)
	}
}

func (h *HashAggregate) Describe() Description {
	in := h.child.Schema()
	var keys []string
	for _, k := range h.keys {
		keys = append(keys, in.Field(k).Name)
	}
	var aggs []string
	for i, a := range h.aggs {
		aggs = append(aggs, h.schema.Field(len(h.keys)+i).Name)
		_ = a
	}
	name := "HashAggregate"
	if len(h.keys) == 0 {
		name = "Aggregate"
	}
	if h.partial {
		name = "Partial" + name
	}
	detail := strings.Join(aggs, ", ")
	if len(keys) > 0 {
		detail = fmt.Sprintf("by %s", strings.Join(keys, ", "))
		if len(aggs) > 0 {
			detail += ": " + strings.Join(aggs, ", ")
		}
	}
	return Description{Name: name, Detail: detail, Children: []Operator{h.child}}
}
