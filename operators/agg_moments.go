package operators

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/vector"
)

// momentAcc is skewness(x), kurtosis(x) and kurtosis_pop(x) over DOUBLEs
// (the binder casts numbers). Each group keeps the count, the mean and
// the second to fourth central moment sums, updated a value at a time
// (Welford's method carried to the fourth power) and merged pairwise, so
// that the aggregate splits across workers like the variances. DuckDB
// keeps raw power sums instead; the formulas on top are its: the sample
// skewness sqrt(n(n-1))/(n-2) * m3/m2^1.5 (NULL below three values, NaN
// when every value is the same), the sample excess kurtosis
// (n-1)((n+1) m4/m2^2 - 3(n-1)) / ((n-2)(n-3)) (NULL below four values or
// when every value is the same) and the population's m4/m2^2 - 3 (NULL
// below two values, or all the same).
type momentAcc struct {
	kind AggKind
	n    paged.Vec[int64]
	mean paged.Vec[float64]
	m2   paged.Vec[float64]
	m3   paged.Vec[float64]
	m4   paged.Vec[float64]
}

func (a *momentAcc) resize(t *Task, n int) error {
	return growState(t, n, &a.n, &a.mean, &a.m2, &a.m3, &a.m4)
}

func (a *momentAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	fl, ok := arg.(*array.Float64)
	if !ok {
		return nil // the NULL type
	}
	nulls := arg.NullN() > 0
	ns, means := a.n.View(), a.mean.View()
	m2s, m3s, m4s := a.m2.View(), a.m3.View(), a.m4.View()
	for i, x := range fl.Float64Values() {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		cnt := ns.At(g)
		n1 := float64(*cnt)
		*cnt++
		n := n1 + 1
		mean, m2, m3, m4 := means.At(g), m2s.At(g), m3s.At(g), m4s.At(g)
		d := x - *mean
		dn := d / n
		dn2 := dn * dn
		t1 := d * dn * n1
		*mean += dn
		*m4 += t1*dn2*(n*n-3*n+3) + 6*dn2**m2 - 4*dn**m3
		*m3 += t1*dn*(n-2) - 3*dn**m2
		*m2 += t1
	}
	return nil
}

func (a *momentAcc) states(mem memory.Allocator, from, to int) []arrow.Array {
	out := []arrow.Array{int64Column(mem, &a.n, from, to)}
	for _, v := range []*paged.Vec[float64]{&a.mean, &a.m2, &a.m3, &a.m4} {
		out = append(out, float64Column(mem, v, from, to))
	}
	return out
}

// merge combines the moments of two sets of values (Pébay's formulas).
func (a *momentAcc) merge(t *Task, gids []int32, states []arrow.Array) error {
	cnt := states[0].(*array.Int64).Int64Values()
	f := func(k int) []float64 { return states[k].(*array.Float64).Float64Values() }
	meanB, m2B, m3B, m4B := f(1), f(2), f(3), f(4)
	for i, c := range cnt {
		if c == 0 {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		na, nb := float64(a.n.Get(g)), float64(c)
		n := na + nb
		d := meanB[i] - a.mean.Get(g)
		d2 := d * d
		m2a, m3a := a.m2.Get(g), a.m3.Get(g)
		*a.m4.At(g) += m4B[i] + d2*d2*na*nb*(na*na-na*nb+nb*nb)/(n*n*n) +
			6*d2*(na*na*m2B[i]+nb*nb*m2a)/(n*n) + 4*d*(na*m3B[i]-nb*m3a)/n
		*a.m3.At(g) += m3B[i] + d2*d*na*nb*(na-nb)/(n*n) + 3*d*(na*m2B[i]-nb*m2a)/n
		*a.m2.At(g) += m2B[i] + d2*na*nb/n
		*a.mean.At(g) += d * nb / n
		*a.n.At(g) += c
	}
	return nil
}

func (a *momentAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	return float64Results(mem, from, to, a.result)
}

// float64Results is the DOUBLE column of groups [from, to), each group's
// value from result (false: NULL).
func float64Results(mem memory.Allocator, from, to int, result func(g int) (float64, bool)) arrow.Array {
	n := to - from
	buf, out := vector.AllocValues[float64](mem, n)
	valid := make([]bool, n)
	for i := range out {
		out[i], valid[i] = result(from + i)
	}
	validity, nulls := seenValidity(mem, valid)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf)
}

func (a *momentAcc) result(g int) (float64, bool) {
	return momentResult(a.kind, float64(a.n.Get(g)), a.m2.Get(g), a.m3.Get(g), a.m4.Get(g))
}

// momentResult is skewness, kurtosis or kurtosis_pop of n values whose
// second to fourth central moment sums are m2, m3 and m4 (false: NULL).
func momentResult(kind AggKind, n, m2sum, m3, m4 float64) (float64, bool) {
	m2 := m2sum / n
	var r float64
	switch kind {
	case AggSkewness:
		if n <= 2 {
			return 0, false
		}
		if m2 == 0 {
			return math.NaN(), true
		}
		r = math.Sqrt(n*(n-1)) / (n - 2) * (m3 / n) / math.Pow(m2, 1.5)
	case AggKurtosis:
		if n <= 3 || m2 == 0 {
			return 0, false
		}
		r = (n - 1) * ((n+1)*(m4/n)/(m2*m2) - 3*(n-1)) / ((n - 2) * (n - 3))
	default: // AggKurtosisPop
		if n <= 1 || m2 == 0 {
			return 0, false
		}
		r = (m4/n)/(m2*m2) - 3
	}
	return r, true
}

// prepare fails, as DuckDB does, when a result is out of range: moments
// of values so large that their powers overflow.
func (a *momentAcc) prepare(t *Task, from, to int) error {
	for g := from; g < to; g++ {
		if r, ok := a.result(g); ok && (math.IsInf(r, 0) || math.IsNaN(r) && a.m2.Get(g) != 0) {
			return sqlerr.New(sqlerr.ErrOverflow, "%s is out of range", a.kind)
		}
	}
	return t.Spend(to - from)
}

func (a *momentAcc) memBytes() int64 {
	return a.n.Bytes() + a.mean.Bytes() + a.m2.Bytes() + a.m3.Bytes() + a.m4.Bytes()
}
