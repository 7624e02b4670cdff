package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
)

// opSource is a scan source whose single unit reads a test operator.
type opSource struct{ op Operator }

func (s *opSource) Schema() *arrow.Schema { return s.op.Schema() }
func (s *opSource) Units() int            { return 1 }
func (s *opSource) Describe() string      { return "test source" }
func (s *opSource) Close() error          { return s.op.Close() }

func (s *opSource) OpenUnit(t *Task, i int) (UnitReader, error) { return &opUnit{s.op}, nil }

type opUnit struct{ op Operator }

func (u *opUnit) Next(t *Task) (arrow.Record, error) { return u.op.Next(t) }
func (u *opUnit) Close() error                       { return nil }
