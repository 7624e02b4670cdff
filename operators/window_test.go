package operators

import (
	"context"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// newTestWindow is a window over the generator's x, partitioned by
// partition (nil: none) and ordered by x, with every kind of call: a
// rank, a running aggregate and a value function.
func newTestWindow(src Operator, partition []SortKey) *Window {
	i64 := types.Int64Type
	return NewWindow(src, partition, []SortKey{{Col: 0}}, []WindowCall{
		{Func: "row_number", Arg: -1, Default: -1, Out: i64, Name: "rn"},
		{Func: "rank", Arg: -1, Default: -1, Out: i64, Name: "rk"},
		{Func: "sum", Arg: 0, Default: -1, Out: i64, Name: "s"},
		{Func: "min", Arg: 0, Default: -1, Out: i64, Name: "m"},
		{Func: "avg", Arg: 0, Default: -1, Out: types.Float64Type, Name: "a"},
		{Func: "lag", Arg: 0, Default: -1, Offset: 1, Out: i64, Name: "l"},
	})
}

// cancelAtEnd cancels the query when its input ends, so that everything
// the operator above does afterwards runs cancelled.
type cancelAtEnd struct {
	Operator
	cancel context.CancelFunc
}

func (c *cancelAtEnd) Next(t *Task) (arrow.Record, error) {
	rec, err := c.Operator.Next(t)
	if rec == nil && err == nil {
		c.cancel()
	}
	return rec, err
}

// TestWindowChecksWhileComputing cancels a window once its input is all
// read: numbering the rows and accumulating the aggregates must notice.
func TestWindowChecksWhileComputing(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	op := newTestWindow(&cancelAtEnd{Operator: finite(300_000), cancel: cancel}, nil)
	task := NewTask(ctx, mem)
	require.NoError(t, op.Open(task))
	rec, err := op.Next(task)
	require.ErrorIs(t, err, context.Canceled)
	require.Nil(t, rec)
	require.Nil(t, op.perPeer, "the numbering stopped before any aggregate ran")
	require.NoError(t, op.Close())
}

// TestWindowAcrossBatches checks the calls over an input of many batches
// (and more peer groups than one chunk of results) against the values
// they must have: x runs 0, 1, 2, ... in order.
func TestWindowAcrossBatches(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const n = 3*peerChunk + 77
	op := newTestWindow(finite(n), nil)
	task := NewTask(context.Background(), mem)
	require.NoError(t, op.Open(task))
	row := int64(0)
	for {
		rec, err := op.Next(task)
		require.NoError(t, err)
		if rec == nil {
			break
		}
		rn, rk := rec.Column(1).(*array.Int64), rec.Column(2).(*array.Int64)
		s, m := rec.Column(3).(*array.Int64), rec.Column(4).(*array.Int64)
		a, l := rec.Column(5).(*array.Float64), rec.Column(6).(*array.Int64)
		for i := 0; i < int(rec.NumRows()); i++ {
			require.Equal(t, row+1, rn.Value(i))
			require.Equal(t, row+1, rk.Value(i))
			require.Equal(t, row*(row+1)/2, s.Value(i))
			require.Equal(t, int64(0), m.Value(i))
			require.InDelta(t, float64(row)/2, a.Value(i), 1e-9)
			if row == 0 {
				require.True(t, l.IsNull(i))
			} else {
				require.Equal(t, row-1, l.Value(i))
			}
			row++
		}
		rec.Release()
	}
	require.Equal(t, int64(n), row)
	require.NoError(t, op.Close())
}
