package operators

import (
	"context"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingOp counts how often its input is opened, pulled and closed.
type countingOp struct {
	Operator
	opens, nexts, closes int
}

func (c *countingOp) Open(t *Task) error { c.opens++; return c.Operator.Open(t) }
func (c *countingOp) Close() error       { c.closes++; return c.Operator.Close() }
func (c *countingOp) Next(t *Task) (arrow.Record, error) {
	c.nexts++
	return c.Operator.Next(t)
}

// countRows drains op and counts its rows.
func countRows(t *testing.T, task *Task, op Operator) int64 {
	require.NoError(t, op.Open(task))
	var n int64
	for {
		rec, err := op.Next(task)
		require.NoError(t, err)
		if rec == nil {
			return n
		}
		n += rec.NumRows()
		rec.Release()
	}
}

func TestSpoolComputesOnceForEveryReader(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	task := NewTask(context.Background(), mem)
	in := &countingOp{Operator: finite(5000)}
	sp := NewSpool(in)
	readers := []*SpoolReader{sp.Reader(genSchema), sp.Reader(genSchema), sp.Reader(genSchema)}
	for _, r := range readers {
		assert.EqualValues(t, 5000, countRows(t, task, r))
	}
	assert.Equal(t, 1, in.opens, "the input is opened once")
	nexts := in.nexts
	for _, r := range readers[:2] {
		require.NoError(t, r.Close())
	}
	assert.Equal(t, 0, in.closes, "the input stays open while a reader is")
	require.NoError(t, readers[2].Close())
	require.NoError(t, readers[2].Close(), "Close is idempotent")
	assert.Equal(t, 1, in.closes, "the last reader closes the input")
	assert.Equal(t, nexts, in.nexts)
}

func TestSpoolErrorReachesEveryReader(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	task := NewTask(context.Background(), mem)
	sp := NewSpool(failing(3))
	a, b := sp.Reader(genSchema), sp.Reader(genSchema)
	for _, r := range []*SpoolReader{a, b} {
		require.NoError(t, r.Open(task))
		_, err := r.Next(task)
		require.ErrorIs(t, err, errGen)
	}
	require.NoError(t, a.Close())
	require.NoError(t, b.Close())
}

// A reader that is never read (its join found the other side empty)
// still lets the spool close its input.
func TestSpoolUnreadReaders(t *testing.T) {
	in := &countingOp{Operator: finite(10)}
	sp := NewSpool(in)
	a, b := sp.Reader(genSchema), sp.Reader(genSchema)
	require.NoError(t, a.Close())
	require.NoError(t, b.Close())
	assert.Equal(t, 0, in.opens)
	assert.Equal(t, 1, in.closes)
}
