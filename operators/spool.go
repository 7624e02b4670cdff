package operators

import (
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// Spool computes a subplan once for several places of a plan that need
// the same result: TPC-H Q15 names its revenue view twice, once to join
// and once for the maximum, and computed the aggregate over lineitem
// twice. DuckDB materialises such a CTE the same way.
//
// The first reader to ask runs the input to its end and keeps the
// batches; the others wait for it (in a select that also watches their
// own context, so a reader never hangs on a cancelled build) and then
// read the same batches. The last reader to close releases them and
// closes the input, so nothing outlives the query.
type Spool struct {
	input   Operator
	recs    once[[]arrow.Record]
	mu      sync.Mutex
	readers int
}

// NewSpool returns a spool over input; each Reader is one place that
// reads its result.
func NewSpool(input Operator) *Spool {
	return &Spool{input: input, recs: newOnce[[]arrow.Record]()}
}

// Reader returns one more reader of the spool's result, presented under
// schema (same types as the input's; the names of the reader's place).
func (s *Spool) Reader(schema *arrow.Schema) *SpoolReader {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readers++
	return &SpoolReader{spool: s, schema: schema, first: s.readers == 1}
}

// get returns the result, running the input on the calling task if no
// reader has started it.
func (s *Spool) get(t *Task) ([]arrow.Record, error) { return s.recs.get(t, s.run) }

func (s *Spool) run(t *Task) ([]arrow.Record, error) {
	if err := s.input.Open(t); err != nil {
		return nil, err
	}
	var recs []arrow.Record
	for {
		rec, err := s.input.Next(t)
		if err != nil {
			// The last reader's Close frees what was kept: a cancel is
			// answered now, not after freeing (a recursion's spool can
			// hold a batch per iteration, 100k of them in 100 ms).
			return recs, err
		}
		if rec == nil {
			return recs, nil
		}
		recs = append(recs, rec)
	}
}

// release is called once by every reader; the last one frees the batches
// and closes the input.
func (s *Spool) release() error {
	s.mu.Lock()
	s.readers--
	last := s.readers == 0
	s.mu.Unlock()
	if !last {
		return nil
	}
	releaseAll(s.recs.take())
	return s.input.Close()
}

func releaseAll(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}

// SpoolReader is one place that reads a spool's result.
type SpoolReader struct {
	spool  *Spool
	schema *arrow.Schema
	first  bool // the reader EXPLAIN shows the input under
	next   int
	closed bool
}

var _ Operator = (*SpoolReader)(nil)

func (r *SpoolReader) Schema() *arrow.Schema { return r.schema }
func (r *SpoolReader) Open(*Task) error      { return nil }

func (r *SpoolReader) Next(t *Task) (arrow.Record, error) {
	recs, err := r.spool.get(t)
	if err != nil {
		return nil, err
	}
	if err := t.Spend(1); err != nil {
		return nil, err
	}
	if r.next >= len(recs) {
		return nil, nil
	}
	rec := recs[r.next]
	r.next++
	return array.NewRecord(r.schema, rec.Columns(), rec.NumRows()), nil
}

func (r *SpoolReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	return r.spool.release()
}

func (r *SpoolReader) Describe() Description {
	if r.first {
		return Description{Name: "Spool", Detail: "computed once, read by every place that needs it",
			Children: []Operator{r.spool.input}}
	}
	return Description{Name: "SpoolRead", Detail: "the result of the Spool of the same subplan"}
}
