package operators

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
)

// Gather is the exchange that makes a pipeline parallel: it runs several
// instances of the same operator subtree (each scanning its share of
// morsels) on goroutines of the query's Group and merges their batches into
// one stream, in no particular order.
//
// The workers start at the first Next, not at Open: a plan opens every
// input of a UNION ALL (and both sides of a join) at once, and starting
// every gather there would put threads × inputs goroutines on the CPUs
// together, each waiting its turn behind the others to see a cancel.
//
// Every send selects on the gather's context, so a worker never blocks on
// a consumer that has gone; a batch that could not be sent is released by
// the worker. Close cancels the workers, drains and releases what is in
// the channel, and returns only when every worker has returned and closed
// its instance.
type Gather struct {
	schema    *arrow.Schema
	instances []Operator
	desc      string

	ctx     context.Context
	cancel  context.CancelCauseFunc
	ch      chan arrow.Record
	live    atomic.Int32 // workers still running
	done    chan struct{}
	task    *Task
	opened  bool
	started bool
	closed  bool
	rows    []atomic.Int64 // per worker, for EXPLAIN ANALYZE
	busy    []atomic.Int64 // per worker: ns spent producing (not waiting to send)

	mu  sync.Mutex
	err error
}

var _ Operator = (*Gather)(nil)

// NewGather runs the given instances in parallel. They must have the same
// schema and share their sources' morsels.
func NewGather(instances []Operator, desc string) *Gather {
	return &Gather{schema: instances[0].Schema(), instances: instances, desc: desc,
		rows: make([]atomic.Int64, len(instances)), busy: make([]atomic.Int64, len(instances))}
}

func (g *Gather) Schema() *arrow.Schema { return g.schema }

func (g *Gather) Open(t *Task) error {
	g.opened, g.task = true, t
	g.ctx, g.cancel = context.WithCancelCause(t.Context())
	return nil
}

// start runs the workers on the query's group.
func (g *Gather) start() {
	g.started = true
	t := g.task
	g.ch = make(chan arrow.Record, 2*len(g.instances))
	g.done = make(chan struct{})
	g.live.Store(int32(len(g.instances)))
	for i, inst := range g.instances {
		wt := t.Fork(g.ctx)
		t.Group().Go(fmt.Sprintf("gather worker %d", i), func(ctx context.Context) error {
			defer g.workerDone()
			defer inst.Close()
			if err := g.run(wt, i, inst); err != nil {
				g.fail(err)
			}
			return nil // the consumer reports the error; the query goes on to Close
		})
	}
}

func (g *Gather) run(t *Task, i int, inst Operator) error {
	if err := inst.Open(t); err != nil {
		return err
	}
	for {
		start := time.Now()
		rec, err := inst.Next(t)
		g.busy[i].Add(int64(time.Since(start)))
		if err != nil || rec == nil {
			return err
		}
		g.rows[i].Add(rec.NumRows())
		select {
		case g.ch <- rec:
			t.waited() // blocked on a full channel, watching ctx: not unchecked work
		case <-g.ctx.Done():
			rec.Release() // nobody will read it
			return nil
		}
	}
}

func (g *Gather) workerDone() {
	if g.live.Add(-1) == 0 {
		close(g.ch) // the last worker closes: nothing sends after this
		close(g.done)
	}
}

// fail records the first worker error and stops the others.
func (g *Gather) fail(err error) {
	g.mu.Lock()
	if g.err == nil && g.ctx.Err() == nil {
		g.err = err
	}
	g.mu.Unlock()
	g.cancel(err)
}

func (g *Gather) firstErr() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

func (g *Gather) Next(t *Task) (arrow.Record, error) {
	if err := t.Check(); err != nil {
		return nil, err
	}
	if !g.started {
		g.start()
	}
	defer t.waited()
	select {
	case rec, ok := <-g.ch:
		if ok {
			return rec, nil
		}
		// Every worker has returned. They stop early only on an error or
		// a cancellation: then the stream is incomplete, not finished.
		if err := g.firstErr(); err != nil {
			return nil, err
		}
		if g.ctx.Err() != nil {
			return nil, context.Cause(g.ctx)
		}
		return nil, nil
	case <-g.ctx.Done():
		if err := g.firstErr(); err != nil {
			return nil, err
		}
		return nil, context.Cause(t.Context())
	}
}

// Close stops and joins the workers; it releases every batch still queued.
func (g *Gather) Close() error {
	if g.closed {
		return nil
	}
	g.closed = true
	if g.opened {
		g.cancel(errGatherClosed)
	}
	if !g.started {
		var first error
		for _, inst := range g.instances {
			if err := inst.Close(); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	for rec := range g.ch { // until the last worker closes it
		rec.Release()
	}
	<-g.done
	return nil
}

var errGatherClosed = fmt.Errorf("gather closed")

func (g *Gather) Describe() Description {
	detail := fmt.Sprintf("%d workers", len(g.instances))
	if g.started {
		parts := make([]string, len(g.rows))
		for i := range g.rows {
			parts[i] = fmt.Sprint(g.rows[i].Load())
		}
		times := make([]string, len(g.busy))
		for i := range g.busy {
			times[i] = time.Duration(g.busy[i].Load()).Round(100 * time.Microsecond).String()
		}
		detail += ", rows per worker [" + strings.Join(parts, " ") + "], busy per worker [" + strings.Join(times, " ") + "]"
	}
	if g.desc != "" {
		detail += " " + g.desc
	}
	return Description{Name: "Gather", Detail: detail, Children: g.instances[:1]}
}
