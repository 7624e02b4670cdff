package operators

import (
	"fmt"
	"hash/maphash"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// PartitionedAggregate is the parallel GROUP BY's exchange, with a final
// phase that is parallel too. With a Gather, every partial aggregate's
// groups go to one final aggregate, and a GROUP BY with a million groups
// (q18's l_orderkey) merges a million rows on one core while the others
// wait. Here each of the N workers:
//
//  1. runs its partial aggregate (its pipeline's share of the input) and
//     splits the partial groups into N partitions by a hash of their keys;
//  2. waits until every worker is through phase 1;
//  3. merges partition i of every worker with its own final aggregate, and
//     sends the finished groups to the consumer.
//
// A key lands in one partition whoever saw it, so each final aggregate
// owns its groups outright and the N outputs are simply concatenated.
//
// The workers' lifecycle is the exchange's (started at the first Next,
// every send watching the context, Close joining them); the barrier also
// selects on the context, and Close releases every partition not yet
// handed to a final aggregate.
type PartitionedAggregate struct {
	exchange
	partials []Operator
	keys     []int // key columns of the partial schema
	newFinal func(in Operator) (Operator, error)
	schema   *arrow.Schema
	seed     maphash.Seed // string keys hash alike in every worker

	pending atomic.Int32   // workers still in phase 1
	pool    *paged.Pool    // the partials' state pages, for the finals: the engine's, or the operator's own
	freed   atomic.Int64   // bytes the closed partials gave back, not to the pool
	collect func()         // runtime.GC; a test counts the calls instead
	closeMu sync.Mutex     // one partial closes at a time (see closePartial)
	barrier chan struct{}  // closed when pending reaches 0
	rows    []atomic.Int64 // per partition: final groups sent
	busy    []atomic.Int64 // per worker: ns working (not waiting to send or at the barrier)

	partsMu sync.Mutex
	parts   [][]arrow.Record // per partition: partial groups, until a final takes them
}

var _ Operator = (*PartitionedAggregate)(nil)

// NewPartitionedAggregate runs the partial aggregates (one per worker, all
// with the same schema, whose keys are the columns keys) in parallel and
// merges each hash partition of their groups with an aggregate made by
// newFinal over a source of that partition's records. schema is the final
// aggregate's.
func NewPartitionedAggregate(partials []Operator, keys []int, newFinal func(in Operator) (Operator, error), schema *arrow.Schema) *PartitionedAggregate {
	return &PartitionedAggregate{partials: partials, keys: keys, newFinal: newFinal, schema: schema, seed: maphash.MakeSeed(),
		rows: make([]atomic.Int64, len(partials)), busy: make([]atomic.Int64, len(partials)),
		parts: make([][]arrow.Record, len(partials)), collect: runtime.GC}
}

func (a *PartitionedAggregate) Schema() *arrow.Schema { return a.schema }

func (a *PartitionedAggregate) Open(t *Task) error {
	if a.pool = t.PagePool(); a.pool == nil {
		a.pool = &paged.Pool{}
	}
	a.open(t)
	return nil
}

func (a *PartitionedAggregate) run(t *Task, i int) error {
	inst := a.partials[i]
	// The partial's state pages go back to the pool when it is closed,
	// for the final aggregates to reuse (see paged.Pool).
	lease := a.pool.Lease()
	leasePages(inst, lease)
	defer inst.Close()
	start := time.Now()
	err := a.partition(t, inst)
	a.busy[i].Add(int64(time.Since(start)))
	if err == nil {
		// The partial's hash table is no longer needed: free it before
		// merging.
		err = a.closePartial(t, inst, lease)
	}
	if a.pending.Add(-1) == 0 {
		a.collectFreed()
		close(a.barrier)
	}
	if err != nil {
		return err
	}
	select {
	case <-a.barrier:
		t.waited()
	case <-a.ctx.Done():
		return nil
	}
	return a.merge(t, i)
}

// closePartial closes a worker's partial aggregate, which gives its state
// pages back to the pool, and counts the rest of the memory it gave back:
// the garbage a collection would free.
func (a *PartitionedAggregate) closePartial(t *Task, inst Operator, lease *paged.Lease) error {
	m := t.Memory()
	if m == nil {
		return inst.Close()
	}
	// The tracker is the query's: two partials closing at once would each
	// count the other's memory too. (Another worker still partitioning
	// can only make the count smaller, which is safe.)
	a.closeMu.Lock()
	defer a.closeMu.Unlock()
	before, pooled, dropped := m.Used(), lease.Bytes(), lease.Dropped()
	err := inst.Close()
	pooled -= lease.Dropped() - dropped // a full pool left them to the collector
	a.freed.Add(max(0, before-m.Used()-pooled))
	return err
}

// collectFreed runs the garbage collector, once every partial is closed,
// when the partials gave back more than collectAfter bytes of garbage.
// Otherwise the final aggregates grow their tables while the partials' are
// garbage not yet collected, and the query's peak memory holds both: Q18's
// RSS went up to 355 MB, 2.1x DuckDB's, and 240-310 MB with the
// collection. The workers are at the barrier meanwhile, so the collector
// has their cores. But runtime.GC blocks until the cycle has marked and
// swept everything, 3-8 ms at SF1 with nothing watching the context: a
// cancel then waits (BenchmarkCancel/02_group_by_6M_groups at threads=2,
// p99 7-8 ms). So the partials' state pages are not garbage any more: they
// go back to the pool, and the finals grow in them (Q18: 218-232 MB, and
// no collection). What is left to collect is the rest (string keys'
// bytes, first pages, scratch), rarely enough to run it; a cancelled
// query skips it anyway.
func (a *PartitionedAggregate) collectFreed() {
	if a.ctx.Err() == nil && a.freed.Load() > collectAfter {
		a.collect()
	}
}

// collectAfter is the memory the partials must give back for collectFreed
// to run the collector: a collection costs about a millisecond per 100 MB
// of live heap.
const collectAfter = 32 << 20

// partition drains one partial aggregate into the partitions.
func (a *PartitionedAggregate) partition(t *Task, inst Operator) error {
	if err := inst.Open(t); err != nil {
		return err
	}
	n := len(a.partials)
	p := partitioner{seed: a.seed}
	for {
		rec, err := inst.Next(t)
		if err != nil || rec == nil {
			return err
		}
		sel := p.split(rec, a.keys, n)
		if err := t.Spend(int(rec.NumRows())); err != nil {
			rec.Release()
			return err
		}
		outs := make([]arrow.Record, n)
		for q := range sel {
			if len(sel[q]) == int(rec.NumRows()) {
				rec.Retain()
				outs[q] = rec
			} else if len(sel[q]) > 0 {
				outs[q] = vector.TakeRecord(t.Alloc(), rec, sel[q])
			}
		}
		rec.Release()
		a.partsMu.Lock()
		for q, out := range outs {
			if out != nil {
				a.parts[q] = append(a.parts[q], out)
			}
		}
		a.partsMu.Unlock()
	}
}

// merge runs the final aggregate of partition i and sends its output.
func (a *PartitionedAggregate) merge(t *Task, i int) error {
	a.partsMu.Lock()
	recs := a.parts[i]
	a.parts[i] = nil
	a.partsMu.Unlock()
	src := NewRecords(a.partials[0].Schema(), recs, fmt.Sprintf("partition %d", i))
	for _, r := range recs {
		r.Release() // src holds them now
	}
	final, err := a.newFinal(src)
	if err != nil {
		src.Close()
		return err
	}
	leasePages(final, a.pool.Lease())
	defer final.Close()
	if err := final.Open(t); err != nil {
		return err
	}
	for {
		start := time.Now()
		rec, err := final.Next(t)
		a.busy[i].Add(int64(time.Since(start)))
		if err != nil || rec == nil {
			return err
		}
		a.rows[i].Add(rec.NumRows())
		if !a.send(t, rec) {
			return nil
		}
	}
}

func (a *PartitionedAggregate) Next(t *Task) (arrow.Record, error) {
	if err := t.Check(); err != nil {
		return nil, err
	}
	if !a.started {
		a.pending.Store(int32(len(a.partials)))
		a.barrier = make(chan struct{})
		a.startWorkers("partitioned aggregate worker", len(a.partials), a.run)
	}
	return a.receive(t)
}

// Close stops and joins the workers and releases every batch they left.
func (a *PartitionedAggregate) Close() error {
	err := a.stop(a.partials)
	for i, recs := range a.parts {
		for _, r := range recs {
			r.Release()
		}
		a.parts[i] = nil
	}
	return err
}

func (a *PartitionedAggregate) Describe() Description {
	detail := fmt.Sprintf("%d workers, final phase in %d hash partitions", len(a.partials), len(a.partials))
	if a.started {
		rows := make([]int64, len(a.rows))
		busy := make([]string, len(a.busy))
		for i := range a.rows {
			rows[i] = a.rows[i].Load()
			busy[i] = time.Duration(a.busy[i].Load()).Round(100 * time.Microsecond).String()
		}
		detail += fmt.Sprintf(", groups per partition %v, busy per worker [%s]", rows, strings.Join(busy, " "))
	}
	return Description{Name: "PartitionedAggregate", Detail: detail, Children: a.partials[:1]}
}
