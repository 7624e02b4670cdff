package physical

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/operators"
)

// renamed presents a source's records under the plan's column names (table
// aliases, derived names); the arrays are shared, not copied.
func renamed(src operators.Source, schema *arrow.Schema) operators.Source {
	same := src.Schema().NumFields() == schema.NumFields()
	for i := 0; same && i < schema.NumFields(); i++ {
		same = src.Schema().Field(i).Name == schema.Field(i).Name
	}
	if same {
		return src
	}
	return &renamedSource{Source: src, schema: schema}
}

type renamedSource struct {
	operators.Source
	schema *arrow.Schema
}

func (s *renamedSource) Schema() *arrow.Schema { return s.schema }

// MayBlock forwards the wrapped source's answer (see operators.Blocking).
func (s *renamedSource) MayBlock() bool {
	b, ok := s.Source.(operators.Blocking)
	return ok && b.MayBlock()
}

func (s *renamedSource) OpenUnit(t *operators.Task, i int) (operators.UnitReader, error) {
	r, err := s.Source.OpenUnit(t, i)
	if err != nil {
		return nil, err
	}
	return &renamedReader{UnitReader: r, schema: s.schema}, nil
}

type renamedReader struct {
	operators.UnitReader
	schema *arrow.Schema
}

func (r *renamedReader) Next(t *operators.Task) (arrow.Record, error) {
	rec, err := r.UnitReader.Next(t)
	if rec == nil || err != nil {
		return rec, err
	}
	defer rec.Release()
	return array.NewRecord(r.schema, rec.Columns(), rec.NumRows()), nil
}
