package tpchgen

import (
	"context"

	"github.com/apache/arrow/go/v17/arrow"
)

// spawnFunc runs fn on a goroutine of the caller's structured-concurrency
// group (see Generate).
type spawnFunc func(name string, fn func(context.Context) error)

// prefetcher runs a Generator on a helper goroutine, one or two records
// ahead of the consumer, so generating a table and encoding it overlap on
// two cores.
//
// Ownership: a record belongs to the producer until the channel send
// succeeds, then to the consumer. A producer that cannot send (cancelled)
// releases the record itself; stop drains and releases whatever is left
// in the channel and waits for the producer to exit, so nothing outlives
// the call that started it.
type prefetcher struct {
	recs   chan arrow.Record
	cancel context.CancelCauseFunc
	done   chan struct{} // closed when the producer has exited
	err    error         // the producer's error; read only after done
}

func startPrefetch(ctx context.Context, name string, g *Generator, spawn spawnFunc) *prefetcher {
	ctx, cancel := context.WithCancelCause(ctx)
	p := &prefetcher{recs: make(chan arrow.Record, 2), cancel: cancel, done: make(chan struct{})}
	spawn("tpchgen "+name+" producer", func(context.Context) error {
		// ctx (not the group's) is watched: it is cancelled by the group's
		// context, by the caller, and by stop.
		defer close(p.done)
		defer close(p.recs)
		for {
			rec, err := g.Next(ctx)
			if err != nil || rec == nil {
				p.err = err
				return nil // the consumer reports the error
			}
			select {
			case p.recs <- rec:
			case <-ctx.Done():
				rec.Release()
				p.err = context.Cause(ctx)
				return nil
			}
		}
	})
	return p
}

// next returns the next record, (nil, nil) at the end, or the producer's
// error.
func (p *prefetcher) next(ctx context.Context) (arrow.Record, error) {
	select {
	case rec, ok := <-p.recs:
		if ok {
			return rec, nil
		}
		<-p.done
		return nil, p.err
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// stop ends the producer, releases the records it queued and waits for it
// to exit. The wait is short: the producer checks its context between
// chunks of rows and never blocks on a send once it is cancelled.
func (p *prefetcher) stop() {
	p.cancel(nil)
	for rec := range p.recs {
		rec.Release()
	}
	<-p.done
}
