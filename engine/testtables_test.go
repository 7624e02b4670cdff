package engine_test

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/vector"
)

// slowTable is a test table of one BIGINT column x whose every batch takes
// delay to read. With ignoresCtx, a read cannot be interrupted (a stuck
// network read) and the source says it may block.
type slowTable struct {
	name       string
	units      int
	delay      time.Duration
	ignoresCtx bool
	reads      atomic.Int64 // batches read, a work counter
}

var slowSchema = arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

func (s *slowTable) Name() string          { return s.name }
func (s *slowTable) Schema() *arrow.Schema { return slowSchema }
func (s *slowTable) Stats() catalog.Stats {
	return catalog.Stats{RowCount: int64(s.units) * 1024}
}
func (s *slowTable) Source(catalog.ScanRequest) (operators.Source, error) {
	return &slowSource{t: s}, nil
}

type slowSource struct{ t *slowTable }

func (s *slowSource) Schema() *arrow.Schema { return slowSchema }
func (s *slowSource) Units() int            { return s.t.units }
func (s *slowSource) Describe() string      { return s.t.name }
func (s *slowSource) Close() error          { return nil }
func (s *slowSource) MayBlock() bool        { return s.t.ignoresCtx }

func (s *slowSource) OpenUnit(*operators.Task, int) (operators.UnitReader, error) {
	return &slowUnit{t: s.t, left: 4}, nil
}

type slowUnit struct {
	t    *slowTable
	left int
}

func (u *slowUnit) Next(t *operators.Task) (arrow.Record, error) {
	if u.left == 0 {
		return nil, nil
	}
	u.left--
	if u.t.ignoresCtx {
		time.Sleep(u.t.delay) // a read that does not look at the context
	} else {
		select {
		case <-time.After(u.t.delay):
		case <-t.Context().Done():
			return nil, context.Cause(t.Context())
		}
	}
	u.t.reads.Add(1)
	buf, vals := vector.AllocValues[int64](t.Alloc(), 1024)
	for i := range vals {
		vals[i] = int64(i)
	}
	col := vector.NewFixedArray(arrow.PrimitiveTypes.Int64, 1024, nil, 0, buf)
	return vector.NewRecord(slowSchema, []arrow.Array{col}, 1024), nil
}

func (u *slowUnit) Close() error { return nil }
