package operators

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// kahanAcc is fsum(x) (sumKahan, kahan_sum) and favg(x): a DOUBLE sum
// that carries the low-order bits each addition loses in a compensation
// term (Kahan-Babuska, which also holds when an addend is larger than the
// sum), so that 1e20 + 1 - 1e20 is 1. The partial state is the sum, its
// compensation and the count; the final phase adds both terms of each.
type kahanAcc struct {
	avg    bool
	sums   paged.Vec[float64]
	comps  paged.Vec[float64]
	counts paged.Vec[int64]
}

func (a *kahanAcc) resize(t *Task, n int) error {
	return growState(t, n, &a.sums, &a.comps, &a.counts)
}

// kahanAdd adds x to the sum *s with compensation *c.
func kahanAdd(s, c *float64, x float64) {
	t := *s + x
	if math.Abs(*s) >= math.Abs(x) {
		*c += (*s - t) + x
	} else {
		*c += (x - t) + *s
	}
	*s = t
}

func (a *kahanAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	fl, ok := arg.(*array.Float64)
	if !ok {
		return nil // the NULL type
	}
	nulls := arg.NullN() > 0
	sums, comps, counts := a.sums.View(), a.comps.View(), a.counts.View()
	for i, x := range fl.Float64Values() {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		kahanAdd(sums.At(g), comps.At(g), x)
		*counts.At(g)++
	}
	return nil
}

func (a *kahanAcc) states(mem memory.Allocator, from, to int) []arrow.Array {
	n := to - from
	sbuf, s := vector.AllocValues[float64](mem, n)
	copyOut(s, &a.sums, from, to)
	cbuf, c := vector.AllocValues[float64](mem, n)
	copyOut(c, &a.comps, from, to)
	nbuf, cnt := vector.AllocValues[int64](mem, n)
	copyOut(cnt, &a.counts, from, to)
	return []arrow.Array{
		vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, nil, 0, sbuf),
		vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, nil, 0, cbuf),
		vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, nbuf),
	}
}

func (a *kahanAcc) merge(t *Task, gids []int32, states []arrow.Array) error {
	s := states[0].(*array.Float64).Float64Values()
	c := states[1].(*array.Float64).Float64Values()
	cnt := states[2].(*array.Int64).Int64Values()
	sums, comps, counts := a.sums.View(), a.comps.View(), a.counts.View()
	for i, n := range cnt {
		if n == 0 {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		kahanAdd(sums.At(g), comps.At(g), s[i])
		kahanAdd(sums.At(g), comps.At(g), c[i])
		*counts.At(g) += n
	}
	return nil
}

func (a *kahanAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	n := to - from
	buf, out := vector.AllocValues[float64](mem, n)
	valid := make([]bool, n)
	for i := range out {
		c := a.counts.Get(from + i)
		if c == 0 {
			continue
		}
		valid[i] = true
		out[i] = a.sums.Get(from+i) + a.comps.Get(from+i)
		if a.avg {
			out[i] /= float64(c)
		}
	}
	validity, nulls := seenValidity(mem, valid)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf)
}

func (a *kahanAcc) memBytes() int64 { return a.sums.Bytes() + a.comps.Bytes() + a.counts.Bytes() }
