package operators

import (
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// median and the quantiles over frames (a rolling median: median(x) OVER
// (ORDER BY t ROWS 9 PRECEDING)). A small ROWS frame's quantile is picked
// from a sorted copy of its values (window_frame_quantile_small.go). For
// the others every value is ranked once (newQuantileFrames), and a Fenwick
// tree counts the ranks of the rows in the current frame. A frame's starts
// and ends only move forward (frameBounds), so each row enters and leaves
// the tree once, and the k-th value of a frame is a descent of the tree:
// O(log n) a row whatever the frame's size. The values, their typing and
// the interpolation are the GROUP BY quantiles' (quantileAcc), so the two
// agree.

type quantileFrames[T any] struct {
	acc   *quantileAcc[T] // the aggregate's fraction, order, interpolation and output
	vals  paged.Vec[T]    // the non-NULL values in ascending order
	rank  paged.Vec[int32]
	tree  paged.Vec[int32] // Fenwick tree over the ranks (from 1): counts of the frame's values
	top   int              // the highest power of two < tree.Len()
	count int              // values in the frame
	lo    int64            // the frame the tree holds: rows [lo, hi)
	hi    int64
}

// newQuantileKernel returns the frame kernel of a quantile call, and the
// memory it holds.
func (w *Window) newQuantileKernel(t *Task, c WindowCall) (frameKernel, int64, error) {
	in := types.MustFromArrow(w.child.Schema().Field(c.Arg).Type)
	kind := AggQuantileDisc
	if c.Func == "quantile_cont" {
		kind = AggQuantileCont
	}
	small := smallRowsFrame(c.Frame)
	switch acc := newQuantileAcc(AggSpec{Kind: kind, Arg: c.Arg, In: in, Out: c.Out, Frac: c.Frac}).(type) {
	case *quantileAcc[float64]:
		return quantileKernelOf(t, w, c.Arg, acc, small)
	case *quantileAcc[int64]:
		return quantileKernelOf(t, w, c.Arg, acc, small)
	case *quantileAcc[decimal128.Num]:
		return quantileKernelOf(t, w, c.Arg, acc, small)
	case *quantileAcc[string]:
		return quantileKernelOf(t, w, c.Arg, acc, small)
	case nullAcc:
		return nullFrames{}, 0, nil
	}
	return nil, 0, sqlerr.New(sqlerr.ErrInternal, "%s over a frame of %s", c.Func, in)
}

// rankedValue is a value and its row.
type rankedValue[T any] struct {
	v   T
	row int32
}

// newQuantileFrames ranks every value: each batch's values are sorted on
// their own, and the sorted runs merged by a heap into the paged vectors.
// No step holds one slice of the whole input: a make of millions of
// rows, zeroed in one call, and one sort or copy of them, each went 10-30
// ms between checks.
func newQuantileFrames[T any](t *Task, w *Window, arg int, acc *quantileAcc[T]) (*quantileFrames[T], int64, error) {
	k := &quantileFrames[T]{acc: acc}
	less := func(x, y rankedValue[T]) int {
		if c := acc.cmp(x.v, y.v); c != 0 {
			return c
		}
		return int(x.row - y.row)
	}
	var runs []paged.Vec[rankedValue[T]]
	n := 0
	var batch []rankedValue[T]
	for _, b := range w.batches {
		col := b.Column(arg)
		at := acc.at(col)
		batch = batch[:0]
		for i := range int(b.NumRows()) {
			if col.IsValid(i) {
				batch = append(batch, rankedValue[T]{v: at(i), row: int32(n + i)})
			}
		}
		n += int(b.NumRows())
		slices.SortFunc(batch, less)
		var run paged.Vec[rankedValue[T]]
		if err := run.Reserve(t, len(batch)); err != nil {
			return nil, 0, err
		}
		for _, r := range batch {
			run.Append(r)
		}
		if len(batch) > 0 {
			runs = append(runs, run)
		}
		if err := t.Spend(8 * int(b.NumRows())); err != nil {
			return nil, 0, err
		}
	}
	if err := k.rank.Resize(t, n); err != nil {
		return nil, 0, err
	}
	for i := range n {
		k.rank.Set(i, -1) // NULL: never in a frame's count
		if err := spendEvery4K(t, i); err != nil {
			return nil, 0, err
		}
	}
	// The k-way merge: a heap of the runs' heads, least first.
	pos := make([]int, len(runs))
	h := make([]int, len(runs)) // run indexes
	for i := range h {
		h[i] = i
	}
	head := func(r int) rankedValue[T] { return runs[r].Get(pos[r]) }
	lessRun := func(a, b int) bool { return less(head(h[a]), head(h[b])) < 0 }
	down := func(i int) {
		for {
			m, l, r := i, 2*i+1, 2*i+2
			if l < len(h) && lessRun(l, m) {
				m = l
			}
			if r < len(h) && lessRun(r, m) {
				m = r
			}
			if m == i {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for i := 0; len(h) > 0; i++ {
		r := h[0]
		x := head(r)
		if err := k.vals.Reserve(t, 1); err != nil {
			return nil, 0, err
		}
		k.vals.Append(x.v)
		k.rank.Set(int(x.row), int32(i))
		if pos[r]++; pos[r] == runs[r].Len() {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		down(0)
		if err := spendEvery4K(t, 16*i); err != nil { // a heap step is a few comparisons
			return nil, 0, err
		}
	}
	runs = nil
	if err := k.tree.Resize(t, k.vals.Len()+1); err != nil {
		return nil, 0, err
	}
	for k.top = 1; k.top*2 < k.tree.Len(); k.top *= 2 {
	}
	bytes := k.rank.Bytes() + k.tree.Bytes() + k.vals.Bytes()
	return k, bytes, nil
}

// spendEvery4K spends for the 4096 units of a loop that reached unit i.
func spendEvery4K(t *Task, i int) error {
	if i&(1<<12-1) != 0 || i == 0 {
		return nil
	}
	return t.Spend(1 << 12)
}

// add counts row r's value in (+1) or out of (-1) the frame.
func (k *quantileFrames[T]) add(r int64, d int32) {
	i := int(k.rank.Get(int(r)))
	if i < 0 {
		return
	}
	k.count += int(d)
	for i++; i < k.tree.Len(); i += i & -i {
		*k.tree.At(i) += d
	}
}

// kth is the k-th least value of the frame (from 0).
func (k *quantileFrames[T]) kth(want int) T {
	pos := 0 // the tree's prefix below pos holds at most want values
	for step := k.top; step > 0; step /= 2 {
		if next := pos + step; next < k.tree.Len() && int(k.tree.Get(next)) <= want {
			pos = next
			want -= int(k.tree.Get(next))
		}
	}
	return k.vals.Get(pos) // rank pos (tree index pos+1) holds the value
}

// slide makes the tree hold rows [lo, hi); both only move forward.
func (k *quantileFrames[T]) slide(lo, hi int64) {
	if lo >= k.hi {
		for ; k.lo < k.hi; k.lo++ {
			k.add(k.lo, -1)
		}
		k.lo, k.hi = lo, lo
	}
	for ; k.hi < hi; k.hi++ {
		k.add(k.hi, 1)
	}
	for ; k.lo < lo; k.lo++ {
		k.add(k.lo, -1)
	}
}

func (k *quantileFrames[T]) chunk(t *Task, los, his []int64) (arrow.Array, error) {
	a := k.acc
	out := make([]T, len(los))
	valid := make([]bool, len(los))
	for i := range los {
		k.slide(los[i], his[i])
		n := k.count
		if n == 0 {
			continue
		}
		valid[i] = true
		if !a.cont {
			out[i] = k.kth(a.frac.discRank(n))
			continue
		}
		frn, crn, d := a.frac.contRanks(n)
		if a.frac.Desc {
			frn, crn = n-1-frn, n-1-crn
		}
		out[i] = k.kth(frn)
		if crn != frn {
			out[i] = a.interp(out[i], k.kth(crn), d)
		}
		if i%256 == 255 { // two tree descents and the slide: about 1 µs a row
			if err := t.Spend(256 * 8); err != nil {
				return nil, err
			}
		}
	}
	return a.build(t.Alloc(), out, valid), nil
}

// nullFrames is a quantile of the NULL type: NULL over every frame.
type nullFrames struct{}

func (nullFrames) chunk(_ *Task, los, _ []int64) (arrow.Array, error) {
	return array.NewNull(len(los)), nil
}
