package operators

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// MergeExchange merges the sorted streams of parallel Sort instances into
// one sorted stream: each instance runs on a goroutine of the query's Group
// and sends its batches, in order, on its own channel; Next merges the
// heads of all streams with a heap. Ties go to the lower-numbered stream.
type MergeExchange struct {
	instances []Operator
	keys      []SortKey
	batchSize int
	schema    *arrow.Schema

	ctx    context.Context
	cancel context.CancelCauseFunc
	chans  []chan arrow.Record
	errs   []error // per worker, written before its channel is closed
	done   []chan struct{}
	opened bool
	closed bool

	batches []arrow.Record // batches the current output chunk reads
	cmp     *rowComparator
	head    []int // per stream: index into batches of its current batch, -1 when exhausted
	pos     []int // per stream: next row of its current batch
	heap    []int // streams with rows, smallest head first
	started bool
	refs    []vector.RowRef
}

var _ Operator = (*MergeExchange)(nil)

// NewMergeExchange merges the sorted outputs of instances by keys.
func NewMergeExchange(instances []Operator, keys []SortKey, batchSize int) *MergeExchange {
	return &MergeExchange{instances: instances, keys: keys, batchSize: batchSize, schema: instances[0].Schema()}
}

func (m *MergeExchange) Schema() *arrow.Schema { return m.schema }

func (m *MergeExchange) Open(t *Task) error {
	m.opened = true
	m.ctx, m.cancel = context.WithCancelCause(t.Context())
	n := len(m.instances)
	m.chans = make([]chan arrow.Record, n)
	m.errs = make([]error, n)
	m.done = make([]chan struct{}, n)
	for i, inst := range m.instances {
		m.chans[i] = make(chan arrow.Record, 2)
		m.done[i] = make(chan struct{})
		wt := t.Fork(m.ctx)
		t.Group().Go(fmt.Sprintf("merge worker %d", i), func(ctx context.Context) error {
			wt.begin()
			defer close(m.done[i])
			defer close(m.chans[i])
			defer inst.Close()
			if err := m.run(wt, inst, m.chans[i]); err != nil {
				m.errs[i] = err
				m.cancel(err)
			}
			return nil
		})
	}
	return nil
}

func (m *MergeExchange) run(t *Task, inst Operator, ch chan arrow.Record) error {
	if err := inst.Open(t); err != nil {
		return err
	}
	for {
		rec, err := inst.Next(t)
		if err != nil || rec == nil {
			return err
		}
		select {
		case ch <- rec:
			t.waited() // blocked on the consumer, watching ctx: not unchecked work
		case <-m.ctx.Done():
			rec.Release()
			return nil
		}
	}
}

// receive returns stream i's next batch, or nil at its end.
func (m *MergeExchange) receive(t *Task, i int) (arrow.Record, error) {
	defer t.waited()
	select {
	case rec, ok := <-m.chans[i]:
		if ok {
			return rec, nil
		}
		<-m.done[i]
		if m.errs[i] != nil {
			return nil, m.errs[i]
		}
		if m.ctx.Err() != nil { // stopped early: the stream is incomplete
			return nil, context.Cause(m.ctx)
		}
		return nil, nil
	case <-m.ctx.Done():
		<-m.done[i]
		if m.errs[i] != nil {
			return nil, m.errs[i]
		}
		return nil, context.Cause(m.ctx)
	}
}

// advance loads stream i's next batch as its head.
func (m *MergeExchange) advance(t *Task, i int) error {
	rec, err := m.receive(t, i)
	if err != nil {
		return err
	}
	if rec == nil {
		m.head[i] = -1
		return nil
	}
	m.head[i], m.pos[i] = len(m.batches), 0
	m.batches = append(m.batches, rec)
	m.cmp.addBatch(rec)
	return nil
}

func (m *MergeExchange) less(a, b int) bool {
	c := m.cmp.compare(m.head[a], m.pos[a], m.head[b], m.pos[b])
	return c < 0 || c == 0 && a < b
}

func (m *MergeExchange) down(i int) {
	h := m.heap
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		c := l
		if r := l + 1; r < len(h) && m.less(h[r], h[l]) {
			c = r
		}
		if !m.less(h[c], h[i]) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

func (m *MergeExchange) Next(t *Task) (arrow.Record, error) {
	if err := t.Spend(1); err != nil {
		return nil, err
	}
	if !m.started {
		m.started = true
		n := len(m.instances)
		m.head, m.pos = make([]int, n), make([]int, n)
		m.cmp = newRowComparator(m.keys, m.schema)
		for i := range m.instances {
			if err := m.advance(t, i); err != nil {
				return nil, err
			}
			if m.head[i] >= 0 {
				m.heap = append(m.heap, i)
			}
		}
		for i := len(m.heap)/2 - 1; i >= 0; i-- {
			m.down(i)
		}
	}
	if len(m.heap) == 0 {
		return nil, nil
	}
	m.refs = m.refs[:0]
	for len(m.refs) < m.batchSize && len(m.heap) > 0 {
		s := m.heap[0]
		m.refs = append(m.refs, vector.RowRef{Batch: int32(m.head[s]), Row: int32(m.pos[s])})
		m.pos[s]++
		if m.pos[s] == int(m.batches[m.head[s]].NumRows()) {
			if err := m.advance(t, s); err != nil {
				return nil, err
			}
			if m.head[s] < 0 {
				last := len(m.heap) - 1
				m.heap[0] = m.heap[last]
				m.heap = m.heap[:last]
			}
		}
		if len(m.heap) > 0 {
			m.down(0)
		}
		if len(m.refs)%1024 == 0 {
			if err := t.Spend(1024); err != nil {
				return nil, err
			}
		}
	}
	out := vector.TakeMultiRecord(t.Alloc(), m.schema, m.batches, m.refs)
	m.compact()
	return out, nil
}

// compact drops the batches no stream still reads and renumbers the heads.
func (m *MergeExchange) compact() {
	keep := make([]arrow.Record, 0, len(m.instances))
	renum := make(map[int]int, len(m.instances))
	for s, h := range m.head {
		if h < 0 {
			continue
		}
		if _, ok := renum[h]; !ok {
			renum[h] = len(keep)
			keep = append(keep, m.batches[h])
			m.batches[h] = nil
		}
		m.head[s] = renum[h]
	}
	for _, b := range m.batches {
		if b != nil {
			b.Release()
		}
	}
	m.batches = keep
	m.cmp = newRowComparator(m.keys, m.schema)
	for _, b := range keep {
		m.cmp.addBatch(b)
	}
}

func (m *MergeExchange) Close() error {
	if m.closed {
		return nil
	}
	m.closed = true
	if !m.opened {
		for _, inst := range m.instances {
			inst.Close()
		}
		return nil
	}
	m.cancel(errExchangeClosed)
	for i, ch := range m.chans {
		for rec := range ch {
			rec.Release()
		}
		<-m.done[i]
	}
	for _, b := range m.batches {
		b.Release()
	}
	m.batches = nil
	return nil
}

func (m *MergeExchange) Describe() Description {
	return Description{Name: "MergeExchange", Detail: fmt.Sprintf("%d workers by %s", len(m.instances), describeKeys(m.keys, m.schema)),
		Children: m.instances[:1]}
}
