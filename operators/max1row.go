package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/sqlerr"
)

// Max1Row passes its input through and fails if it has more than one row:
// the guard under an uncorrelated scalar subquery.
type Max1Row struct {
	child Operator
	seen  int64
}

var _ Operator = (*Max1Row)(nil)

// NewMax1Row guards child.
func NewMax1Row(child Operator) *Max1Row { return &Max1Row{child: child} }

func (m *Max1Row) Schema() *arrow.Schema { return m.child.Schema() }
func (m *Max1Row) Open(t *Task) error    { return m.child.Open(t) }

func (m *Max1Row) Next(t *Task) (arrow.Record, error) {
	rec, err := m.child.Next(t)
	if err != nil || rec == nil {
		return nil, err
	}
	m.seen += rec.NumRows()
	if m.seen > 1 {
		rec.Release()
		return nil, sqlerr.New(sqlerr.ErrInvalidValue, "scalar subquery returned more than one row")
	}
	return rec, nil
}

func (m *Max1Row) Close() error { return m.child.Close() }

func (m *Max1Row) Describe() Description {
	return Description{Name: "Max1Row", Children: []Operator{m.child}}
}
