package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// rowSet is the rows a sort orders: every row of a list of batches, or
// (when a run of ties is sorted again) some of their rows, listed in input
// order. A row is named by an id that the sort carries in the low bits of
// its key record: batch<<rowBits | row for a whole input, the row's place
// in the list for a chosen set.
//
// A chosen set may carry a lead code per row that sorts before every key:
// the number of the run of ties a row belongs to, when all the runs of a
// sort are sorted again at once.
type rowSet struct {
	batches  []arrow.Record
	refs     []vector.RowRef // nil: every row; else the rows, sorted by batch, then row
	rowBits  int             // whole input: bits of the row part of an id
	lead     []uint64        // per row of refs, or nil
	leadBits int
}

// wholeRows is every row of batches.
func wholeRows(batches []arrow.Record) *rowSet {
	maxRows := 1
	for _, b := range batches {
		maxRows = max(maxRows, int(b.NumRows()))
	}
	return &rowSet{batches: batches, rowBits: bitsFor(uint64(maxRows - 1))}
}

// len is the number of rows in the set.
func (s *rowSet) len() int {
	if s.refs != nil {
		return len(s.refs)
	}
	n := 0
	for _, b := range s.batches {
		n += int(b.NumRows())
	}
	return n
}

// idBits is the width of the set's ids.
func (s *rowSet) idBits() int {
	if s.refs != nil {
		return bitsFor(uint64(max(len(s.refs), 1) - 1))
	}
	return s.rowBits + bitsFor(uint64(max(len(s.batches), 1)-1))
}

// ref says where the row with the given id is.
func (s *rowSet) ref(id uint64) vector.RowRef {
	if s.refs != nil {
		return s.refs[id]
	}
	return vector.RowRef{Batch: int32(id >> s.rowBits), Row: int32(id & (1<<s.rowBits - 1))}
}

// rowGroup is some of the set's rows in one batch, in order: rows nil
// means all of rec's, where rec may be a slice of the batch, from row off
// on. first is the id of the group's first row in a chosen set.
type rowGroup struct {
	batch int
	rec   arrow.Record // the batch, or a slice of it from row off on
	rows  []int32
	first int
	off   int
}

// len is the number of rows in the group.
func (g *rowGroup) len() int {
	if g.rows == nil {
		return int(g.rec.NumRows())
	}
	return len(g.rows)
}

// row is the row of rec that is the group's j-th.
func (g *rowGroup) row(j int) int {
	if g.rows == nil {
		return j
	}
	return int(g.rows[j])
}

// id is the id of the group's j-th row.
func (s *rowSet) id(g *rowGroup, j int) uint64 {
	if s.refs != nil {
		return uint64(g.first + j)
	}
	return uint64(g.batch)<<s.rowBits | uint64(g.off+j)
}

// sortGroupRows is the most rows a group holds. A sort joins its input
// into records of 32K rows (keptBatches), and a pass over a whole one, its
// records' first touch of fresh memory included, took 1.1-1.5 ms between
// two checks.
const sortGroupRows = 8192

// groups calls fn on the set's rows, a batch or a piece of one at a time,
// in set order. The group is only valid during the call.
func (s *rowSet) groups(fn func(g *rowGroup) error) error {
	if s.refs == nil {
		for b, rec := range s.batches {
			n := int(rec.NumRows())
			if n <= sortGroupRows {
				if err := fn(&rowGroup{batch: b, rec: rec}); err != nil {
					return err
				}
				continue
			}
			for off := 0; off < n; off += sortGroupRows {
				piece := rec.NewSlice(int64(off), int64(min(off+sortGroupRows, n)))
				err := fn(&rowGroup{batch: b, rec: piece, off: off})
				piece.Release()
				if err != nil {
					return err
				}
			}
		}
		return nil
	}
	var rows []int32
	for i := 0; i < len(s.refs); {
		b, j := s.refs[i].Batch, i
		rows = rows[:0]
		for ; j < len(s.refs) && s.refs[j].Batch == b && j-i < sortGroupRows; j++ {
			rows = append(rows, s.refs[j].Row)
		}
		if err := fn(&rowGroup{batch: int(b), rec: s.batches[b], rows: rows, first: i}); err != nil {
			return err
		}
		i = j
	}
	return nil
}
