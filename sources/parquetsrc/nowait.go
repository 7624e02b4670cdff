package parquetsrc

import (
	"context"
	"errors"
	"time"
)

// A column chunk that is not in the page cache is a disk read, and a
// plain read waits for it inside the system call, where no check can
// look at the query's context: cold scans on the CI VMs waited up to 14
// ms between two checks for one 64 KiB piece. So the reader asks the OS
// for the chunks of a row group as it starts (willNeed), reads each piece
// only from memory (readCached: RWF_NOWAIT on Linux), and while a piece
// is still on its way waits a little in a select on the context, with a
// check after each wait, and tries again. Warm files, the common case,
// read as before: the first try gets everything.

// errNotCached says that a read found none of its bytes in memory.
var errNotCached = errors.New("not in the page cache")

const (
	// firstIOWait and maxIOWait bound each wait for a piece on its way:
	// short first (a piece already under way arrives in tens of
	// microseconds), never long enough to be a stretch of its own.
	firstIOWait = 20 * time.Microsecond
	maxIOWait   = 250 * time.Microsecond
)

// cachedReader reads what of [off, off+len(b)) is in memory without
// waiting for a disk: n bytes, or errNotCached when none are. At the end
// of the file it returns what there is and io.EOF.
type cachedReader func(b []byte, off int64) (int, error)

// chunkIO is how a pageReader reads the file when it can do better than
// ReadAt: every field nil means ReadAt alone.
type chunkIO struct {
	cached cachedReader
	advise func(off, n int64)        // willNeed on the file
	wait   func(time.Duration) error // waitIO with the Next call's context and check
}

// readAt fills b from off like io.ReaderAt, through p.io.cached when the
// source has it, waiting with p.io.wait while pieces are on their way.
func (p *pageReader) readAt(b []byte, off int64) (int, error) {
	if p.io.cached == nil || p.io.wait == nil {
		return p.src.ReadAt(b, off)
	}
	n, pause, asked := 0, firstIOWait, false
	for n < len(b) {
		k, err := p.io.cached(b[n:], off+int64(n))
		n += k
		switch {
		case errors.Is(err, errNotCached):
			if !asked && p.io.advise != nil {
				// The row group's start asked for its chunks already;
				// ask again for what is left of this one, in case the
				// OS dropped it since.
				p.io.advise(off+int64(n), p.end-off-int64(n))
				asked = true
			}
			if err := p.io.wait(pause); err != nil {
				return n, err
			}
			pause = min(2*pause, maxIOWait)
		case err != nil:
			return n, err
		case k > 0:
			pause = firstIOWait
		}
	}
	return n, nil
}

// waitIO waits d, or less if ctx is done first, and then checks: the
// wait is in a select on the context, and the check after it counts it.
func waitIO(ctx context.Context, d time.Duration, check func() error) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
	}
	if check != nil {
		return check()
	}
	return nil
}
