package operators

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/vector"
)

// unitsSource has units of the given row counts; unit u's rows hold
// u*1_000_000 + row, so every row is distinct.
type unitsSource struct {
	sizes  []int
	closed int // readers closed
	opened int
}

func (s *unitsSource) Schema() *arrow.Schema { return genSchema }
func (s *unitsSource) Units() int            { return len(s.sizes) }
func (s *unitsSource) Describe() string      { return "units" }
func (s *unitsSource) Close() error          { return nil }
func (s *unitsSource) OpenUnit(t *Task, u int) (UnitReader, error) {
	s.opened++
	return &unitsReader{src: s, u: u}, nil
}

type unitsReader struct {
	src  *unitsSource
	u    int
	done int
}

func (r *unitsReader) Next(t *Task) (arrow.Record, error) {
	n := min(100, r.src.sizes[r.u]-r.done)
	if n == 0 {
		return nil, nil
	}
	buf, vals := vector.AllocValues[int64](t.Alloc(), n)
	for i := range vals {
		vals[i] = int64(r.u*1_000_000 + r.done + i)
	}
	r.done += n
	return vector.NewRecord(genSchema, []arrow.Array{vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, buf)}, n), nil
}

func (r *unitsReader) Close() error { r.src.closed++; return nil }

// TestScansShareTheLastUnits: with one big unit and one small one, the scan
// that finishes the small unit joins the big one; every row is read once,
// and every reader is closed once.
func TestScansShareTheLastUnits(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	src := &unitsSource{sizes: []int{10_000, 300}}
	m := &Morsels{}
	a, b := NewSharedScan(src, m), NewSharedScan(src, m)
	task := NewTask(context.Background(), mem)
	seen := map[int64]bool{}
	count := func(s *Scan) (int, bool) {
		rec, err := s.Next(task)
		require.NoError(t, err)
		if rec == nil {
			return 0, false
		}
		defer rec.Release()
		for _, v := range rec.Column(0).(interface{ Int64Values() []int64 }).Int64Values() {
			require.False(t, seen[v], "row %d read twice", v)
			seen[v] = true
		}
		return int(rec.NumRows()), true
	}
	// Interleave the two scans as two workers would.
	rows := [2]int{}
	for more := [2]bool{true, true}; more[0] || more[1]; {
		for i, s := range []*Scan{a, b} {
			if more[i] {
				var n int
				n, more[i] = count(s)
				rows[i] += n
			}
		}
	}
	require.Len(t, seen, 10_300)
	require.Greater(t, rows[1], 3_000, "the scan with the small unit helped with the big one: %v", rows)
	require.NoError(t, a.Close())
	require.NoError(t, b.Close())
	require.Equal(t, 2, src.opened)
	require.Equal(t, 2, src.closed)
}

// TestSharedUnitClosedByLastScan: scans that stop half way (a LIMIT, a
// cancel) leave the unit; the last to leave closes its reader.
func TestSharedUnitClosedByLastScan(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	src := &unitsSource{sizes: []int{10_000}}
	m := &Morsels{}
	a, b := NewSharedScan(src, m), NewSharedScan(src, m)
	task := NewTask(context.Background(), mem)
	for _, s := range []*Scan{a, b} {
		rec, err := s.Next(task)
		require.NoError(t, err)
		rec.Release()
	}
	require.NoError(t, a.Close())
	require.Equal(t, 0, src.closed, "b still reads the unit")
	require.NoError(t, b.Close())
	require.Equal(t, 1, src.closed)
}

// blockingReader holds the unit's read lock until released.
type blockingReader struct {
	entered, release chan struct{}
}

func (r *blockingReader) Next(t *Task) (arrow.Record, error) {
	close(r.entered)
	<-r.release
	return nil, nil
}

func (r *blockingReader) Close() error { return nil }

// TestSharedUnitWaitHearsTheCancel: a scan waiting for another's read of
// their shared unit returns its query's cancel at once, not after the
// read, and leaves the lock to the reader.
func TestSharedUnitWaitHearsTheCancel(t *testing.T) {
	r := &blockingReader{entered: make(chan struct{}), release: make(chan struct{})}
	u := (&Morsels{}).publish(r)
	holder := NewTask(context.Background(), memory.DefaultAllocator)
	done := make(chan error, 1)
	go func() {
		_, err := u.next(holder)
		done <- err
	}()
	<-r.entered

	ctx, cancel := context.WithCancelCause(context.Background())
	waiter := NewTask(ctx, memory.DefaultAllocator)
	waitErr := make(chan error, 1)
	go func() {
		_, err := u.next(waiter)
		waitErr <- err
	}()
	cause := errors.New("stop")
	cancel(cause)
	select {
	case err := <-waitErr:
		require.ErrorIs(t, err, cause)
	case <-time.After(10 * time.Second):
		close(r.release) // let the waiter go, to fail instead of hang
		t.Fatal("the waiter did not answer its cancel while the lock was held")
	}

	close(r.release)
	require.NoError(t, <-done)
	rec, err := u.next(holder) // the lock is free again
	require.NoError(t, err)
	require.Nil(t, rec)
}
