package engine

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/binder"
	"github.com/minisql/minisql/planner/optimizer"
	"github.com/minisql/minisql/planner/physical"
)

// Rows is the result stream of one statement. It implements
// array.RecordReader. It is not safe for concurrent use, except that the
// query's context may be cancelled from anywhere at any time.
type Rows struct {
	refs   atomic.Int64
	schema *arrow.Schema

	plan   *physical.Plan
	task   *operators.Task
	group  *operators.Group
	cancel context.CancelCauseFunc
	ctx    context.Context

	cur      arrow.Record
	err      error
	done     bool
	closed   bool
	closeErr error
	release  func() // gives the query's admission slot back

	message  string
	affected int64
	started  time.Time
	cancelAt atomic.Int64 // unix ns when the context was cancelled
	stats    QueryStats
	mem      *operators.MemTracker
}

var _ array.RecordReader = (*Rows)(nil)

// QueryStats describe a finished (or cancelled) query.
type QueryStats struct {
	Rows        int64
	Elapsed     time.Duration
	Operators   int
	Workers     int64 // goroutines the query started (all joined at Close)
	MaxStretch  time.Duration
	MaxOnCPU    time.Duration // MaxStretch without preemption (a bound)
	Checks      int64
	CancelAt    time.Time // when the context was cancelled, if it was
	QuiescentAt time.Time // when Close had joined and released everything
	PeakMemory  int64     // the most memory (bytes) the query held at once
}

// errClosed is the cause recorded when Rows.Close cancels a query that was
// still running.
var errClosed = errors.New("result closed")

// TimeoutError is the cause of a query stopped by statement_timeout.
type TimeoutError struct{ Timeout time.Duration }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("canceled: statement timeout (%s) exceeded", e.Timeout)
}

// Unwrap makes errors.Is(err, context.DeadlineExceeded) hold.
func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// startQuery optimizes and builds a plan and opens it.
func (s *Session) startQuery(ctx context.Context, q *binder.Query, settings Settings, start time.Time) (*Rows, error) {
	mem := newQueryMemory(s.eng.mem, settings)
	p, err := buildPlan(q, physical.Options{BatchSize: settings.BatchSize, Mem: mem.alloc, Threads: settings.Threads, MorselRows: settings.MorselRows})
	if err != nil {
		return nil, err
	}
	if err := s.eng.acquire(ctx); err != nil {
		p.Root.Close()
		return nil, err
	}
	r := newRows(ctx, s, p, settings, start, mem)
	r.release = s.eng.release
	if err := r.open(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// queryMemory is a query's allocator, which counts every Arrow buffer in
// the query's tracker.
type queryMemory struct {
	alloc   memory.Allocator
	tracker *operators.MemTracker
}

func newQueryMemory(base memory.Allocator, settings Settings) queryMemory {
	t := operators.NewMemTracker(settings.MemoryLimit)
	return queryMemory{alloc: operators.NewTrackedAllocator(base, t), tracker: t}
}

func newRows(ctx context.Context, s *Session, p *physical.Plan, settings Settings, start time.Time, mem queryMemory) *Rows {
	qctx, cancel := context.WithCancelCause(ctx)
	r := &Rows{plan: p, started: start, cancel: cancel, mem: mem.tracker}
	r.refs.Store(1)
	if settings.StatementTimeout > 0 {
		var stop context.CancelFunc
		qctx, stop = context.WithTimeoutCause(qctx, settings.StatementTimeout, &TimeoutError{settings.StatementTimeout})
		r.cancel = func(cause error) { cancel(cause); stop() }
	}
	r.ctx = qctx
	context.AfterFunc(qctx, func() { r.cancelAt.Store(time.Now().UnixNano()) })
	r.group = operators.NewGroup(qctx)
	opts := []operators.TaskOption{operators.WithGroup(r.group), operators.WithMemTracker(mem.tracker), operators.WithMappings(s.eng.maps), operators.WithPagePool(s.eng.pages)}
	if !settings.CancelChecks {
		opts = append(opts, operators.WithoutChecks())
	}
	if settings.CPUBounds {
		opts = append(opts, operators.WithCPUBounds())
	}
	r.task = operators.NewTask(r.group.Context(), mem.alloc, opts...)
	if p != nil {
		r.schema = p.Root.Schema()
		r.stats.Operators = len(p.Nodes)
	} else {
		r.schema = arrow.NewSchema(nil, nil)
	}
	return r
}

func (r *Rows) open() error {
	if r.plan == nil {
		return nil
	}
	return r.fail(r.plan.Root.Open(r.task))
}

// fail records err (normalised so a cancelled query reports the context's
// cause) and returns it.
func (r *Rows) fail(err error) error {
	if err == nil {
		return nil
	}
	if r.ctx.Err() != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w (%v)", context.Cause(r.ctx), err)
	}
	r.err = err
	r.done = true
	return err
}

// Schema is the schema of every record.
func (r *Rows) Schema() *arrow.Schema { return r.schema }

// Next advances to the next record batch. It returns false at the end or
// on error (see Err).
func (r *Rows) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.done || r.closed || r.plan == nil {
		return false
	}
	r.task.Resume()
	rec, err := r.plan.Root.Next(r.task)
	if err != nil {
		r.fail(err)
		return false
	}
	if rec == nil {
		r.done = true
		return false
	}
	r.stats.Rows += rec.NumRows()
	r.cur = rec
	return true
}

// Record returns the current batch. It is valid until the next call to
// Next or Close; Retain it to keep it longer.
func (r *Rows) Record() arrow.Record { return r.cur }

// Err returns the error that ended the stream, if any.
func (r *Rows) Err() error { return r.err }

// Message says what a statement without rows did ("CREATE TABLE", ...).
func (r *Rows) Message() string { return r.message }

// Close stops the query if it is still running, closes every operator,
// waits for every goroutine of the query and releases the current batch.
// It is idempotent and returns the first error of the teardown.
func (r *Rows) Close() error {
	if r.closed {
		return r.closeErr
	}
	r.closed = true
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	r.cancel(errClosed)
	var err error
	if r.plan != nil {
		err = r.plan.Root.Close()
	}
	if gerr := r.group.Wait(); err == nil && gerr != nil && !errors.Is(gerr, errClosed) &&
		!errors.Is(gerr, context.Canceled) && !errors.Is(gerr, context.DeadlineExceeded) {
		err = gerr
	}
	r.stats.QuiescentAt = time.Now()
	if ns := r.cancelAt.Load(); ns != 0 && !r.done {
		r.stats.CancelAt = time.Unix(0, ns)
	}
	r.stats.Elapsed = r.stats.QuiescentAt.Sub(r.started)
	r.stats.Workers = r.group.Started()
	ts := r.task.Stats()
	r.stats.Checks, r.stats.MaxStretch, r.stats.MaxOnCPU = ts.Checks, ts.MaxStretch, ts.MaxOnCPU
	r.stats.PeakMemory = r.mem.Peak()
	r.closeErr = err
	r.task.ReleasePages() // every operator is closed, every goroutine returned
	if r.release != nil {
		r.release() // only now: every goroutine of the query has returned
	}
	return err
}

// Progress returns the input rows read so far and the rows expected in
// all (an estimate; 0 when unknown). Safe to call from any goroutine while
// the query runs.
func (r *Rows) Progress() (done, total int64) {
	if r.plan == nil || r.plan.Progress == nil {
		return 0, 0
	}
	return r.plan.Progress.Load()
}

// Cancel cancels the running query from any goroutine; the next Next
// returns false and Err reports the cause (context.Canceled by default).
func (r *Rows) Cancel(cause error) { r.cancel(cause) }

// OperatorStat is one operator's figures (of every parallel instance).
type OperatorStat struct {
	Name    string
	Detail  string
	Metrics operators.Metrics
}

// OperatorStats returns every operator's figures: rows, batches, time,
// context checks and the longest stretch between two checks. Complete
// after Close.
func (r *Rows) OperatorStats() []OperatorStat {
	if r.plan == nil {
		return nil
	}
	out := make([]OperatorStat, len(r.plan.Nodes))
	for i, n := range r.plan.Nodes {
		d := n.Describe()
		out[i] = OperatorStat{Name: d.Name, Detail: d.Detail, Metrics: n.Metrics}
	}
	return out
}

// Stats describes the query; complete after Close.
func (r *Rows) Stats() QueryStats { return r.stats }

// Retain and Release implement array.RecordReader; the last Release closes.
func (r *Rows) Retain() { r.refs.Add(1) }

// Release drops a reference; at zero the Rows are closed.
func (r *Rows) Release() {
	if r.refs.Add(-1) == 0 {
		r.Close()
	}
}

// messageRows returns a Rows for a statement that produced no rows.
func messageRows(ctx context.Context, s *Session, msg string, affected int64) *Rows {
	r := newRows(ctx, s, nil, s.Settings(), time.Now(), queryMemory{alloc: s.eng.mem})
	r.message, r.affected, r.done = msg, affected, true
	return r
}

// buildPlan optimizes a bound query and builds its operators, a panic on
// the way included.
func buildPlan(q *binder.Query, opts physical.Options) (p *physical.Plan, err error) {
	defer recoverPlanning(&err)
	return physical.Build(optimizer.Optimize(q.Plan), opts)
}
