package operators

import (
	"time"

	"github.com/apache/arrow/go/v17/arrow"
)

// Metrics are the baseline figures every operator reports in EXPLAIN
// ANALYZE: what it produced, how long it took, and how often it looked at
// the query's context.
type Metrics struct {
	Rows    int64
	Batches int64
	// Elapsed includes the time spent in the operator's children.
	Elapsed time.Duration
	// Checks counts context checks made while this operator was running.
	Checks int64
	// MaxStretch is the longest time without a context check observed while
	// this operator ran (at its checks and whenever its Next returned).
	MaxStretch time.Duration
	// MaxOnCPU is the longest such stretch without the time the thread
	// was preempted (a bound: see Task.onCPU).
	MaxOnCPU time.Duration
}

// Merge adds the figures of another instance of the same operator (another
// worker's), keeping the maximum stretch.
func (m *Metrics) Merge(o Metrics) {
	m.Rows += o.Rows
	m.Batches += o.Batches
	m.Elapsed += o.Elapsed
	m.Checks += o.Checks
	m.MaxStretch = max(m.MaxStretch, o.MaxStretch)
	m.MaxOnCPU = max(m.MaxOnCPU, o.MaxOnCPU)
}

// Instrumented wraps an operator and records its Metrics. The physical
// planner wraps every operator it builds, so metrics need no code in the
// operators themselves.
type Instrumented struct {
	Op      Operator
	Metrics Metrics
}

var _ Operator = (*Instrumented)(nil)

// Instrument wraps op.
func Instrument(op Operator) *Instrumented { return &Instrumented{Op: op} }

func (w *Instrumented) Schema() *arrow.Schema { return w.Op.Schema() }

func (w *Instrumented) Open(t *Task) error {
	prev := t.cur
	t.cur = &w.Metrics
	start := time.Now()
	err := w.Op.Open(t)
	w.finish(t, start)
	t.cur = prev
	return err
}

func (w *Instrumented) Next(t *Task) (rec arrow.Record, err error) {
	prev, prevName := t.cur, t.curName
	t.cur, t.curName = &w.Metrics, w.name
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			rec, err = nil, panicError(w.name(), r)
		}
	}()
	rec, err = w.Op.Next(t)
	w.finish(t, start)
	t.cur, t.curName = prev, prevName
	if rec != nil {
		w.Metrics.Rows += rec.NumRows()
		w.Metrics.Batches++
	}
	return rec, err
}

// NextSel forwards a selection from the wrapped operator, counting the
// selected rows.
func (w *Instrumented) NextSel(t *Task) (rec arrow.Record, sel []int32, err error) {
	prev, prevName := t.cur, t.curName
	t.cur, t.curName = &w.Metrics, w.name
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			rec, sel, err = nil, nil, panicError(w.name(), r)
		}
	}()
	rec, sel, err = nextSel(t, w.Op)
	w.finish(t, start)
	t.cur, t.curName = prev, prevName
	if rec != nil {
		if sel != nil {
			w.Metrics.Rows += int64(len(sel))
		} else {
			w.Metrics.Rows += rec.NumRows()
		}
		w.Metrics.Batches++
	}
	return rec, sel, err
}

func (w *Instrumented) finish(t *Task, start time.Time) {
	now := time.Now()
	w.Metrics.Elapsed += now.Sub(start)
	if !t.checks {
		// No check ever ends a stretch: its length means nothing, and
		// reading the thread's clocks for it (three system calls a
		// batch) made the checks-off side of BenchmarkCancelOverhead
		// 9% slower than the checks-on side.
		return
	}
	s := t.sinceCheck(now)
	w.Metrics.MaxStretch = max(w.Metrics.MaxStretch, s)
	if s > w.Metrics.MaxOnCPU {
		w.Metrics.MaxOnCPU = max(w.Metrics.MaxOnCPU, t.onCPU(s))
	}
}

func (w *Instrumented) Close() error { return w.Op.Close() }

func (w *Instrumented) name() string { return w.Describe().Name }

// Describe forwards to the wrapped operator.
func (w *Instrumented) Describe() Description {
	if d, ok := w.Op.(Describer); ok {
		return d.Describe()
	}
	return Description{Name: "?"}
}
