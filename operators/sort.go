package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// Sort orders its whole input. It keeps every input batch, then encodes
// each row's keys into a normalized binary record (sort_keys.go) and radix
// sorts the records once (sort_radix.go): no comparator runs per row
// except to break ties between long strings that share a prefix. Next
// gathers the rows in order, one output batch at a time. Ties keep input
// order, so output is deterministic. Every stage spends budget in chunks
// of a few thousand rows.
type Sort struct {
	child     Operator
	keys      []SortKey
	batchSize int

	in      keptBatches
	batches []arrow.Record // in's records, once all are in
	sizes   pagedSizes
	order   *rowOrder
	cursor  orderCursor // the next row to emit
	next    int         // its position in order
	loaded  bool
	closed  bool
	refs    []vector.RowRef
	gather  *vector.RecordGatherer // the batches' columns, looked up once
	goMem   opMemory               // the batches, and the records and row order
	goBytes int64
}

var _ Operator = (*Sort)(nil)

// NewSort returns a sort of child by keys.
func NewSort(child Operator, keys []SortKey, batchSize int) *Sort {
	return &Sort{child: child, keys: keys, batchSize: batchSize, sizes: defaultPagedSizes(), in: newKeptBatches(child.Schema())}
}

func (s *Sort) Schema() *arrow.Schema { return s.child.Schema() }
func (s *Sort) Open(t *Task) error    { return s.child.Open(t) }

func (s *Sort) load(t *Task) error {
	for {
		rec, err := s.child.Next(t)
		if err != nil {
			return err
		}
		if rec == nil {
			break
		}
		if err := s.in.add(t, rec); err != nil {
			return err
		}
		s.goMem.set(t, s.goBytes, s.in.bytes)
		if err := t.Spend(1); err != nil {
			return err
		}
	}
	s.batches = s.in.done()
	report := func(b int64) {
		s.goBytes = b
		s.goMem.set(t, b, s.in.bytes)
	}
	order, err := sortRowsSized(t, s.keys, s.Schema(), s.batches, int(^uint(0)>>1), report, s.sizes, nil)
	if err != nil {
		return err
	}
	s.order = order
	return nil
}

func (s *Sort) Next(t *Task) (arrow.Record, error) {
	if !s.loaded {
		s.loaded = true
		if err := s.load(t); err != nil {
			return nil, err
		}
	}
	if err := t.Spend(1); err != nil {
		return nil, err
	}
	if s.order == nil || s.next >= s.order.n {
		return nil, nil
	}
	if s.gather == nil {
		g, err := vector.NewRecordGatherer(s.Schema(), s.batches, t.Spend)
		if err != nil {
			return nil, err
		}
		s.gather = g
	}
	s.refs = s.order.next(&s.cursor, s.refs[:0], gatherBatch(s.batchSize))
	s.next += len(s.refs)
	// The gather copies every column of every row; it spends a column at
	// a time.
	return s.gather.Take(t.Alloc(), s.refs, t.Spend)
}

func (s *Sort) Close() error {
	if !s.closed {
		s.closed = true
		s.goMem.free()
		s.in.release()
		s.batches, s.order, s.gather = nil, nil, nil
	}
	return s.child.Close()
}

func (s *Sort) Describe() Description {
	return Description{Name: "Sort", Detail: describeKeys(s.keys, s.Schema()), Children: []Operator{s.child}}
}
