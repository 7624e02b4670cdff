package engine_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/bufpool"
	"github.com/minisql/minisql/engine"
)

// endless is a range that no test ever reaches the end of.
const endless = "range(9223372036854775807)"

// cancelBound is the generous bound the tests hold every cancellation to:
// the machines are shared and the race detector slows everything down. The
// real figures come from BenchmarkCancel.
const cancelBound = 2 * time.Second

// hazardEngine opens an engine with a checked allocator for a hazard test.
func hazardEngine(t testing.TB, threads int, opts ...engine.Option) (*engine.Engine, *memory.CheckedAllocator) {
	mem := memory.NewCheckedAllocator(bufpool.New(64 << 20))
	settings := engine.DefaultSettings()
	settings.Threads = threads
	e := engine.Open(append([]engine.Option{engine.WithAllocator(mem), engine.WithSettings(settings)}, opts...)...)
	return e, mem
}

// outcome is what one cancelled query did.
type outcome struct {
	err     error         // the error the stream ended with
	stopped time.Duration // from cancel() to Next returning
	quiet   time.Duration // from cancel() to Close returning (joined, released)
	rows    int64         // rows read before the cancel
}

// runAndCancelAt starts sql, reads it on another goroutine, cancels it
// after the given delay from the start (or, for firstRow, as soon as the
// first batch arrived), and closes it.
func runAndCancelAt(t testing.TB, e *engine.Engine, sql string, after time.Duration) outcome {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rows, err := e.Query(ctx, sql)
	require.NoError(t, err, sql)
	type result struct {
		err  error
		at   time.Time
		rows int64
	}
	first := make(chan struct{})
	done := make(chan result, 1)
	go func() {
		var n int64
		for rows.Next() {
			if n == 0 {
				close(first)
			}
			n += rows.Record().NumRows()
		}
		if n == 0 {
			close(first)
		}
		done <- result{rows.Err(), time.Now(), n}
	}()
	if after == firstRow {
		select {
		case <-first:
		case <-time.After(30 * time.Second):
			t.Fatalf("no first batch within 30s: %s", sql)
		}
	} else {
		time.Sleep(after)
	}
	start := time.Now()
	cancel()
	var r result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("query did not stop within 30s of cancel: %s", sql)
	}
	require.NoError(t, rows.Close())
	return outcome{err: r.err, stopped: r.at.Sub(start), quiet: time.Since(start), rows: r.rows}
}

// checkCancelled asserts the bar of ../shared/CANCELLATION.md in test form:
// a context error, prompt (within the generous bound), memory back to base,
// no goroutine of the query left, the admission slot back, and the engine
// still answering correctly.
func checkCancelled(t testing.TB, e *engine.Engine, mem *memory.CheckedAllocator, base int, o outcome, want error) {
	t.Helper()
	require.True(t, errors.Is(o.err, want), "got %v, want %v", o.err, want)
	require.Less(t, o.quiet, cancelBound, "cancellation took %v", o.quiet)
	require.Equal(t, base, mem.CurrentAlloc(), "memory not released after the cancel")
	checkEngineWorks(t, e)
}

// checkEngineWorks runs a small query and checks its answer.
func checkEngineWorks(t testing.TB, e *engine.Engine) {
	t.Helper()
	rows, err := e.Query(context.Background(), "SELECT count(*), sum(range) FROM range(100000)")
	require.NoError(t, err)
	require.True(t, rows.Next())
	rec := rows.Record()
	require.Equal(t, "100000", rec.Column(0).ValueStr(0))
	require.Equal(t, "4999950000", rec.Column(1).ValueStr(0))
	require.False(t, rows.Next())
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
}

// noQueryGoroutines fails if a goroutine started after ignore is running.
func noQueryGoroutines(t testing.TB, ignore goleak.Option) {
	t.Helper()
	require.NoError(t, goleak.Find(ignore))
}

// threadCounts are the parallelism levels every hazard runs at.
var threadCounts = []int{1, 2}

func name(threads int) string { return fmt.Sprintf("threads=%d", threads) }
