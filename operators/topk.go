package operators

import (
	"fmt"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// TopK keeps the first k rows of its input in sort order (ORDER BY ...
// LIMIT k) without sorting everything: each batch is first compared with
// the current k-th row, and only the rows that beat it are sorted and
// merged in. Memory stays at k rows plus one batch.
type TopK struct {
	child     Operator
	keys      []SortKey
	k         int64
	batchSize int

	top    arrow.Record // sorted, at most k rows
	done   bool
	pos    int64
	closed bool
}

var _ Operator = (*TopK)(nil)

// NewTopK returns the first k rows of child ordered by keys.
func NewTopK(child Operator, keys []SortKey, k int64, batchSize int) *TopK {
	return &TopK{child: child, keys: keys, k: k, batchSize: batchSize}
}

func (o *TopK) Schema() *arrow.Schema { return o.child.Schema() }
func (o *TopK) Open(t *Task) error    { return o.child.Open(t) }

func (o *TopK) consume(t *Task, rec arrow.Record) error {
	defer rec.Release()
	if o.k <= 0 {
		return t.Spend(int(rec.NumRows()))
	}
	n := int(rec.NumRows())
	if err := t.Spend(n); err != nil {
		return err
	}
	cmp := newRowComparator(o.keys, o.Schema())
	topRows := 0
	if o.top != nil {
		cmp.addBatch(o.top)
		topRows = int(o.top.NumRows())
	} else {
		cmp.addBatch(rec) // batch 0 unused: keeps rec at index 1
	}
	cmp.addBatch(rec)
	cand := make([]int32, 0, n)
	full := int64(topRows) == o.k
	for r := 0; r < n; r++ {
		if !full || cmp.compare(1, r, 0, topRows-1) < 0 {
			cand = append(cand, int32(r))
		}
	}
	if len(cand) == 0 {
		return nil
	}
	slices.SortFunc(cand, func(i, j int32) int { return cmp.compare(1, int(i), 1, int(j)) })
	if err := t.Spend(len(cand) * 4); err != nil {
		return err
	}
	// Merge the current top rows with the sorted candidates, keeping k.
	keep := min(o.k, int64(topRows+len(cand)))
	refs := make([]vector.RowRef, 0, keep)
	i, j := 0, 0
	for int64(len(refs)) < keep {
		if j == len(cand) || i < topRows && cmp.compare(0, i, 1, int(cand[j])) <= 0 {
			refs = append(refs, vector.RowRef{Batch: 0, Row: int32(i)})
			i++
		} else {
			refs = append(refs, vector.RowRef{Batch: 1, Row: cand[j]})
			j++
		}
	}
	batches := []arrow.Record{rec, rec}
	if o.top != nil {
		batches[0] = o.top
	}
	next := vector.TakeMultiRecord(t.Alloc(), o.Schema(), batches, refs)
	if o.top != nil {
		o.top.Release()
	}
	o.top = next
	return nil
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
		o.done = true
	}
	if o.top == nil || o.pos >= o.top.NumRows() {
		return nil, nil
	}
	if err := t.Spend(1); err != nil {
		return nil, err
	}
	end := min(o.pos+int64(o.batchSize), o.top.NumRows())
	out := o.top.NewSlice(o.pos, end)
	o.pos = end
	return out, nil
}

func (o *TopK) Close() error {
	if !o.closed {
		o.closed = true
		if o.top != nil {
			o.top.Release()
			o.top = nil
		}
	}
	return o.child.Close()
}

func (o *TopK) Describe() Description {
	return Description{Name: "TopK", Detail: fmt.Sprintf("%s limit %d", describeKeys(o.keys, o.Schema()), o.k),
		Children: []Operator{o.child}}
}
