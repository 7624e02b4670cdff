package operators

import (
	"context"

	"github.com/apache/arrow/go/v17/arrow"
)

// Blocking is implemented by sources whose reads may block for a long time
// in a call that does not look at the context (a slow network file system,
// a pipe). Scans of such a source read through a prefetching goroutine.
type Blocking interface {
	MayBlock() bool
}

// prefetcher reads a scan's units on a goroutine of the query's group and
// hands the batches over a channel, so the scan's Next waits in a select
// that also watches the context: a cancelled query returns at once even
// while a read is stuck.
//
// A read that cannot be interrupted is not abandoned: the goroutine stays
// tracked by the group, Close waits for it (it returns when the read does,
// and releases what it read), and only then is the query over. It is
// joined, never forgotten.
type prefetcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	ch     chan prefetched
	done   chan struct{}
}

type prefetched struct {
	rec arrow.Record
	err error
}

func startPrefetch(t *Task, s *Scan) *prefetcher {
	ctx, cancel := context.WithCancel(t.Context())
	p := &prefetcher{ctx: ctx, cancel: cancel, ch: make(chan prefetched, 1), done: make(chan struct{})}
	wt := t.Fork(ctx)
	t.Group().Go("scan prefetch "+s.src.Describe(), func(context.Context) error {
		wt.begin()
		defer close(p.done)
		defer close(p.ch)
		for {
			rec, err := s.read(wt)
			if rec == nil && err == nil {
				return nil
			}
			select {
			case p.ch <- prefetched{rec, err}:
				wt.waited() // blocked on the scan, watching ctx: not unchecked work
				if err != nil {
					return nil
				}
			case <-ctx.Done():
				if rec != nil {
					rec.Release()
				}
				return nil
			}
		}
	})
	return p
}

// next waits for the next batch or the end of the context.
func (p *prefetcher) next(t *Task) (arrow.Record, error) {
	defer t.waited()
	select {
	case r, ok := <-p.ch:
		if !ok {
			if p.ctx.Err() != nil { // stopped early: the stream is incomplete
				return nil, context.Cause(p.ctx)
			}
			return nil, nil
		}
		return r.rec, r.err
	case <-t.Context().Done():
		return nil, t.Check()
	}
}

// stop cancels the prefetcher and waits for its goroutine, releasing what
// it had read.
func (p *prefetcher) stop() {
	p.cancel()
	for r := range p.ch {
		if r.rec != nil {
			r.rec.Release()
		}
	}
	<-p.done
}

// mayBlock reports whether src (or the source it wraps) may block.
func mayBlock(src Source) bool {
	b, ok := src.(Blocking)
	return ok && b.MayBlock()
}
