package operators

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/minisql/minisql/sqlerr"
)

// Group is the query-scoped goroutine group: structured concurrency for one
// query. It is the only place in the executor that may use a go statement
// (a test enforces this).
//
// The first goroutine to fail cancels the group's context, so its siblings
// stop at their next budget check; a panic is recovered into an error naming
// the goroutine; Wait joins every goroutine ever started. A query's Close
// cancels the group and then waits, so no goroutine of a query outlives it.
type Group struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	wg     sync.WaitGroup

	mu  sync.Mutex
	err error

	started atomic.Int64
	running atomic.Int64
}

// NewGroup returns a group whose context is derived from parent.
func NewGroup(parent context.Context) *Group {
	ctx, cancel := context.WithCancelCause(parent)
	return &Group{ctx: ctx, cancel: cancel}
}

// Context is cancelled when the parent is, when Cancel is called, or when a
// goroutine of the group fails.
func (g *Group) Context() context.Context { return g.ctx }

// Go runs fn in a new goroutine of the group. fn must return promptly once
// ctx is done, releasing whatever it holds.
func (g *Group) Go(name string, fn func(ctx context.Context) error) {
	g.wg.Add(1)
	g.started.Add(1)
	g.running.Add(1)
	go func() {
		defer g.wg.Done()
		defer g.running.Add(-1)
		err := g.runRecovered(name, fn)
		if err != nil {
			g.fail(err)
		}
	}()
}

func (g *Group) runRecovered(name string, fn func(ctx context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError(name, r)
		}
	}()
	return fn(g.ctx)
}

// fail records the first error and cancels the siblings. An error that is
// only the echo of an earlier cancellation does not replace the cause.
func (g *Group) fail(err error) {
	g.mu.Lock()
	if g.err == nil && (g.ctx.Err() == nil || context.Cause(g.ctx) != err) {
		if g.ctx.Err() != nil {
			err = context.Cause(g.ctx)
		}
		g.err = err
	}
	g.mu.Unlock()
	g.cancel(err)
}

// Cancel cancels the group's context with the given cause (nil means
// context.Canceled). It does not wait; call Wait for that.
func (g *Group) Cancel(cause error) { g.cancel(cause) }

// Wait blocks until every goroutine of the group has returned and reports
// the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

// Started is the number of goroutines the group has started so far.
func (g *Group) Started() int64 { return g.started.Load() }

// Running is the number of the group's goroutines that have not returned.
func (g *Group) Running() int64 { return g.running.Load() }

// panicError turns a recovered panic into an internal error naming where it
// happened, with the stack for the bug report.
func panicError(where string, r any) error {
	return &sqlerr.Error{Kind: sqlerr.ErrInternal, Pos: sqlerr.NoPos,
		Msg: fmt.Sprintf("panic in %s: %v\n%s", where, r, debug.Stack())}
}
