package parquetsrc

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// slowCache is a page cache that has each 4 KiB of data only after
// misses reads of it have found it missing, and hands out at most one
// such block a read, as a disk fills the cache piece by piece.
type slowCache struct {
	data   []byte
	misses int
	seen   map[int64]int
	reads  int
}

func (c *slowCache) read(b []byte, off int64) (int, error) {
	c.reads++
	block := off / 4096
	if c.seen[block] < c.misses {
		c.seen[block]++
		return 0, errNotCached
	}
	end := min(int64(len(c.data)), (block+1)*4096, off+int64(len(b)))
	return copy(b, c.data[off:end]), nil
}

// A piece on its way is waited for, in pieces, until it is all there;
// the reader asks the OS for the rest of the chunk once per read, and
// what it returns is the file's bytes.
func TestReadAtWaitsForPiecesOnTheirWay(t *testing.T) {
	data := make([]byte, 40_000)
	for i := range data {
		data[i] = byte(rand.IntN(256))
	}
	for _, misses := range []int{0, 1, 3} {
		c := &slowCache{data: data, misses: misses, seen: map[int64]int{}}
		waits, advised := 0, 0
		var p pageReader
		p.reset(bytes.NewReader(data), 100, int64(len(data)-100), pageCodec{})
		p.io = chunkIO{
			cached: c.read,
			advise: func(off, n int64) {
				advised++
				require.Equal(t, int64(len(data)), off+n, "the rest of the chunk")
			},
			wait: func(time.Duration) error { waits++; return nil },
		}
		b := make([]byte, 30_000)
		const from = 1000
		n, err := p.readAt(b, from)
		require.NoError(t, err)
		require.Equal(t, len(b), n)
		require.Equal(t, data[from:from+len(b)], b)
		blocks := (from+len(b)-1)/4096 - from/4096 + 1 // the 4 KiB blocks the read spans
		require.Equal(t, misses*blocks, waits, "misses %d", misses)
		if misses > 0 {
			require.Equal(t, 1, advised)
		} else {
			require.Zero(t, advised)
		}
	}
}

// A read whose data never comes stops at the query's cancel, with its
// cause, and checks while it waits.
func TestReadAtCancelledWhileWaiting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	checks := 0
	var p pageReader
	p.reset(bytes.NewReader(make([]byte, 1000)), 0, 1000, pageCodec{})
	p.io = chunkIO{
		cached: func([]byte, int64) (int, error) { return 0, errNotCached },
		wait: func(d time.Duration) error {
			return waitIO(ctx, d, func() error { checks++; return nil })
		},
	}
	time.AfterFunc(5*time.Millisecond, cancel)
	start := time.Now()
	_, err := p.readAt(make([]byte, 100), 0)
	require.True(t, errors.Is(err, context.Canceled), "got %v", err)
	require.Less(t, time.Since(start), 5*time.Second) // generous: only that it stops
	require.Positive(t, checks, "it checked while it waited")
}

// countingCheckpoint is a query task that counts its checks and waits.
type countingCheckpoint struct{ checks, waits int }

func (c *countingCheckpoint) Check() error { c.checks++; return nil }
func (c *countingCheckpoint) Waited()      { c.waits++ }

// A Reader's wait for the disk tells the task's checkpoint that it
// waited, and then checks; NextTask reads as NextChecked does.
func TestReaderWaitTellsTheCheckpoint(t *testing.T) {
	mem := newMem(t)
	path, _ := writeGen(t, 1000, 300)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := f.NewReader(f.AllRowGroups(), []int{0}, 128, mem)
	require.NoError(t, err)
	defer r.Close()
	cp := &countingCheckpoint{}
	rec, err := r.NextTask(context.Background(), cp)
	require.NoError(t, err)
	require.EqualValues(t, 128, rec.NumRows())
	rec.Release()
	checks := cp.checks
	require.Positive(t, checks)

	r.check, r.waited, r.ctx = cp.Check, cp.Waited, context.Background()
	require.NoError(t, r.waitIO(time.Microsecond))
	require.Equal(t, 1, cp.waits)
	require.Equal(t, checks+1, cp.checks)
}
