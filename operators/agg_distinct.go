package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// distinctAcc feeds an aggregate only the first occurrence of each (group,
// value) pair, which is all COUNT/SUM/AVG(DISTINCT x) need. The pairs live
// in a hash table of their own.
type distinctAcc struct {
	inner accumulator
	pairs *hashtab.Table
	ids   []int32
	sel   []int32
}

func newDistinctAcc(inner accumulator, in types.T) *distinctAcc {
	return &distinctAcc{inner: inner, pairs: hashtab.New([]types.T{types.Int64Type, in})}
}

func (a *distinctAcc) resize(t *Task, n int) error { return a.inner.resize(t, n) }

func (a *distinctAcc) release() {
	a.pairs.Release()
	if r, ok := a.inner.(accReleaser); ok {
		r.release()
	}
}

func (a *distinctAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	n := arg.Len()
	mem := t.Alloc()
	gbuf, g64 := vector.AllocValues[int64](mem, n)
	for i := range g64 {
		if gids != nil {
			g64[i] = int64(gids[i])
		}
	}
	garr := vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, gbuf)
	defer garr.Release()
	a.ids = grow(a.ids[:0], n)
	before := a.pairs.Len()
	if _, err := a.pairs.FindOrInsert(t, []arrow.Array{garr, arg}, a.ids); err != nil {
		return err
	}
	// Rows whose pair is new, each pair once (the first row that made it).
	a.sel = a.sel[:0]
	next := int32(before)
	for i, id := range a.ids {
		if id == next {
			a.sel = append(a.sel, int32(i))
			next++
		}
	}
	if len(a.sel) == 0 {
		return nil
	}
	vals := vector.Take(mem, arg, a.sel)
	defer vals.Release()
	sub := make([]int32, len(a.sel))
	for i, r := range a.sel {
		sub[i] = int32(g64[r])
	}
	return a.inner.update(t, sub, vals)
}

// prepare forwards to an inner accumulator that needs it (a quantile).
func (a *distinctAcc) prepare(t *Task, from, to int) error {
	if p, ok := a.inner.(preparer); ok {
		return p.prepare(t, from, to)
	}
	return nil
}

func (a *distinctAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	return a.inner.finish(mem, from, to)
}

func (a *distinctAcc) memBytes() int64 {
	return a.pairs.Bytes() + a.inner.memBytes() + int64(cap(a.ids)+cap(a.sel))*4
}
