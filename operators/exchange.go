package operators

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
)

// exchange is what Gather and PartitionedAggregate share: workers on the
// query's Group that send batches to one consumer.
//
// The workers start at the consumer's first Next, not at Open: a plan
// opens every input of a UNION ALL (and both sides of a join) at once, and
// starting every exchange there would put threads × inputs goroutines on
// the CPUs together, each waiting its turn behind the others to see a
// cancel. Every send selects on the exchange's context, so a worker never
// blocks on a consumer that has gone; a batch it could not send it
// releases. stop cancels the workers, drains and releases what is queued,
// and returns only when every worker has returned.
type exchange struct {
	ctx     context.Context
	cancel  context.CancelCauseFunc
	ch      chan arrow.Record
	live    atomic.Int32 // workers still running
	done    chan struct{}
	task    *Task
	opened  bool
	started bool
	closed  bool

	mu  sync.Mutex
	err error
}

var errExchangeClosed = fmt.Errorf("exchange closed")

func (x *exchange) open(t *Task) {
	x.opened, x.task = true, t
	x.ctx, x.cancel = context.WithCancelCause(t.Context())
}

// startWorkers runs run(t, i) for each i < n on the query's Group, each
// with its own task on the exchange's context. A worker's error is
// recorded and stops the others; the consumer reports it.
func (x *exchange) startWorkers(name string, n int, run func(t *Task, i int) error) {
	x.started = true
	x.ch = make(chan arrow.Record, 2*n)
	x.done = make(chan struct{})
	x.live.Store(int32(n))
	for i := range n {
		wt := x.task.Fork(x.ctx)
		x.task.Group().Go(fmt.Sprintf("%s %d", name, i), func(context.Context) error {
			wt.begin()
			defer x.workerDone()
			if err := run(wt, i); err != nil {
				x.fail(err)
			}
			return nil // the consumer reports the error; the query goes on to Close
		})
	}
}

// send hands rec to the consumer; false (rec released) when the exchange
// is stopping.
func (x *exchange) send(t *Task, rec arrow.Record) bool {
	select {
	case x.ch <- rec:
		t.waited() // blocked on a full channel, watching ctx: not unchecked work
		return true
	case <-x.ctx.Done():
		rec.Release() // nobody will read it
		return false
	}
}

func (x *exchange) workerDone() {
	if x.live.Add(-1) == 0 {
		close(x.ch) // the last worker closes: nothing sends after this
		close(x.done)
	}
}

// fail records the first worker error and stops the others.
func (x *exchange) fail(err error) {
	x.mu.Lock()
	if x.err == nil && x.ctx.Err() == nil {
		x.err = err
	}
	x.mu.Unlock()
	x.cancel(err)
}

func (x *exchange) firstErr() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.err
}

// receive is the consumer's Next once the workers run.
func (x *exchange) receive(t *Task) (arrow.Record, error) {
	defer t.waited()
	select {
	case rec, ok := <-x.ch:
		if ok {
			return rec, nil
		}
		// Every worker has returned. They stop early only on an error or
		// a cancellation: then the stream is incomplete, not finished.
		if err := x.firstErr(); err != nil {
			return nil, err
		}
		if x.ctx.Err() != nil {
			return nil, context.Cause(x.ctx)
		}
		return nil, nil
	case <-x.ctx.Done():
		if err := x.firstErr(); err != nil {
			return nil, err
		}
		return nil, context.Cause(t.Context())
	}
}

// stop is the operator's Close: it cancels and joins the workers and
// releases what they queued. Before any worker started, it closes the
// operator's inputs itself.
func (x *exchange) stop(inputs []Operator) error {
	if x.closed {
		return nil
	}
	x.closed = true
	if x.opened {
		x.cancel(errExchangeClosed)
	}
	if !x.started {
		var first error
		for _, in := range inputs {
			if err := in.Close(); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	for rec := range x.ch { // until the last worker closes it
		rec.Release()
	}
	<-x.done
	return nil
}
