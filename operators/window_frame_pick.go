package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// MIN, MAX, FIRST_VALUE, LAST_VALUE and NTH_VALUE over frames pick one
// row of the frame and gather its value. MIN and MAX keep a monotonic
// deque of candidate rows: since a frame's start and end only move
// forward within a partition, a row enters once and leaves once, O(1) a
// row amortised whatever the frame's size, for any type the sort can
// compare. NULLs never enter.

// pickKernel returns, per row, the row of the frame whose value it takes.
type pickKernel struct {
	w    *Window
	fn   string
	nth  int64
	cmp  *rowComparator // over the argument, MIN and MAX only
	max  bool
	args []arrow.Array // the argument's array of every batch
	// The deque: candidate rows in order, each worse than none after it.
	dq    []int64
	head  int
	next  int64 // the first row not yet offered to the deque
	part  int   // the partition the deque is for
	bytes int64
}

func (w *Window) newPickKernel(c WindowCall) *pickKernel {
	k := &pickKernel{w: w, fn: c.Func, nth: c.Offset, max: c.Func == "max", part: -1}
	for _, b := range w.batches {
		k.args = append(k.args, b.Column(c.Arg))
	}
	if c.Func == "min" || c.Func == "max" {
		k.cmp = newRowComparator([]SortKey{{Col: c.Arg}}, w.child.Schema())
		for _, b := range w.batches {
			k.cmp.addBatch(b)
		}
	}
	return k
}

func (k *pickKernel) chunk(t *Task, los, his []int64) (arrow.Array, error) {
	refs := make([]vector.RowRef, len(los))
	for i := range los {
		target := int64(-1)
		lo, hi := los[i], his[i]
		switch k.fn {
		case "first_value":
			if lo < hi {
				target = lo
			}
		case "last_value":
			if lo < hi {
				target = hi - 1
			}
		case "nth_value":
			if k.nth <= hi-lo {
				target = lo + k.nth - 1
			}
		default:
			target = k.best(lo, hi)
		}
		refs[i] = vector.RowRef{Batch: -1}
		if target >= 0 {
			refs[i] = k.w.ref(int(target), 0)
		}
	}
	k.bytes = int64(cap(k.dq)) * 8
	return vector.TakeMulti(t.Alloc(), k.args, refs), nil
}

// best returns the row of the least (or greatest) non-NULL value of
// [lo, hi), or -1. Calls come in row order.
func (k *pickKernel) best(lo, hi int64) int64 {
	if lo >= hi {
		// An empty frame leaves the deque as it is: the frames after it
		// start no earlier.
		return -1
	}
	if p := int(k.w.idx.part.Get(int(lo))); p != k.part {
		k.part, k.dq, k.head, k.next = p, k.dq[:0], 0, lo
	}
	k.next = max(k.next, lo)
	for ; k.next < hi; k.next++ {
		ref := k.w.ref(int(k.next), 0)
		if k.args[ref.Batch].IsNull(int(ref.Row)) {
			continue
		}
		for len(k.dq) > k.head && !k.better(k.dq[len(k.dq)-1], ref) {
			k.dq = k.dq[:len(k.dq)-1]
		}
		k.dq = append(k.dq, k.next)
	}
	for k.head < len(k.dq) && k.dq[k.head] < lo {
		k.head++
	}
	if k.head > 4096 && k.head > len(k.dq)/2 { // drop the dead front
		k.dq = k.dq[:copy(k.dq, k.dq[k.head:])]
		k.head = 0
	}
	if k.head == len(k.dq) {
		return -1
	}
	return k.dq[k.head]
}

// better reports whether row r's value beats the new row's (at ref), so
// that r stays ahead of it; a tie keeps the earlier row.
func (k *pickKernel) better(r int64, ref vector.RowRef) bool {
	have := k.w.ref(int(r), 0)
	c := k.cmp.compare(int(have.Batch), int(have.Row), int(ref.Batch), int(ref.Row))
	if k.max {
		return c >= 0
	}
	return c <= 0
}
