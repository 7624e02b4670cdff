package operators

import (
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// genOp is a test source: batches of an int64 column counting up from 0
// (modulo mod when mod > 0), forever when rows < 0. failAfter > 0 makes it
// fail after that many batches. It allocates from the task's allocator,
// so leaks show up in the checked allocator.
type genOp struct {
	rows      int64
	batch     int
	mod       int64
	failAfter int
	produced  int64
	batches   int
	closed    bool
}

var genSchema = arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

var errGen = errors.New("generator failed")

func (g *genOp) Schema() *arrow.Schema { return genSchema }
func (g *genOp) Open(t *Task) error    { return nil }

func (g *genOp) Next(t *Task) (arrow.Record, error) {
	if g.closed {
		return nil, fmt.Errorf("genOp: Next after Close")
	}
	if err := t.Spend(1); err != nil {
		return nil, err
	}
	if g.failAfter > 0 && g.batches >= g.failAfter {
		return nil, errGen
	}
	n := int64(g.batch)
	if g.rows >= 0 {
		n = min(n, g.rows-g.produced)
	}
	if n <= 0 {
		return nil, nil
	}
	buf, vals := vector.AllocValues[int64](t.Alloc(), int(n))
	for i := range vals {
		v := g.produced + int64(i)
		if g.mod > 0 {
			v %= g.mod
		}
		vals[i] = v
	}
	g.produced += n
	g.batches++
	col := vector.NewFixedArray(arrow.PrimitiveTypes.Int64, int(n), nil, 0, buf)
	rec := vector.NewRecord(genSchema, []arrow.Array{col}, int(n))
	if err := t.Spend(int(n)); err != nil {
		rec.Release()
		return nil, err
	}
	return rec, nil
}

func (g *genOp) Close() error {
	g.closed = true
	return nil
}

func infinite() *genOp         { return &genOp{rows: -1, batch: 1024} }
func finite(n int64) *genOp    { return &genOp{rows: n, batch: 1000} }
func groups(mod int64) *genOp  { return &genOp{rows: -1, batch: 4096, mod: mod} }
func failing(after int) *genOp { return &genOp{rows: -1, batch: 100, failAfter: after} }
