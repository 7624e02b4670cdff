package operators

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/vector"
)

// skewness, kurtosis and kurtosis_pop over frames: a segment tree
// (segTree, window_frame_moments.go) whose nodes hold the third and fourth
// central moment sums as well, merged by Pébay's formulas as the GROUP BY
// aggregate merges its workers' states (agg_moments.go), whose formulas
// the results are. The variances' nodes stay three numbers.

// moments4 is a set of values' count, mean and second to fourth central
// moment sums.
type moments4 struct {
	n, mean, m2, m3, m4 float64
}

// merge returns the moments of the union of a's and b's values.
func (a moments4) merge(b moments4) moments4 {
	switch {
	case b.n == 0:
		return a
	case a.n == 0:
		return b
	}
	na, nb := a.n, b.n
	n := na + nb
	d := b.mean - a.mean
	d2 := d * d
	return moments4{
		n:    n,
		mean: a.mean + d*nb/n,
		m2:   a.m2 + b.m2 + d2*na*nb/n,
		m3:   a.m3 + b.m3 + d2*d*na*nb*(na-nb)/(n*n) + 3*d*(na*b.m2-nb*a.m2)/n,
		m4: a.m4 + b.m4 + d2*d2*na*nb*(na*na-na*nb+nb*nb)/(n*n*n) +
			6*d2*(na*na*b.m2+nb*nb*a.m2)/(n*n) + 4*d*(na*b.m3-nb*a.m3)/n,
	}
}

type skewKernel struct {
	kind AggKind
	tree segTree[moments4]
}

func (w *Window) newSkewKernel(t *Task, c WindowCall) (*skewKernel, error) {
	k := &skewKernel{kind: WindowAggKinds[c.Func]}
	err := k.tree.build(t, w, c.Arg, func(v float64) moments4 { return moments4{n: 1, mean: v} })
	return k, err
}

func (k *skewKernel) bytes() int64 { return k.tree.tree.Bytes() }

func (k *skewKernel) chunk(t *Task, los, his []int64) (arrow.Array, error) {
	n := len(los)
	buf, out := vector.AllocValuesUninit[float64](t.Alloc(), n)
	valid := make([]bool, n)
	for i := range n {
		m := k.tree.frame(los[i], his[i])
		out[i] = 0
		if m.n > 0 {
			out[i], valid[i] = momentResult(k.kind, m.n, m.m2, m.m3, m.m4)
		}
		// As the GROUP BY aggregate: moments so large their powers
		// overflow are an error, not an Inf.
		if valid[i] && (math.IsInf(out[i], 0) || math.IsNaN(out[i]) && m.m2 != 0) {
			buf.Release()
			return nil, sqlerr.New(sqlerr.ErrOverflow, "%s is out of range", k.kind)
		}
	}
	validity, nulls := vector.ValidityOf(t.Alloc(), valid)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf), nil
}
