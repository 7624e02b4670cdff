package operators

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// varAcc is var_samp, var_pop, stddev_samp and stddev_pop over DOUBLEs
// (the binder casts other numbers). Each group keeps a count, a mean and
// the sum of squared deviations from it, updated one value at a time
// (Welford): the textbook sum-of-squares formula loses every digit when
// the values are large and close together. Partial states merge by
// Chan's formula, so the aggregate splits across workers like AVG.
type varAcc struct {
	kind   AggKind // the function finish computes
	counts paged.Vec[int64]
	means  paged.Vec[float64]
	m2s    paged.Vec[float64]
}

func (a *varAcc) resize(t *Task, n int) error {
	return growState(t, n, &a.counts, &a.means, &a.m2s)
}

func (a *varAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	fl, ok := arg.(*array.Float64)
	if !ok {
		return nil // the NULL type: nothing to add
	}
	nulls := arg.NullN() > 0
	counts, means, m2s := a.counts.View(), a.means.View(), a.m2s.View()
	for i, x := range fl.Float64Values() {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		n := counts.At(g)
		*n++
		mean := means.At(g)
		d := x - *mean
		*mean += d / float64(*n)
		*m2s.At(g) += d * (x - *mean)
	}
	return nil
}

// merge folds partial states (counts, means, squared deviations).
func (a *varAcc) merge(gids []int32, counts, means, m2s arrow.Array) {
	cnt := counts.(*array.Int64).Int64Values()
	mu := means.(*array.Float64).Float64Values()
	sq := m2s.(*array.Float64).Float64Values()
	myCounts, myMeans, myM2s := a.counts.View(), a.means.View(), a.m2s.View()
	for i, nb := range cnt {
		if nb == 0 || counts.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		na := *myCounts.At(g)
		n := na + nb
		d := mu[i] - *myMeans.At(g)
		*myMeans.At(g) += d * float64(nb) / float64(n)
		*myM2s.At(g) += sq[i] + d*d*float64(na)*float64(nb)/float64(n)
		*myCounts.At(g) = n
	}
}

// states returns the partial states of groups [from, to).
func (a *varAcc) states(mem memory.Allocator, from, to int) []arrow.Array {
	n := to - from
	cbuf, cnt := vector.AllocValues[int64](mem, n)
	copyOut(cnt, &a.counts, from, to)
	mbuf, mu := vector.AllocValues[float64](mem, n)
	copyOut(mu, &a.means, from, to)
	sbuf, sq := vector.AllocValues[float64](mem, n)
	copyOut(sq, &a.m2s, from, to)
	return []arrow.Array{
		vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, cbuf),
		vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, nil, 0, mbuf),
		vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, nil, 0, sbuf),
	}
}

func (a *varAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	n := to - from
	cnt := make([]int64, n)
	copyOut(cnt, &a.counts, from, to)
	buf, out := vector.AllocValues[float64](mem, n)
	copyOut(out, &a.m2s, from, to)
	valid := make([]bool, n)
	samp := a.kind == AggVarSamp || a.kind == AggStddevSamp
	for i, c := range cnt {
		switch {
		case samp && c > 1:
			out[i] /= float64(c - 1)
		case !samp && c > 0:
			out[i] /= float64(c)
		default:
			continue // NULL: no values, or one for a sample
		}
		valid[i] = true
		if a.kind == AggStddevSamp || a.kind == AggStddevPop {
			out[i] = math.Sqrt(out[i])
		}
	}
	validity, nulls := seenValidity(mem, valid)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf)
}

func (a *varAcc) memBytes() int64 { return a.counts.Bytes() + a.means.Bytes() + a.m2s.Bytes() }
