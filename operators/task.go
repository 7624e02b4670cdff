package operators

import (
	"context"
	"github.com/minisql/minisql/osmem"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
)

// DefaultQuantum is the number of budget units (rows of work) a Task spends
// between two looks at its context. At a few ns per unit that is a check
// every few microseconds: cheap enough to be free, frequent enough that a
// cancelled query stops within a millisecond.
const DefaultQuantum = 4096

// Task is the execution context of one goroutine that drives a pipeline,
// like a tokio task in DataFusion: the query's context, a cooperative work
// budget, the query's allocator and the task's cancellation metrics.
//
// A Task is not safe for concurrent use: every goroutine of a query gets its
// own (see Fork).
type Task struct {
	ctx     context.Context
	group   *Group
	mem     taskMemory
	quantum int
	budget  int
	checks  bool // false only in the overhead benchmark
	bounds  bool // bound stretches' time on the CPU (WithCPUBounds)

	lastCheck time.Time
	lastYield time.Time
	sample    threadSample // the thread's clocks, for onCPU
	cores     coreProbe    // whether a yield would let anything run
	cur       *Metrics     // the operator whose Next is running, for attribution
	pages     *paged.Lease // full state pages, while a phase leases them (see TakePage)
	own       *paged.Lease // full state pages taken outside a phase, from the query's pool
	curName   func() string
	stats     TaskStats
}

// taskMemory is the query's allocator and the tracker of its memory.
type taskMemory struct {
	alloc   memory.Allocator
	tracker *MemTracker
	maps    *osmem.Pool // the engine's kept hash-table mappings, or nil
	pages   *queryPages // the engine's kept state pages, or nil
}

// TaskStats are a task's cancellation figures.
type TaskStats struct {
	Checks     int64         // number of context checks
	MaxStretch time.Duration // longest time between two checks
	// MaxOnCPU bounds the time on the CPU of every stretch between two
	// checks (see onCPU): MaxStretch without the time the thread was
	// preempted.
	MaxOnCPU time.Duration
}

// TaskOption configures a Task.
type TaskOption func(*Task)

// WithQuantum sets the number of budget units between context checks.
func WithQuantum(n int) TaskOption {
	return func(t *Task) {
		if n > 0 {
			t.quantum = n
		}
	}
}

// WithMemTracker makes the task's checks enforce the tracker's limit.
func WithMemTracker(m *MemTracker) TaskOption { return func(t *Task) { t.mem.tracker = m } }

// WithMappings gives the task the engine's pool of hash-table mappings
// (osmem.Pool), which its hash tables take their slot arrays from and
// give them back to.
func WithMappings(p *osmem.Pool) TaskOption { return func(t *Task) { t.mem.maps = p } }

// WithPagePool makes the state the query's operators grow in pages
// (paged.Vec) take its full pages from p, the engine's pool, and give them
// back when the query ends (ReleasePages).
func WithPagePool(p *paged.Pool) TaskOption {
	return func(t *Task) { t.mem.pages = &queryPages{pool: p} }
}

// PagePool returns the engine's pool of state pages, or nil.
func (t *Task) PagePool() *paged.Pool {
	if t.mem.pages == nil {
		return nil
	}
	return t.mem.pages.pool
}

// ReleasePages gives every state page the query's tasks took from the
// engine's pool back to it. Call it once, when the query's operators are
// closed and its goroutines have returned: nothing may use them after.
func (t *Task) ReleasePages() {
	if t.mem.pages != nil {
		t.mem.pages.release()
	}
}

// Mappings returns the engine's pool of hash-table mappings, or nil.
func (t *Task) Mappings() *osmem.Pool { return t.mem.maps }

// WithGroup gives the task the query's goroutine group, through which
// exchange operators start their workers.
func WithGroup(g *Group) TaskOption { return func(t *Task) { t.group = g } }

// WithoutChecks disables context checks. It exists only so that a benchmark
// can measure what the checks cost; a query run this way cannot be cancelled.
func WithoutChecks() TaskOption { return func(t *Task) { t.checks = false } }

// WithCPUBounds makes the task bound each long stretch's time on the CPU
// (oncpu.go), for EXPLAIN ANALYZE. It reads the thread's clocks, three
// system calls, every sampleEvery: on the VMs CI runs on they cost some
// 3 µs together, 2% of a CPU-bound query, so a plain query does without.
func WithCPUBounds() TaskOption { return func(t *Task) { t.bounds = true } }

// NewTask returns a task bound to ctx that allocates from mem.
func NewTask(ctx context.Context, mem memory.Allocator, opts ...TaskOption) *Task {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	t := &Task{ctx: ctx, mem: taskMemory{alloc: mem}, quantum: DefaultQuantum, checks: true, lastCheck: time.Now()}
	for _, o := range opts {
		o(t)
	}
	t.budget = t.quantum
	t.resample(t.lastCheck, true)
	return t
}

// Fork returns a new task for another goroutine of the same query, with the
// given context (usually the query group's) and the same settings.
func (t *Task) Fork(ctx context.Context) *Task {
	n := &Task{ctx: ctx, group: t.group, mem: t.mem, quantum: t.quantum, checks: t.checks, bounds: t.bounds, lastCheck: time.Now()}
	n.budget = n.quantum
	return n
}

// begin starts a forked task's first stretch on its own goroutine, which
// may have waited for a core since Fork.
func (t *Task) begin() {
	t.lastCheck = time.Now()
	t.resample(t.lastCheck, true)
}

// Context returns the query's context.
func (t *Task) Context() context.Context { return t.ctx }

// Group returns the query's goroutine group. A task without one (a test
// driving an operator directly) gets a group of its own on first use; the
// caller then owns waiting for it.
func (t *Task) Group() *Group {
	if t.group == nil {
		t.group = NewGroup(t.ctx)
	}
	return t.group
}

// Alloc returns the query's allocator. Every buffer a query creates comes
// from it, which is how leak checks and memory limits see them.
func (t *Task) Alloc() memory.Allocator { return t.mem.alloc }

// TakePage lends the full pages of the state operators grow (paged.Vec)
// from the lease of the phase the task is running, when there is one (see
// PartitionedAggregate), so that a later phase can reuse them; otherwise
// from the engine's pool until the query ends; without either it returns
// nil and the page is made as usual. The bool reports a new page, known to
// be zero (paged.PageSource): a reused one the taker clears.
func (t *Task) TakePage() ([]uint64, bool) {
	switch {
	case t == nil:
		return nil, false
	case t.pages != nil:
		return t.pages.TakePage()
	case t.mem.pages == nil:
		return nil, false
	}
	if t.own == nil {
		t.own = t.mem.pages.lease()
	}
	return t.own.TakePage()
}

// Memory returns the query's memory tracker (nil when untracked).
func (t *Task) Memory() *MemTracker { return t.mem.tracker }

// Stats returns the task's cancellation figures so far.
func (t *Task) Stats() TaskStats { return t.stats }

// Spend consumes units of budget (rows hashed, compared, copied, ...). When
// the budget is used up it checks the context and refills. It returns the
// context's cause once the query is cancelled or past its deadline.
func (t *Task) Spend(units int) error {
	t.budget -= units
	if t.budget > 0 {
		return nil
	}
	return t.Check()
}

// Check looks at the context now, whatever the budget, and refills it.
// Blocking operations and the start of a Next call use it directly.
func (t *Task) Check() error {
	t.budget = t.quantum
	if !t.checks {
		return nil
	}
	now := time.Now()
	stretch := now.Sub(t.lastCheck)
	onCPU := t.onCPU(stretch)
	t.lastCheck = now
	t.resample(now, false)
	t.stats.Checks++
	t.stats.MaxStretch = max(t.stats.MaxStretch, stretch)
	t.stats.MaxOnCPU = max(t.stats.MaxOnCPU, onCPU)
	if m := t.cur; m != nil {
		m.Checks++
		m.MaxStretch = max(m.MaxStretch, stretch)
		m.MaxOnCPU = max(m.MaxOnCPU, onCPU)
	}
	if t.ctx.Err() != nil {
		return context.Cause(t.ctx)
	}
	if now.Sub(t.lastYield) >= yieldEvery {
		if err := t.yield(now); err != nil {
			return err
		}
	}
	if t.mem.tracker != nil {
		return t.mem.tracker.check(t.curName)
	}
	return nil
}

// gatherRows bounds the rows of an output batch an operator builds by
// gathering rows from all over its state (a sort's output, an aggregate's
// string keys): at the 100-400 ns a row such gathers cost, 8192 rows went
// up to 3 ms between two checks. DuckDB's vectors hold 2048. A join's
// pairs are not bounded so: smaller batches cost q13 10%.
const gatherRows = 2048

// gatherBatch is the output batch size of such an operator.
func gatherBatch(batchSize int) int { return max(1, min(batchSize, gatherRows)) }

// yieldEvery is how often a busy task yields its core.
const yieldEvery = time.Millisecond

// waited marks the end of a wait in a select that watched the context:
// the wait answered a cancel at any moment, so it is not an unchecked
// stretch of work.
// Waited is waited for code outside this package that waits in a select
// on the task's context (a Parquet reader waiting for the disk).
func (t *Task) Waited() { t.waited() }

// Resume starts a new stretch when the query's consumer calls its plan
// again: the time since the last batch was returned was the caller's
// (printing it, or a program's own work), not the query's, and a cancel
// in it is answered at the call's first check. Counted, a terminal
// printing 2048 rows of a sort's output made a 1.4-2 ms "stretch" in the
// sort.
func (t *Task) Resume() {
	if t.checks {
		t.waited()
	}
}

func (t *Task) waited() {
	t.lastCheck = time.Now()
	t.resample(t.lastCheck, true)
}

// sinceCheck is the time since the task last looked at its context.
func (t *Task) sinceCheck(now time.Time) time.Duration { return now.Sub(t.lastCheck) }
