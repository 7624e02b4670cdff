package operators

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// regrAcc is the statistics of (y, x) pairs: covar_pop, covar_samp,
// corr and the regr_* functions, over DOUBLEs (the binder casts numbers),
// skipping a row where either is NULL. Each group keeps the count, the
// means of x and y, their squared deviations and the co-moment (the sum
// of (x - mean x)(y - mean y)), updated a pair at a time as Welford's
// variance is: sums of squares and products would cancel catastrophically
// for large, close values. Partial states merge by the pairwise formulas
// (Chan et al.), so the aggregate splits across workers like the
// variances. Arg is y and Arg2 x, as the functions take them.
type regrAcc struct {
	kind AggKind
	n    paged.Vec[int64]
	mx   paged.Vec[float64]
	my   paged.Vec[float64]
	sxx  paged.Vec[float64]
	syy  paged.Vec[float64]
	sxy  paged.Vec[float64]
}

func (a *regrAcc) resize(t *Task, n int) error {
	return growState(t, n, &a.n, &a.mx, &a.my, &a.sxx, &a.syy, &a.sxy)
}

// update is never called: HashAggregate gives this accumulator both
// arguments through update2.
func (a *regrAcc) update(*Task, []int32, arrow.Array) error { return nil }

func (a *regrAcc) update2(t *Task, gids []int32, y, x arrow.Array) error {
	yf, ok1 := y.(*array.Float64)
	xf, ok2 := x.(*array.Float64)
	if !ok1 || !ok2 {
		return nil // the NULL type: no pairs
	}
	nulls := y.NullN() > 0 || x.NullN() > 0
	ns, mxs, mys := a.n.View(), a.mx.View(), a.my.View()
	sxxs, syys, sxys := a.sxx.View(), a.syy.View(), a.sxy.View()
	xs := xf.Float64Values()
	for i, yv := range yf.Float64Values() {
		if nulls && (y.IsNull(i) || x.IsNull(i)) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		xv := xs[i]
		n := ns.At(g)
		*n++
		mx, my := mxs.At(g), mys.At(g)
		dx, dy := xv-*mx, yv-*my
		*mx += dx / float64(*n)
		*my += dy / float64(*n)
		*sxxs.At(g) += dx * (xv - *mx)
		*syys.At(g) += dy * (yv - *my)
		*sxys.At(g) += dx * (yv - *my)
	}
	return nil
}

func (a *regrAcc) states(mem memory.Allocator, from, to int) []arrow.Array {
	out := []arrow.Array{int64Column(mem, &a.n, from, to)}
	for _, v := range []*paged.Vec[float64]{&a.mx, &a.my, &a.sxx, &a.syy, &a.sxy} {
		out = append(out, float64Column(mem, v, from, to))
	}
	return out
}

func (a *regrAcc) merge(t *Task, gids []int32, states []arrow.Array) error {
	cnt := states[0].(*array.Int64).Int64Values()
	f := func(k int) []float64 { return states[k].(*array.Float64).Float64Values() }
	mxb, myb, sxxb, syyb, sxyb := f(1), f(2), f(3), f(4), f(5)
	for i, nb := range cnt {
		if nb == 0 {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		na := a.n.Get(g)
		n := na + nb
		dx, dy := mxb[i]-a.mx.Get(g), myb[i]-a.my.Get(g)
		w := float64(na) * float64(nb) / float64(n)
		*a.mx.At(g) += dx * float64(nb) / float64(n)
		*a.my.At(g) += dy * float64(nb) / float64(n)
		*a.sxx.At(g) += sxxb[i] + dx*dx*w
		*a.syy.At(g) += syyb[i] + dy*dy*w
		*a.sxy.At(g) += sxyb[i] + dx*dy*w
		a.n.Set(g, n)
	}
	return nil
}

func (a *regrAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	if a.kind == AggRegrCount {
		return int64Column(mem, &a.n, from, to)
	}
	return float64Results(mem, from, to, a.result)
}

// result is group g's value, or false for NULL. Where DuckDB divides zero
// by zero (corr of a constant, regr_slope over one x) the result is NaN,
// as there.
func (a *regrAcc) result(g int) (float64, bool) {
	c := a.n.Get(g)
	if c == 0 {
		return 0, false
	}
	n := float64(c)
	sxx, syy, sxy := a.sxx.Get(g), a.syy.Get(g), a.sxy.Get(g)
	switch a.kind {
	case AggCovarPop:
		return sxy / n, true
	case AggCovarSamp:
		return sxy / (n - 1), c > 1
	case AggCorr:
		return (sxy / n) / (math.Sqrt(sxx/n) * math.Sqrt(syy/n)), true
	case AggRegrSlope:
		return (sxy / n) / (sxx / n), true
	case AggRegrIntercept:
		slope := (sxy / n) / (sxx / n)
		if math.IsNaN(slope) {
			return 0, false
		}
		return a.my.Get(g) - slope*a.mx.Get(g), true
	case AggRegrR2:
		switch {
		case sxx == 0:
			return 0, false
		case syy == 0:
			return 1, true
		}
		r := (sxy / n) / (math.Sqrt(sxx/n) * math.Sqrt(syy/n))
		return r * r, true
	case AggRegrAvgX:
		return a.mx.Get(g), true
	case AggRegrAvgY:
		return a.my.Get(g), true
	case AggRegrSXX:
		return sxx, true
	case AggRegrSYY:
		return syy, true
	}
	return sxy, true // AggRegrSXY
}

func (a *regrAcc) memBytes() int64 {
	return a.n.Bytes() + a.mx.Bytes() + a.my.Bytes() + a.sxx.Bytes() + a.syy.Bytes() + a.sxy.Bytes()
}

// int64Column and float64Column copy groups [from, to) of a state out.
func int64Column(mem memory.Allocator, v *paged.Vec[int64], from, to int) arrow.Array {
	buf, out := vector.AllocValues[int64](mem, to-from)
	copyOut(out, v, from, to)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, to-from, nil, 0, buf)
}

func float64Column(mem memory.Allocator, v *paged.Vec[float64], from, to int) arrow.Array {
	buf, out := vector.AllocValues[float64](mem, to-from)
	copyOut(out, v, from, to)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, to-from, nil, 0, buf)
}
