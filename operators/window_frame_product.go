package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// product over frames: the segment tree of the non-NULL values' count and
// product (a frame of no value is NULL). Partial products multiply in
// another order than one pass over the frame, so the last bits may differ
// from a sequential product, as between the GROUP BY aggregate's workers.
type productState struct {
	n, p float64
}

func (a productState) merge(b productState) productState {
	switch {
	case b.n == 0:
		return a
	case a.n == 0:
		return b
	}
	return productState{n: a.n + b.n, p: a.p * b.p}
}

type productKernel struct {
	tree segTree[productState]
}

func (w *Window) newProductKernel(t *Task, c WindowCall) (*productKernel, error) {
	k := &productKernel{}
	err := k.tree.build(t, w, c.Arg, func(v float64) productState { return productState{n: 1, p: v} })
	return k, err
}

func (k *productKernel) bytes() int64 { return k.tree.tree.Bytes() }

func (k *productKernel) chunk(t *Task, los, his []int64) (arrow.Array, error) {
	n := len(los)
	buf, out := vector.AllocValuesUninit[float64](t.Alloc(), n)
	valid := make([]bool, n)
	for i := range n {
		s := k.tree.frame(los[i], his[i])
		out[i], valid[i] = s.p, s.n > 0
	}
	validity, nulls := vector.ValidityOf(t.Alloc(), valid)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf), nil
}
