package csvsrc

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countdownCtx is cancelled after its Err method has been called n times,
// which pins a cancellation to a precise check inside a loop.
type countdownCtx struct {
	context.Context
	left atomic.Int64
}

func (c *countdownCtx) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestCancel(t *testing.T) {
	path := mixedFile(t, 50000)
	tests := []struct {
		name   string
		batch  int
		checks int64 // Err calls before the cancellation
	}{
		{"before first Next", 0, 0},
		{"between batches", 0, 3},
		{"inside a big batch", 40000, 3},
		{"between columns of a big batch", 40000, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open(context.Background(), path, Options{BatchSize: tt.batch})
			require.NoError(t, err)
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			r, err := f.NewReader(f.Chunks(1)[0], nil, mem)
			require.NoError(t, err)
			defer r.Close()
			ctx := &countdownCtx{Context: context.Background()}
			ctx.left.Store(tt.checks)
			rows := 0
			for {
				rec, err := r.Next(ctx)
				if err != nil {
					assert.ErrorIs(t, err, context.Canceled)
					break
				}
				require.NotNil(t, rec, "the file ended before the cancellation")
				rows += int(rec.NumRows())
				rec.Release()
			}
			assert.Less(t, rows, 50000)
			// Sticky.
			rec, err := r.Next(context.Background())
			assert.Nil(t, rec)
			assert.ErrorIs(t, err, context.Canceled)
		})
	}
}

// TestCancelLatency measures from cancel() to Next returning while another
// goroutine is mid-scan.
func TestCancelLatency(t *testing.T) {
	path := mixedFile(t, 200000)
	f, err := Open(context.Background(), path, Options{})
	require.NoError(t, err)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r, err := f.NewReader(f.Chunks(1)[0], nil, mem)
	require.NoError(t, err)
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	rec, err := r.Next(ctx)
	require.NoError(t, err)
	rec.Release()
	var cancelled time.Time
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(2 * time.Millisecond)
		cancelled = time.Now()
		cancel()
	}()
	for {
		rec, err := r.Next(ctx)
		if err != nil {
			<-done
			assert.ErrorIs(t, err, context.Canceled)
			assert.Less(t, time.Since(cancelled), 100*time.Millisecond)
			return
		}
		require.NotNil(t, rec, "the file ended before the cancellation")
		rec.Release()
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	f, err := openString(t, "a.csv", "a\n1\n", Options{})
	require.NoError(t, err)
	r, err := f.NewReader(f.Chunks(1)[0], nil, nil)
	require.NoError(t, err)
	r.Close()
	r.Close()
	rec, err := r.Next(context.Background())
	assert.Nil(t, rec)
	assert.NoError(t, err)
}

// TestCancelOpen cancels Open at each of its context checks in turn.
func TestCancelOpen(t *testing.T) {
	path := mixedFile(t, 100000)
	cancelled := 0
	for k := int64(0); ; k++ {
		ctx := &countdownCtx{Context: context.Background()}
		ctx.left.Store(k)
		_, err := Open(ctx, path, Options{})
		if err == nil {
			break
		}
		require.ErrorIs(t, err, context.Canceled, "check %d", k)
		cancelled++
	}
	assert.Greater(t, cancelled, 10, "Open looks at its context while sampling")
}
