package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/sqlerr"
)

// Hazard 10: producers blocked sending on a full channel after the
// consumer stopped reading. Every producer exits and its unsent batches
// are released.
func TestHazard10ProducersBlockedOnSend(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	e, mem := hazardEngine(t, 2)
	defer e.Close()
	base := mem.CurrentAlloc()
	ctx, cancel := context.WithCancel(context.Background())
	rows, err := e.Query(ctx, "SELECT range FROM "+endless)
	require.NoError(t, err)
	require.True(t, rows.Next()) // the workers are producing
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	cancel() // the consumer never reads again
	require.NoError(t, rows.Close())
	require.Less(t, time.Since(start), cancelBound)
	require.Equal(t, base, mem.CurrentAlloc(), "unsent batches must be released")
	noQueryGoroutines(t, ignore)
	checkEngineWorks(t, e)
}

// Hazard 11: the consumer waits on an empty channel while the producers
// wait on a slow source.
func TestHazard11ConsumerBlockedOnEmptyChannel(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	e, mem := hazardEngine(t, 2)
	defer e.Close()
	require.NoError(t, e.Register(&slowTable{name: "slow", units: 1000, delay: time.Second}, false))
	base := mem.CurrentAlloc()
	o := runAndCancelAt(t, e, "SELECT x FROM slow", 30*time.Millisecond)
	checkCancelled(t, e, mem, base, o, context.Canceled)
	noQueryGoroutines(t, ignore)
}

// Hazard 12: a scan blocked in a read that cannot be interrupted. The query
// returns at once; the read's goroutine is tracked by the query's group and
// joined by Close when the read comes back.
func TestHazard12ScanBlockedInSlowReader(t *testing.T) {
	for _, threads := range threadCounts {
		t.Run(name(threads), func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			e, mem := hazardEngine(t, threads)
			defer e.Close()
			read := 300 * time.Millisecond
			require.NoError(t, e.Register(&slowTable{name: "stuck", units: 100, delay: read, ignoresCtx: true}, false))
			base := mem.CurrentAlloc()
			o := runAndCancelAt(t, e, "SELECT x FROM stuck", 20*time.Millisecond)
			require.ErrorIs(t, o.err, context.Canceled)
			require.Less(t, o.stopped, read/2, "the query must not wait for the stuck read")
			require.Equal(t, base, mem.CurrentAlloc())
			noQueryGoroutines(t, ignore) // Close joined the reader
			checkEngineWorks(t, e)
		})
	}
}

// Hazard 13 (futurelock): workers holding the query's admission slot are
// blocked sending batches nobody reads. Cancelling must free them, and the
// next query must get the slot (the engine admits one query at a time
// here, so a slot left held would hang it).
func TestHazard13Futurelock(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	e, mem := hazardEngine(t, 2, engine.WithMaxQueries(1))
	defer e.Close()
	base := mem.CurrentAlloc()
	ctx, cancel := context.WithCancel(context.Background())
	rows, err := e.Query(ctx, "SELECT range FROM "+endless)
	require.NoError(t, err)
	require.True(t, rows.Next())
	time.Sleep(30 * time.Millisecond) // the workers fill the channel and block
	require.Equal(t, 0, e.FreeSlots())
	cancel()
	require.NoError(t, rows.Close())
	require.Equal(t, 1, e.FreeSlots())
	done := make(chan struct{})
	go func() {
		defer close(done)
		checkEngineWorks(t, e)
	}()
	select {
	case <-done:
	case <-time.After(cancelBound):
		t.Fatal("the next query did not get the slot")
	}
	require.Equal(t, base, mem.CurrentAlloc())
	noQueryGoroutines(t, ignore)
}

// Hazard 14: one of N parallel workers fails; its siblings stop promptly
// and the query reports the failure, not a cancellation.
func TestHazard14WorkerFails(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	e, mem := hazardEngine(t, 2)
	defer e.Close()
	base := mem.CurrentAlloc()
	start := time.Now()
	rows, err := e.Query(context.Background(), "SELECT count(*) FROM "+endless+" WHERE 100 / (range - 3000000) > 5")
	require.NoError(t, err)
	for rows.Next() {
	}
	require.True(t, errors.Is(rows.Err(), sqlerr.ErrDivisionByZero), "got %v", rows.Err())
	require.NoError(t, rows.Close())
	require.Less(t, time.Since(start), 10*time.Second)
	require.Equal(t, base, mem.CurrentAlloc())
	noQueryGoroutines(t, ignore)
	checkEngineWorks(t, e)
}

// Hazard 15: LIMIT is satisfied while parallel workers are still
// producing: they are stopped and joined, and no counter is left moving.
func TestHazard15LimitWhilePartitionsProduce(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	e, mem := hazardEngine(t, 2)
	defer e.Close()
	base := mem.CurrentAlloc()
	rows, err := e.Query(context.Background(), "SELECT range FROM "+endless+" LIMIT 5")
	require.NoError(t, err)
	n := int64(0)
	for rows.Next() {
		n += rows.Record().NumRows()
	}
	require.NoError(t, rows.Err())
	require.Equal(t, int64(5), n)
	start := time.Now()
	require.NoError(t, rows.Close())
	require.Less(t, time.Since(start), cancelBound)
	done, _ := rows.Progress()
	time.Sleep(20 * time.Millisecond)
	after, _ := rows.Progress()
	require.Equal(t, done, after, "scans still counted rows after Close")
	require.Equal(t, 64, e.FreeSlots())
	require.Equal(t, base, mem.CurrentAlloc())
	noQueryGoroutines(t, ignore)
}

// Hazard 16: minisql does not spill to disk (yet), so there is no spill to
// cancel.
func TestHazard16CancelDuringSpill(t *testing.T) {
	t.Skip("no spilling exists: queries fail with a memory-limit error instead (see ARCHITECTURE.md)")
}
