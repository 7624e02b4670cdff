package operators

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// topKCompactRows is the fewest candidate rows TopK gathers before it sorts
// them into its top rows: compacting for every batch would re-gather the k
// rows again and again.
const topKCompactRows = 4096

// TopK keeps the first k rows of its input in sort order (ORDER BY ...
// LIMIT k) without sorting everything. The k-th row so far is the bound:
// each batch is compared with it on the first key, as an order-preserving
// integer in a tight loop (sort_bound.go), and only the rows that beat it are
// kept as candidates. Once there are as many candidates as max(k, 4096),
// they and the current top rows are sorted together (sort_rows.go) and
// cut to k. Memory stays near 2k rows plus one batch.
//
// Ties are decided by input order: the bound check keeps only rows strictly
// before the k-th, and the sort keeps the top rows ahead of newer ones.
type TopK struct {
	child     Operator
	keys      []SortKey
	k         int64
	batchSize int

	top     []arrow.Record // at most k rows in order, in batches of batchSize
	topN    int64
	pending []arrow.Record // candidates since the last compaction, in input order
	pendN   int
	bound   topKBound
	scratch sortScratch // the sort's buffers, kept from one compaction to the next
	done    bool
	closed  bool
	goMem   opMemory
	arrow   int64
}

var _ Operator = (*TopK)(nil)

// NewTopK returns the first k rows of child ordered by keys.
func NewTopK(child Operator, keys []SortKey, k int64, batchSize int) *TopK {
	return &TopK{child: child, keys: keys, k: k, batchSize: batchSize}
}

func (o *TopK) Schema() *arrow.Schema { return o.child.Schema() }
func (o *TopK) Open(t *Task) error    { return o.child.Open(t) }

func (o *TopK) consume(t *Task, rec arrow.Record) error {
	n := int(rec.NumRows())
	if err := t.Spend(n); err != nil {
		rec.Release()
		return err
	}
	if o.k <= 0 {
		rec.Release()
		return nil
	}
	if o.topN == o.k {
		// Rows not strictly before the k-th row cannot enter: on a tie the
		// earlier row wins.
		cand := o.bound.filter(rec)
		switch {
		case len(cand) == 0:
			rec.Release()
			return nil
		case len(cand) < n:
			sel := vector.TakeRecord(t.Alloc(), rec, cand)
			rec.Release()
			rec = sel
		}
	}
	o.pending = append(o.pending, rec)
	o.pendN += int(rec.NumRows())
	o.arrow += recordBytes(rec)
	o.goMem.set(t, 0, o.arrow)
	if o.pendN >= max(int(min(o.k, 1<<30)), topKCompactRows) {
		return o.compact(t)
	}
	return nil
}

// compact sorts the top rows and the candidates together and keeps the
// first k as the new top rows, gathered a batch at a time so that a large
// k is no long stretch without a check.
func (o *TopK) compact(t *Task) error {
	if len(o.pending) == 0 {
		return nil
	}
	batches := make([]arrow.Record, 0, len(o.top)+len(o.pending))
	batches = append(batches, o.top...) // earlier rows first: they win ties
	batches = append(batches, o.pending...)
	order, err := sortRows(t, o.keys, o.Schema(), batches, int(min(o.k, 1<<62)), func(b int64) { o.goMem.set(t, b, o.arrow) }, &o.scratch)
	if err != nil {
		return err
	}
	var top []arrow.Record
	defer func() { // on an error, the part gathered so far
		for _, r := range top {
			r.Release()
		}
	}()
	refs := make([]vector.RowRef, 0, o.batchSize)
	var c orderCursor
	for lo := 0; lo < order.n; lo += o.batchSize {
		refs = order.next(&c, refs[:0], o.batchSize)
		if err := t.Spend(len(refs) * len(o.Schema().Fields())); err != nil {
			return err
		}
		top = append(top, vector.TakeMultiRecord(t.Alloc(), o.Schema(), batches, refs))
	}
	o.release()
	o.top, o.topN, o.arrow = top, int64(order.n), 0
	top = nil
	for _, r := range o.top {
		o.arrow += recordBytes(r)
	}
	o.goMem.set(t, o.scratch.bytes(), o.arrow)
	o.bound = newTopKBound(o.keys, o.Schema(), o.top[len(o.top)-1])
	return nil
}

// release drops the top rows and the candidates.
func (o *TopK) release() {
	for _, r := range o.top {
		r.Release()
	}
	for _, r := range o.pending {
		r.Release()
	}
	o.top, o.topN, o.pending, o.pendN = nil, 0, nil, 0
}

func (o *TopK) Next(t *Task) (arrow.Record, error) {
	if !o.done {
		for {
			rec, err := o.child.Next(t)
			if err != nil {
				return nil, err
			}
			if rec == nil {
				break
			}
			if err := o.consume(t, rec); err != nil {
				return nil, err
			}
		}
		if err := o.compact(t); err != nil {
			return nil, err
		}
		o.done = true
	}
	if err := t.Spend(1); err != nil {
		return nil, err
	}
	if len(o.top) == 0 {
		return nil, nil
	}
	out := o.top[0] // handed over: the caller releases it
	o.top = o.top[1:]
	return out, nil
}

func (o *TopK) Close() error {
	if !o.closed {
		o.closed = true
		o.release()
		o.scratch = sortScratch{}
		o.goMem.free()
	}
	return o.child.Close()
}

func (o *TopK) Describe() Description {
	return Description{Name: "TopK", Detail: fmt.Sprintf("%s limit %d", describeKeys(o.keys, o.Schema()), o.k),
		Children: []Operator{o.child}}
}
