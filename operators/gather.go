package operators

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
)

// Gather is the exchange that makes a pipeline parallel: it runs several
// instances of the same operator subtree (each scanning its share of
// morsels) on goroutines of the query's Group and merges their batches into
// one stream, in no particular order. The workers' lifecycle (started at
// the first Next, every send watching the context, Close joining them all)
// is the exchange's.
type Gather struct {
	exchange
	schema    *arrow.Schema
	instances []Operator
	desc      string
	rows      []atomic.Int64 // per worker, for EXPLAIN ANALYZE
	busy      []atomic.Int64 // per worker: ns spent producing (not waiting to send)
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
	g.open(t)
	return nil
}

func (g *Gather) run(t *Task, i int) error {
	inst := g.instances[i]
	defer inst.Close()
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
		if !g.send(t, rec) {
			return nil
		}
	}
}

func (g *Gather) Next(t *Task) (arrow.Record, error) {
	if err := t.Check(); err != nil {
		return nil, err
	}
	if !g.started {
		g.startWorkers("gather worker", len(g.instances), g.run)
	}
	return g.receive(t)
}

// Close stops and joins the workers; it releases every batch still queued.
func (g *Gather) Close() error { return g.stop(g.instances) }

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
