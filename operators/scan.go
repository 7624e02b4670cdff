package operators

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
)

// Source is what a table offers a scan: its data split into units of work
// (row groups of a Parquet file, slices of an in-memory table, byte ranges
// of a CSV file) that parallel scans hand out one at a time, like DuckDB's
// morsels. Columns and pruning were decided when the Source was made.
type Source interface {
	// Schema of the records every unit returns.
	Schema() *arrow.Schema
	// Units is the number of units of work.
	Units() int
	// OpenUnit starts reading unit i.
	OpenUnit(t *Task, i int) (UnitReader, error)
	// Describe names the source for EXPLAIN, e.g. "lineitem.parquet".
	Describe() string
	// Close releases what the source holds (file handles, a snapshot of
	// an in-memory table). Idempotent.
	Close() error
}

// UnitReader reads one unit of work.
type UnitReader interface {
	// Next returns the next record, or (nil, nil) at the end of the unit.
	Next(t *Task) (arrow.Record, error)
	Close() error
}

// Morsels hands out units to the scans that share it. Each unit is read
// by one scan at a time, batch by batch; a scan that finds no unit left
// joins one still being read instead of going idle. Small tables have few
// units (customer at SF1: two row groups), and without this the worker
// that drew the big one did most of the work of every operator above it.
type Morsels struct {
	next atomic.Int64

	mu   sync.Mutex
	open []*sharedUnit // units being read, that another scan may join
}

// Take returns the next unit number.
func (m *Morsels) Take() int { return int(m.next.Add(1) - 1) }

// sharedUnit is a unit's reader and the scans reading it. Its read lock is
// held for each Next only, so one batch is decoded at a time while the
// scans work on the batches they got in parallel; the bookkeeping is under
// the Morsels' lock, never behind a decode.
//
// The lock is a channel of one slot, so that a scan waiting for it
// watches its query's context: behind another scan's decode of a batch of
// customer's comments, a worker waited 1.1-2.6 ms in a mutex, which no
// cancel could interrupt and EXPLAIN ANALYZE counted as unchecked work.
type sharedUnit struct {
	m     *Morsels
	users int // scans reading it (under m.mu)

	read chan struct{} // the read lock: holding it is having sent a token
	r    UnitReader
	done atomic.Bool // r returned its last batch
}

// publish offers a newly opened unit to scans that run out of units.
func (m *Morsels) publish(r UnitReader) *sharedUnit {
	u := &sharedUnit{m: m, users: 1, r: r, read: make(chan struct{}, 1)}
	m.mu.Lock()
	defer m.mu.Unlock()
	// Drop the units finished since: at most one per scan stays listed.
	live := m.open[:0]
	for _, o := range m.open {
		if o.users > 0 && !o.done.Load() {
			live = append(live, o)
		}
	}
	clear(m.open[len(live):])
	m.open = append(live, u)
	return u
}

// join returns an unfinished unit for one more scan, or nil.
func (m *Morsels) join() *sharedUnit {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range m.open {
		if u.users > 0 && !u.done.Load() {
			u.users++
			return u
		}
	}
	return nil
}

// next reads u's next batch, or (nil, nil) at the end of the unit.
func (u *sharedUnit) next(t *Task) (arrow.Record, error) {
	select {
	case u.read <- struct{}{}:
	default:
		select {
		case u.read <- struct{}{}:
			t.waited() // another scan's decode, watching ctx: not unchecked work
		case <-t.Context().Done():
			return nil, context.Cause(t.Context())
		}
	}
	defer func() { <-u.read }()
	if u.done.Load() {
		return nil, nil
	}
	rec, err := u.r.Next(t)
	if rec == nil && err == nil {
		u.done.Store(true)
	}
	return rec, err
}

// leave drops one scan from u; the last one closes the reader.
func (u *sharedUnit) leave() error {
	u.m.mu.Lock()
	u.users--
	last := u.users == 0
	u.m.mu.Unlock()
	if !last {
		return nil
	}
	u.read <- struct{}{} // not cancellable: the reader must be closed
	defer func() { <-u.read }()
	u.done.Store(true)
	return u.r.Close()
}

// Scan reads a Source, taking units from a Morsels dispenser shared with
// the other workers of a parallel scan.
type Scan struct {
	src      Source
	morsels  *Morsels
	owns     bool // close src on Close
	cur      *sharedUnit
	done     bool
	progress *Progress
	pre      *prefetcher // for sources that may block
}

var _ Operator = (*Scan)(nil)

// NewScan returns a scan of src that reads every unit itself and closes
// the source when it is closed.
func NewScan(src Source) *Scan {
	return &Scan{src: src, morsels: &Morsels{}, owns: true}
}

// NewSharedScan returns one of several scans of src that take units from
// morsels; whoever made the shared source closes it.
func NewSharedScan(src Source, morsels *Morsels) *Scan {
	return &Scan{src: src, morsels: morsels}
}

// SetProgress makes the scan count the rows it reads into p.
func (s *Scan) SetProgress(p *Progress) { s.progress = p }

func (s *Scan) Schema() *arrow.Schema { return s.src.Schema() }
func (s *Scan) Open(t *Task) error    { return t.Check() }

func (s *Scan) Next(t *Task) (arrow.Record, error) {
	if mayBlock(s.src) {
		if err := t.Check(); err != nil {
			return nil, err
		}
		if s.pre == nil {
			s.pre = startPrefetch(t, s)
		}
		return s.pre.next(t)
	}
	return s.read(t)
}

// read returns the next batch of the scan's units.
func (s *Scan) read(t *Task) (arrow.Record, error) {
	for !s.done {
		if err := t.Spend(1); err != nil {
			return nil, err
		}
		if s.cur == nil {
			if u := s.morsels.Take(); u < s.src.Units() {
				r, err := s.src.OpenUnit(t, u)
				if err != nil {
					return nil, err
				}
				s.cur = s.morsels.publish(r)
			} else if s.cur = s.morsels.join(); s.cur == nil {
				s.done = true
				break
			}
		}
		rec, err := s.cur.next(t)
		if err != nil {
			return nil, err
		}
		if rec != nil {
			if rec.NumRows() == 0 {
				rec.Release()
				continue
			}
			if s.progress != nil {
				s.progress.Done(rec.NumRows())
			}
			if err := t.Spend(int(rec.NumRows())); err != nil {
				rec.Release() // a record is never returned with an error
				return nil, err
			}
			return rec, nil
		}
		err = s.cur.leave()
		s.cur = nil
		if err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func (s *Scan) Close() error {
	if s.pre != nil {
		s.pre.stop() // joins the reading goroutine, even one stuck in a read
		s.pre = nil
	}
	s.done = true
	var err error
	if s.cur != nil {
		err = s.cur.leave()
		s.cur = nil
	}
	if s.owns {
		s.owns = false
		if cerr := s.src.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (s *Scan) Describe() Description {
	return Description{Name: "Scan", Detail: fmt.Sprintf("%s (%d units)", s.src.Describe(), s.src.Units())}
}
