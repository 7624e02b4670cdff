package operators

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// The variances and standard deviations over frames (a rolling standard
// deviation: stddev(x) OVER (ORDER BY t ROWS 9 PRECEDING)). Prefix sums of
// x and x² would give any frame's in O(1), but their difference cancels
// catastrophically when the values are large and close. So, as for DOUBLE
// sums (window_frame_sum.go), a segment tree: each node holds the count,
// mean and squared deviations (M2) of its rows, a frame combines at most
// 2 log n nodes by Chan's formula, the one the GROUP BY aggregates merge
// their workers' states with (agg_variance.go).

// moments is a set of values' count, mean and sum of squared deviations
// from the mean.
type moments struct {
	n, mean, m2 float64
}

// merge returns the moments of the union of a's and b's values.
func (a moments) merge(b moments) moments {
	switch {
	case b.n == 0:
		return a
	case a.n == 0:
		return b
	}
	n := a.n + b.n
	d := b.mean - a.mean
	return moments{n: n, mean: a.mean + d*b.n/n, m2: a.m2 + b.m2 + d*d*a.n*b.n/n}
}

// momentsKernel computes var_samp, var_pop, stddev_samp and stddev_pop
// (and their other names) over frames.
type momentsKernel struct {
	fn   string
	tree segTree[moments]
}

func (w *Window) newMomentsKernel(t *Task, c WindowCall) (*momentsKernel, error) {
	k := &momentsKernel{fn: c.Func}
	err := k.tree.build(t, w, c.Arg, func(v float64) moments { return moments{n: 1, mean: v} })
	return k, err
}

func (k *momentsKernel) bytes() int64 { return k.tree.tree.Bytes() }

// mergeable is a segment tree node's state: the state of the union of
// two sets of rows is the merge of theirs.
type mergeable[S any] interface {
	merge(S) S
}

// segTree is a segment tree over the input's rows of DOUBLE values: leaves
// at [n, 2n) (the zero state for a NULL), node i the merge of 2i and 2i+1.
type segTree[S mergeable[S]] struct {
	tree paged.Vec[S]
	n    int
}

// build makes the tree of column arg of the window's input, leaf(v) the
// state of one value.
func (s *segTree[S]) build(t *Task, w *Window, arg int, leaf func(float64) S) error {
	for _, b := range w.batches {
		s.n += int(b.NumRows())
	}
	if err := s.tree.Resize(t, 2*s.n); err != nil {
		return err
	}
	i := s.n
	for _, b := range w.batches {
		x, ok := b.Column(arg).(*array.Float64)
		if !ok { // the NULL type: no value, every frame NULL
			i += int(b.NumRows())
			continue
		}
		for r, v := range x.Float64Values() {
			if x.IsValid(r) {
				*s.tree.At(i) = leaf(v)
			}
			i++
		}
		if err := t.Spend(x.Len()); err != nil {
			return err
		}
	}
	for i := s.n - 1; i >= 1; i-- {
		*s.tree.At(i) = s.tree.Get(2 * i).merge(s.tree.Get(2*i + 1))
		if i%spendEvery == 0 {
			if err := t.Spend(spendEvery); err != nil {
				return err
			}
		}
	}
	return nil
}

// spendEvery is how many tree nodes are built between two spends.
const spendEvery = 1 << 14

// frame returns the state of rows [lo, hi): the nodes covering it, from
// both ends inwards.
func (s *segTree[S]) frame(lo, hi int64) S {
	var left, right S
	l, r := int(lo)+s.n, int(hi)+s.n
	for l < r {
		if l&1 == 1 {
			left = left.merge(s.tree.Get(l))
			l++
		}
		if r&1 == 1 {
			r--
			right = s.tree.Get(r).merge(right)
		}
		l, r = l/2, r/2
	}
	return left.merge(right)
}

func (k *momentsKernel) chunk(t *Task, los, his []int64) (arrow.Array, error) {
	n := len(los)
	buf, out := vector.AllocValuesUninit[float64](t.Alloc(), n)
	valid := make([]bool, n)
	for i := range n {
		m := k.tree.frame(los[i], his[i])
		var v float64
		switch k.fn {
		case "var_pop", "stddev_pop":
			valid[i] = m.n >= 1
			if valid[i] {
				v = m.m2 / m.n
			}
		default: // the samples'
			valid[i] = m.n >= 2
			if valid[i] {
				v = m.m2 / (m.n - 1)
			}
		}
		if k.fn == "stddev" || k.fn == "stddev_samp" || k.fn == "stddev_pop" {
			v = math.Sqrt(v)
		}
		out[i] = v
	}
	validity, nulls := vector.ValidityOf(t.Alloc(), valid)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf), nil
}
