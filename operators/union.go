package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// Union returns the batches of its inputs one input after the other
// (UNION ALL). The inputs have the same column types; batches are
// re-labelled with the union's schema.
type Union struct {
	ins    []Operator
	schema *arrow.Schema
	cur    int
}

var _ Operator = (*Union)(nil)

// NewUnion concatenates ins.
func NewUnion(ins []Operator, schema *arrow.Schema) *Union {
	return &Union{ins: ins, schema: schema}
}

func (u *Union) Schema() *arrow.Schema { return u.schema }

func (u *Union) Open(t *Task) error {
	for _, in := range u.ins {
		if err := in.Open(t); err != nil {
			return err
		}
	}
	return nil
}

func (u *Union) Next(t *Task) (arrow.Record, error) {
	for u.cur < len(u.ins) {
		if err := t.Spend(1); err != nil {
			return nil, err
		}
		rec, err := u.ins[u.cur].Next(t)
		if err != nil {
			return nil, err
		}
		if rec == nil {
			u.cur++
			continue
		}
		defer rec.Release()
		return array.NewRecord(u.schema, rec.Columns(), rec.NumRows()), nil
	}
	return nil, nil
}

func (u *Union) Close() error {
	var first error
	for _, in := range u.ins {
		if err := in.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (u *Union) Describe() Description {
	return Description{Name: "Union", Detail: "all", Children: u.ins}
}
