package tpchgen

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// latencyBound is the generous bound the cancellation tests assert (the
// measured figures are logged): machines are noisy and -race is slow.
func latencyBound(d time.Duration) time.Duration {
	if raceEnabled {
		return 10 * d
	}
	return d
}

// TestNextCancelledMidBatch cancels a Next that is building a batch of
// 256Ki lineitem rows (about 50 ms of work) and expects it back promptly,
// with every buffer released.
func TestNextCancelledMidBatch(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	g, err := NewGenerator("lineitem", Options{SF: 1000, BatchSize: 1 << 18, Mem: mem}, 0, 1)
	require.NoError(t, err)
	defer g.Close()

	ctx, cancel := context.WithCancel(context.Background())
	var cancelled time.Time
	timer := time.AfterFunc(20*time.Millisecond, func() {
		cancelled = time.Now()
		cancel()
	})
	defer timer.Stop()
	rec, err := g.Next(ctx)
	returned := time.Now()
	require.Nil(t, rec)
	require.ErrorIs(t, err, context.Canceled)
	latency := returned.Sub(cancelled)
	t.Logf("Next returned %v after cancel", latency)
	assert.Less(t, latency, latencyBound(50*time.Millisecond))

	// The error is sticky; Close is idempotent; after Close the stream ends.
	_, err = g.Next(context.Background())
	require.ErrorIs(t, err, context.Canceled)
	g.Close()
	g.Close()
	rec, err = g.Next(context.Background())
	require.NoError(t, err)
	require.Nil(t, rec)
}

func TestNextCancelledBeforeStart(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	g, err := NewGenerator("orders", Options{SF: 0.01, Mem: mem}, 0, 1)
	require.NoError(t, err)
	defer g.Close()
	ctx, cancel := context.WithTimeout(context.Background(), -time.Second)
	defer cancel()
	_, err = g.Next(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestGenerateCancelled cancels a full SF 1 Generate and expects a prompt
// context.Canceled, every goroutine joined, every buffer released and no
// file left behind.
func TestGenerateCancelled(t *testing.T) {
	for _, tc := range []struct {
		name     string
		format   string
		parallel bool
		after    time.Duration
	}{
		{"parquet parallel early", FormatParquet, true, 5 * time.Millisecond},
		{"parquet parallel", FormatParquet, true, 150 * time.Millisecond},
		{"parquet sequential", FormatParquet, false, 150 * time.Millisecond},
		{"csv parallel", FormatCSV, true, 150 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var spawn func(string, func(context.Context) error)
			wait := func() error { return nil }
			if tc.parallel {
				spawn, wait = testGroup(ctx)
			}
			var cancelled time.Time
			timer := time.AfterFunc(tc.after, func() {
				cancelled = time.Now()
				cancel()
			})
			defer timer.Stop()
			_, err := Generate(ctx, dir, Options{SF: 1, Mem: mem}, tc.format, spawn)
			latency := time.Since(cancelled)
			require.ErrorIs(t, err, context.Canceled)
			t.Logf("Generate returned %v after cancel", latency)
			assert.Less(t, latency, latencyBound(200*time.Millisecond))
			werr := wait()
			require.True(t, werr == nil || errors.Is(werr, context.Canceled), "group error %v", werr)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, entries, "partial files are removed")
		})
	}
}

// TestGenerateError: a table that cannot be written fails the whole run and
// cancels the others; nothing is left behind.
func TestGenerateError(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	// A non-empty directory where lineitem's temporary file should go makes
	// its creation fail.
	require.NoError(t, os.MkdirAll(dir+"/lineitem.parquet.partial/x", 0o755))
	spawn, wait := testGroup(context.Background())
	_, err := Generate(context.Background(), dir, Options{SF: 0.1, Mem: mem}, FormatParquet, spawn)
	require.Error(t, err)
	require.False(t, errors.Is(err, context.Canceled), "the root cause is reported, not the cancellations: %v", err)
	require.Error(t, wait())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1) // only the obstacle
}
