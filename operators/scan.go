package operators

import (
	"fmt"
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

// Morsels hands out unit numbers to the scans that share it; with one scan
// it simply counts.
type Morsels struct{ next atomic.Int64 }

// Take returns the next unit number.
func (m *Morsels) Take() int { return int(m.next.Add(1) - 1) }

// Scan reads a Source, taking units from a Morsels dispenser shared with
// the other workers of a parallel scan.
type Scan struct {
	src      Source
	morsels  *Morsels
	owns     bool // close src on Close
	cur      UnitReader
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
			u := s.morsels.Take()
			if u >= s.src.Units() {
				s.done = true
				break
			}
			r, err := s.src.OpenUnit(t, u)
			if err != nil {
				return nil, err
			}
			s.cur = r
		}
		rec, err := s.cur.Next(t)
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
		err = s.cur.Close()
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
		err = s.cur.Close()
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
