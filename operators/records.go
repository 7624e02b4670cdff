package operators

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
)

// Records returns a fixed list of records: VALUES lists, constant results,
// and tests. It retains them until Close.
type Records struct {
	schema *arrow.Schema
	recs   []arrow.Record
	pos    int
	name   string
	closed bool
}

var _ Operator = (*Records)(nil)

// NewRecords returns an operator over recs, retaining each of them.
func NewRecords(schema *arrow.Schema, recs []arrow.Record, name string) *Records {
	for _, r := range recs {
		r.Retain()
	}
	return &Records{schema: schema, recs: recs, name: name}
}

func (r *Records) Schema() *arrow.Schema { return r.schema }
func (r *Records) Open(t *Task) error    { return t.Check() }

func (r *Records) Next(t *Task) (arrow.Record, error) {
	for r.pos < len(r.recs) {
		if err := t.Spend(1); err != nil {
			return nil, err
		}
		rec := r.recs[r.pos]
		r.pos++
		if rec.NumRows() > 0 {
			rec.Retain()
			return rec, nil
		}
	}
	return nil, nil
}

func (r *Records) Close() error {
	if !r.closed {
		r.closed = true
		for _, rec := range r.recs {
			rec.Release()
		}
	}
	return nil
}

func (r *Records) Describe() Description {
	rows := int64(0)
	for _, rec := range r.recs {
		rows += rec.NumRows()
	}
	return Description{Name: r.name, Detail: fmt.Sprintf("%d rows", rows)}
}
