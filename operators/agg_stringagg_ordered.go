package operators

import (
	"bytes"
	"encoding/binary"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/vector"
)

// orderedStringAggAcc is string_agg(s, sep ORDER BY ...): Arg2 is the
// rows' sort key (expr.SortKeyFunc), bytes whose order is the ORDER BY's.
// Each group keeps its rows' keys and strings in one growing buffer (an
// allocation per row made the collector the cost: 1.5M rows took 4.7x
// DuckDB's time); prepare sorts the rows, stably (rows with equal keys
// keep their arrival order), and joins them.
type orderedStringAggAcc struct {
	sep   []byte
	rows  paged.Vec[keyedRows]
	bytes int64 // the groups' buffers, for memBytes
	// joined holds the joined strings of the range prepare last sorted.
	joined [][]byte
	from   int
}

// keyedRows are one group's rows: each row's key then string in data.
type keyedRows struct {
	data []byte
	rows []keyedRow
}

// keyedRow is one row; p0 and p1 are its key's first 16 bytes, big-endian
// and zero-padded, which decide most comparisons without reading data (a
// date key and the next key's first bytes take 8).
type keyedRow struct {
	p0, p1          uint64
	off, klen, tlen int32
}

func keyPrefix(k []byte) (uint64, uint64) {
	var b [16]byte
	copy(b[:], k)
	return binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
}

func (g *keyedRows) key(r keyedRow) []byte { return g.data[r.off : r.off+r.klen] }
func (g *keyedRows) text(r keyedRow) []byte {
	return g.data[r.off+r.klen : r.off+r.klen+r.tlen]
}

func (a *orderedStringAggAcc) resize(t *Task, n int) error { return growState(t, n, &a.rows) }

// update is never called: HashAggregate gives this accumulator both
// arguments through update2.
func (a *orderedStringAggAcc) update(*Task, []int32, arrow.Array) error { return nil }

func (a *orderedStringAggAcc) update2(t *Task, gids []int32, x, y arrow.Array) error {
	s, ok := x.(*array.String)
	if !ok { // the NULL type: nothing to join
		return nil
	}
	keys := y.(*array.String)
	groups := a.rows.View()
	for i := 0; i < s.Len(); i++ {
		if s.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		k, v := vector.StringAt(keys, i), vector.StringAt(s, i)
		grp := groups.At(g)
		before := cap(grp.data) + rowBytes*cap(grp.rows)
		if len(grp.data)+len(k)+len(v) > maxGroupBytes {
			return errStringAggTooBig()
		}
		off := int32(len(grp.data))
		grp.data = append(append(grp.data, k...), v...)
		p0, p1 := keyPrefix(k)
		grp.rows = append(grp.rows, keyedRow{p0: p0, p1: p1, off: off, klen: int32(len(k)), tlen: int32(len(v))})
		a.bytes += int64(cap(grp.data) + rowBytes*cap(grp.rows) - before)
	}
	return nil
}

const rowBytes = 32 // a keyedRow's size

// maxGroupBytes bounds one group's keys and strings, whose offsets are
// int32s; a joined string is bounded lower still (maxStringBytes).
const maxGroupBytes = 1<<31 - 1

// prepare sorts and joins the groups [from, to).
func (a *orderedStringAggAcc) prepare(t *Task, from, to int) error {
	a.joined, a.from = a.joined[:0], from
	var scratch []keyedRow
	var err error
	a.rows.Chunks(from, to, func(_ int, groups []keyedRows) {
		for gi := range groups {
			if err != nil {
				return
			}
			g := &groups[gi]
			less := func(x, y keyedRow) bool {
				if x.p0 != y.p0 {
					return x.p0 < y.p0
				}
				if x.p1 != y.p1 {
					return x.p1 < y.p1
				}
				return bytes.Compare(g.key(x), g.key(y)) <= 0
			}
			if scratch, err = mergeSortStable(t, g.rows, scratch, less); err != nil {
				return
			}
			var out []byte
			if len(g.rows) > 0 {
				// Not NULL, and the joined string's exact size: growing it
				// by appends copied 4.8 MB strings over and over.
				size := len(a.sep) * (len(g.rows) - 1)
				for _, r := range g.rows {
					size += int(r.tlen)
				}
				out = make([]byte, 0, size)
			}
			for i, r := range g.rows {
				if i > 0 {
					out = append(out, a.sep...)
				}
				out = append(out, g.text(r)...)
			}
			a.joined = append(a.joined, out)
			err = t.Spend(len(g.rows))
		}
	})
	return err
}

func (a *orderedStringAggAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	if a.from != from || len(a.joined) != to-from {
		panic("orderedStringAggAcc: finish without prepare of the same range")
	}
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(to - from)
	for _, s := range a.joined {
		if s == nil {
			b.AppendNull()
		} else {
			b.BinaryBuilder.Append(s)
		}
	}
	a.joined = a.joined[:0]
	return b.NewArray()
}

func (a *orderedStringAggAcc) memBytes() int64 { return a.rows.Bytes() + a.bytes }

// mergeSortStable sorts rows by lessEq (x before or equal to y), stably,
// with a bottom-up merge sort that spends budget for every row it moves:
// one group may hold millions of rows, and a library sort could not stop
// for a cancel. scratch is reused across calls and returned.
func mergeSortStable[T any](t *Task, rows, scratch []T, lessEq func(x, y T) bool) ([]T, error) {
	n := len(rows)
	if n < 2 {
		return scratch, nil
	}
	if cap(scratch) < n {
		scratch = make([]T, n)
	}
	src, dst := rows, scratch[:n]
	for width := 1; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				// lessEq keeps the left run's row first among equals.
				if lessEq(src[i], src[j]) {
					dst[k] = src[i]
					i++
				} else {
					dst[k] = src[j]
					j++
				}
				k++
				// The last passes merge runs of millions of rows: spend
				// inside a merge, not only after it.
				if k%mergeSpend == 0 {
					if err := t.Spend(mergeSpend); err != nil {
						return scratch, err
					}
				}
			}
			// What is left of either run, a chunk between spends.
			for _, rest := range [][]T{src[i:mid], src[j:hi]} {
				for len(rest) > 0 {
					c := copy(dst[k:], rest[:min(len(rest), mergeSpend)])
					k, rest = k+c, rest[c:]
					if err := t.Spend(c); err != nil {
						return scratch, err
					}
				}
			}
		}
		src, dst = dst, src
	}
	if &src[0] != &rows[0] {
		copy(rows, src)
	}
	return scratch, nil
}

// mergeSpend is how many rows mergeSortStable merges between spends.
const mergeSpend = 4096

func errStringAggTooBig() error {
	return sqlerr.New(sqlerr.ErrInvalidValue, "string_agg of one group larger than %d bytes", maxGroupBytes)
}
