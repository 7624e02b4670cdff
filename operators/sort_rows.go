package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/vector"
)

// sortedRows is the order of a rowSet: ids[i] is the id of the i-th row
// in key order.
type sortedRows struct {
	ids []uint64
	set *rowSet
}

// tieMaxFrom: strings still equal after this many bytes are finished by
// the comparator, which needs no pass per prefix.
const tieMaxFrom = 256

// sortRows orders the rows of batches by keys, ties in input order. With
// limit < the number of rows only the first limit rows are ordered and
// returned (top-k). report is told the Go memory held, in bytes, as it
// changes. Every loop spends budget in chunks of a few thousand rows.
// scratch, when not nil, holds the buffers of a sort of a single run,
// whose order is then valid until scratch is used again.
func sortRows(t *Task, keys []SortKey, schema *arrow.Schema, batches []arrow.Record, limit int, report func(int64), scratch *sortScratch) (*rowOrder, error) {
	return sortRowsSized(t, keys, schema, batches, limit, report, defaultPagedSizes(), scratch)
}

// sortScratch is the records and scratch of one sort, kept for the next
// by an operator that sorts again and again (TopK compacts every 4096
// candidates). Made anew, each is a large Go allocation, and one made
// just after a collection waits for the runtime to sweep pages for it:
// the longest cancels of BenchmarkCancel/07_top_k (5.4-6.0 ms) were the
// query goroutine inside that allocation.
type sortScratch struct{ recs, tmp []uint64 }

// bytes is the memory the buffers hold.
func (s *sortScratch) bytes() int64 { return int64(cap(s.recs)+cap(s.tmp)) * 8 }

// take returns zeroed records and scratch of n words each. Reused
// buffers are cleared a chunk at a time with budget spent between: for
// ORDER BY ... LIMIT of a million rows they are tens of megabytes.
func (s *sortScratch) take(t *Task, n int) (recs, tmp []uint64, err error) {
	if cap(s.recs) < n {
		s.recs, s.tmp = make([]uint64, n), make([]uint64, n)
		return s.recs, s.tmp, nil
	}
	recs, tmp = s.recs[:n], s.tmp[:n]
	err = chunked(t, n, func(lo, hi int) {
		clear(recs[lo:hi])
		clear(tmp[lo:hi])
	})
	return recs, tmp, err
}

// sortRowsSized is sortRows with the bounds of a large sort given: a
// whole input of more than a run's rows is sorted in pages (sort_paged.go).
func sortRowsSized(t *Task, keys []SortKey, schema *arrow.Schema, batches []arrow.Record, limit int, report func(int64), sizes pagedSizes, scratch *sortScratch) (*rowOrder, error) {
	s := &sorter{t: t, keys: keys, schema: schema, batches: batches}
	set := wholeRows(batches)
	if n := set.len(); limit >= n && n > sizes.runRows {
		o, err := s.sortPaged(set, sizes, report)
		if err != nil {
			return nil, err
		}
		report(o.bytes())
		return o, nil
	}
	s.reuse = scratch
	o, err := s.sortSet(set, 0, limit, 0, report)
	if err != nil {
		return nil, err
	}
	order := &rowOrder{set: set}
	order.add(o.ids)
	return order, nil
}

// sorter is one sort of batches by keys: the whole input, then runs of
// ties sorted again as sets of their own.
type sorter struct {
	t       *Task
	keys    []SortKey
	schema  *arrow.Schema
	batches []arrow.Record
	cmp     *rowComparator // built on first use
	scratch []uint64
	reuse   *sortScratch // for the first sortSet only: ties sort while it is in use
}

// sortSet orders the rows of set by keys[first:], which they tie on
// before. When keys[first] is a string, every row's value is known to
// begin with the same from bytes.
func (s *sorter) sortSet(set *rowSet, first, limit, from int, report func(int64)) (*sortedRows, error) {
	n := set.len()
	limit = min(limit, n)
	if limit <= 0 {
		return &sortedRows{set: set}, nil
	}
	l, err := planLayout(s.t, s.keys[first:], s.schema, set, from)
	if err != nil {
		return nil, err
	}
	w := l.words
	report(int64(2 * n * w * 8))
	var recs, tmp []uint64
	if s.reuse != nil {
		recs, tmp, err = s.reuse.take(s.t, n*w)
		s.reuse = nil
		if err != nil {
			return nil, err
		}
	} else {
		recs, tmp = make([]uint64, n*w), make([]uint64, n*w)
	}
	if err := l.encode(s.t, set, recs); err != nil {
		return nil, err
	}
	ids := tmp[:limit] // free once the records are sorted
	if w > 1 {         // do not keep the records' width alive while emitting
		ids = make([]uint64, limit)
	}
	o, err := s.sortEncoded(set, l, first, recs, tmp, ids)
	if err != nil {
		return nil, err
	}
	report(int64(cap(o.ids) * 8))
	return o, nil
}

// sortEncoded sorts recs, the records of set's rows laid out by l, with
// tmp as scratch of the same size, and writes the ids of the first
// len(ids) rows in order to ids (which may be tmp).
func (s *sorter) sortEncoded(set *rowSet, l *keyLayout, first int, recs, tmp, ids []uint64) (*sortedRows, error) {
	w := l.words
	if err := sortRecords(s.t, recs, tmp, w, l.keyEnd, len(ids)); err != nil {
		return nil, err
	}
	mask := uint64(1)<<l.idBits - 1
	err := chunked(s.t, len(ids), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ids[i] = recs[i*w+w-1] & mask
		}
	})
	if err != nil {
		return nil, err
	}
	o := &sortedRows{ids: ids, set: set}
	if l.tieKey < len(s.keys)-first {
		if err := s.breakTies(o, l, first, recs); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// breakTies orders the runs of records whose codes are equal: their rows
// tie on every key before first+l.tieKey and on the encoded prefix of
// that key, a string, and are in input order. Runs whose strings go on
// past the prefix are sorted again on the bytes that follow, runs of equal
// strings on the keys after: all the runs of each kind at once (see
// resortRuns).
func (s *sorter) breakTies(o *sortedRows, l *keyLayout, first int, recs []uint64) error {
	w := l.words
	keyMask := ^(uint64(1)<<l.idBits - 1)
	same := func(i, j int) bool {
		a, b := recs[i*w:i*w+w], recs[j*w:j*w+w]
		for k := 0; k < w-1; k++ {
			if a[k] != b[k] {
				return false
			}
		}
		return (a[w-1]^b[w-1])&keyMask == 0
	}
	k, f := first+l.tieKey, &l.fields[l.tieKey]
	from := f.from + f.skip + f.nbytes
	var longer, equal tieRuns
	n, total := len(o.ids), len(recs)/w
	for i := 0; i < n; {
		j := i + 1
		for j < total && same(i, j) {
			if j++; (j-i)%spendChunk == 0 { // a run may be the whole input
				if err := s.t.Spend(spendChunk); err != nil {
					return err
				}
			}
		}
		if err := s.t.Spend(j - i); err != nil {
			return err
		}
		if j-i > 1 {
			// A run may go on past the limit: its rows compete for the
			// last places, so all of them are sorted.
			if j > n {
				ext := make([]uint64, j)
				copy(ext, o.ids)
				for x := n; x < j; x++ {
					ext[x] = recs[x*w+w-1] &^ keyMask
				}
				o.ids = ext
			}
			// The run's codes are equal, its clipped lengths too: one row
			// tells whether all its strings go on past the prefix.
			ref := o.set.ref(o.ids[i])
			a := s.batches[ref.Batch].Column(f.col).(*array.String)
			switch {
			case a.IsNull(int(ref.Row)) || a.ValueLen(int(ref.Row)) <= from:
				if k+1 < len(s.keys) { // else equal on every key: input order stands
					equal.add(i, j)
				}
			case from > tieMaxFrom:
				if err := s.compareSort(o.set, o.ids[i:j], k); err != nil {
					return err
				}
			default:
				longer.add(i, j)
			}
		}
		i = j
	}
	if err := s.resortRuns(o, &longer, k, from); err != nil {
		return err
	}
	if err := s.resortRuns(o, &equal, k+1, 0); err != nil {
		return err
	}
	o.ids = o.ids[:n]
	return nil
}

// tieRuns lists runs of ties as ranges of places in a sorted order.
type tieRuns struct {
	starts, ends []int
	rows         int
}

func (r *tieRuns) add(start, end int) {
	r.starts, r.ends = append(r.starts, start), append(r.ends, end)
	r.rows += end - start
}

// resortRuns orders each run of runs on keys[k:] (the strings of keys[k]
// from byte from on). The rows of all the runs form one set, in input
// order so that the input is read in order and ties stay stable, and each
// row's run number leads its new code: one sort orders every run apart.
func (s *sorter) resortRuns(o *sortedRows, runs *tieRuns, k, from int) error {
	if len(runs.starts) == 0 {
		return nil
	}
	runBits := bitsFor(uint64(len(runs.starts) - 1))
	if runBits+o.set.idBits() > 64 { // cannot happen below 2^32 rows
		for r, start := range runs.starts {
			if err := s.compareSort(o.set, o.ids[start:runs.ends[r]], k); err != nil {
				return err
			}
		}
		return nil
	}
	// id<<runBits | run, sorted: the rows in input order with their runs.
	pairs := make([]uint64, runs.rows)
	c := runs.cursor()
	err := chunked(s.t, len(pairs), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			i, r := c.next()
			pairs[p] = o.ids[i]<<runBits | uint64(r)
		}
	})
	if err != nil {
		return err
	}
	if err := sortRecords(s.t, pairs, make([]uint64, len(pairs)), 1, 8, len(pairs)); err != nil {
		return err
	}
	refs := make([]vector.RowRef, len(pairs))
	lead := make([]uint64, len(pairs))
	err = chunked(s.t, len(pairs), func(lo, hi int) {
		for p, v := range pairs[lo:hi] {
			refs[lo+p], lead[lo+p] = o.set.ref(v>>runBits), v&(1<<runBits-1)
		}
	})
	if err != nil {
		return err
	}
	sub := &rowSet{batches: s.batches, refs: refs, lead: lead, leadBits: runBits}
	order, err := s.sortSet(sub, k, len(pairs), from, func(int64) {})
	if err != nil {
		return err
	}
	// The order lists run 0's rows, then run 1's, ...: the runs' places.
	c = runs.cursor()
	return chunked(s.t, len(pairs), func(lo, hi int) {
		for _, p := range order.ids[lo:hi] {
			i, _ := c.next()
			o.ids[i] = pairs[p] >> runBits
		}
	})
}

// runCursor walks the places of a list of runs in order.
type runCursor struct {
	runs *tieRuns
	r, i int
}

func (r *tieRuns) cursor() *runCursor { return &runCursor{runs: r, i: r.starts[0]} }

// next returns the next place and the number of its run.
func (c *runCursor) next() (place, run int) {
	for c.i == c.runs.ends[c.r] {
		c.r++
		c.i = c.runs.starts[c.r]
	}
	c.i++
	return c.i - 1, c.r
}

// chunked calls fn on consecutive ranges of at most spendChunk of [0, n),
// spending budget for each.
func chunked(t *Task, n int, fn func(lo, hi int)) error {
	for lo := 0; lo < n; lo += spendChunk {
		hi := min(lo+spendChunk, n)
		fn(lo, hi)
		if err := t.Spend(hi - lo); err != nil {
			return err
		}
	}
	return nil
}

// compareSort sorts a run with the comparator, from key k on.
func (s *sorter) compareSort(set *rowSet, run []uint64, k int) error {
	if s.cmp == nil {
		s.cmp = newRowComparator(s.keys, s.schema)
		for _, b := range s.batches {
			s.cmp.addBatch(b)
		}
	}
	if cap(s.scratch) < len(run) {
		s.scratch = make([]uint64, len(run))
	}
	return stableSortIDs(s.t, run, s.scratch[:len(run)], func(a, b uint64) int {
		x, y := set.ref(a), set.ref(b)
		return s.cmp.compareFrom(k, int(x.Batch), int(x.Row), int(y.Batch), int(y.Row))
	})
}

// stableSortIDs is a bottom-up merge sort of ids by compare that keeps
// equal ids in their order and spends budget as it goes. scratch is as
// long as ids.
func stableSortIDs(t *Task, ids, scratch []uint64, compare func(a, b uint64) int) error {
	n := len(ids)
	const block = 16
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		for i := lo + 1; i < hi; i++ {
			v, j := ids[i], i
			for ; j > lo && compare(ids[j-1], v) > 0; j-- {
				ids[j] = ids[j-1]
			}
			ids[j] = v
		}
		if err := t.Spend(hi - lo); err != nil {
			return err
		}
	}
	src, dst := ids, scratch
	for width := block; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			if err := mergeIDs(t, src[lo:mid], src[mid:hi], dst[lo:hi], compare); err != nil {
				return err
			}
		}
		src, dst = dst, src
	}
	if &src[0] != &ids[0] {
		copy(ids, src)
	}
	return nil
}

// mergeIDs merges two sorted runs into dst, the left run first on ties.
func mergeIDs(t *Task, a, b, dst []uint64, compare func(a, b uint64) int) error {
	i, j := 0, 0
	for k := range dst {
		if j == len(b) || i < len(a) && compare(a[i], b[j]) <= 0 {
			dst[k] = a[i]
			i++
		} else {
			dst[k] = b[j]
			j++
		}
		if k&1023 == 1023 {
			if err := t.Spend(1024); err != nil {
				return err
			}
		}
	}
	return nil
}
