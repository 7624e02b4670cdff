package operators

import (
	"bytes"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// orderedStringAggAcc is string_agg(s, sep ORDER BY ...): Arg2 is the
// rows' sort key (expr.SortKeyFunc), bytes whose order is the ORDER BY's.
// Each group keeps its rows' keys and strings; prepare sorts them, stably
// (rows with equal keys keep their arrival order), and finish joins them.
type orderedStringAggAcc struct {
	sep   []byte
	rows  paged.Vec[[]keyedText]
	bytes int64 // the keys' and texts' bytes, for memBytes
	// joined holds the joined strings of the range prepare last sorted.
	joined [][]byte
	from   int
}

// keyedText is one row: its sort key and its string, in one allocation.
type keyedText struct {
	buf  []byte
	klen int
}

func (k keyedText) key() []byte  { return k.buf[:k.klen] }
func (k keyedText) text() []byte { return k.buf[k.klen:] }

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
	rows := a.rows.View()
	for i := 0; i < s.Len(); i++ {
		if s.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		k, v := vector.StringAt(keys, i), vector.StringAt(s, i)
		buf := make([]byte, 0, len(k)+len(v))
		buf = append(append(buf, k...), v...)
		r := rows.At(g)
		*r = append(*r, keyedText{buf: buf, klen: len(k)})
		a.bytes += int64(len(buf)) + 32
	}
	return nil
}

// prepare sorts and joins the groups [from, to).
func (a *orderedStringAggAcc) prepare(t *Task, from, to int) error {
	a.joined, a.from = a.joined[:0], from
	var scratch []keyedText
	var err error
	a.rows.Chunks(from, to, func(_ int, groups [][]keyedText) {
		for _, rows := range groups {
			if err != nil {
				return
			}
			if scratch, err = sortKeyed(t, rows, scratch); err != nil {
				return
			}
			var out []byte
			if len(rows) > 0 {
				out = []byte{} // not NULL
			}
			for i, r := range rows {
				if i > 0 {
					out = append(out, a.sep...)
				}
				out = append(out, r.text()...)
			}
			a.joined = append(a.joined, out)
			err = t.Spend(len(rows))
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

// sortKeyed sorts rows by key, stably, with a bottom-up merge sort that
// spends budget for every row it moves: one group may hold millions of
// rows, and a library sort could not stop for a cancel. scratch is reused
// across calls and returned.
func sortKeyed(t *Task, rows, scratch []keyedText) ([]keyedText, error) {
	n := len(rows)
	if n < 2 {
		return scratch, nil
	}
	if cap(scratch) < n {
		scratch = make([]keyedText, n)
	}
	src, dst := rows, scratch[:n]
	for width := 1; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				// <= keeps the left run's row first among equals.
				if bytes.Compare(src[i].key(), src[j].key()) <= 0 {
					dst[k] = src[i]
					i++
				} else {
					dst[k] = src[j]
					j++
				}
				k++
			}
			k += copy(dst[k:], src[i:mid])
			copy(dst[k:], src[j:hi])
			if err := t.Spend(hi - lo); err != nil {
				return scratch, err
			}
		}
		src, dst = dst, src
	}
	if &src[0] != &rows[0] {
		copy(rows, src)
	}
	return scratch, nil
}
