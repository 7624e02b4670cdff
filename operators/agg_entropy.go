package operators

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// entropyAcc is entropy(x): -sum over a group's distinct non-NULL values
// of p log2 p, p being the value's share of the group's non-NULL values;
// 0 for a group without any, as in DuckDB. It counts the (group, value)
// pairs in a hash table of their own, so memory follows the distinct
// pairs rather than the rows. Counts cannot be merged in one row per
// group, so it is not split across workers (like mode).
type entropyAcc struct {
	pairs  *hashtab.Table
	counts paged.Vec[int64] // by pair
	owner  paged.Vec[int32] // each pair's group
	n      paged.Vec[int64] // by group
	ent    paged.Vec[float64]
	done   bool // ent computed (prepare)
	ids    []int32
	sel    []int32
}

func (a *entropyAcc) release() { a.pairs.Release() }

func newEntropyAcc(in types.T) *entropyAcc {
	return &entropyAcc{pairs: hashtab.New([]types.T{types.Int64Type, in})}
}

func (a *entropyAcc) resize(t *Task, n int) error { return growState(t, n, &a.n, &a.ent) }

func (a *entropyAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	if arg.DataType().ID() == arrow.NULL || arg.NullN() == arg.Len() {
		return nil
	}
	mem := t.Alloc()
	n := arg.Len()
	a.sel = a.sel[:0]
	if arg.NullN() > 0 { // NULLs are not values: count the others
		for i := range n {
			if arg.IsValid(i) {
				a.sel = append(a.sel, int32(i))
			}
		}
		arg = vector.Take(mem, arg, a.sel)
		defer arg.Release()
		n = len(a.sel)
	}
	gbuf, g64 := vector.AllocValues[int64](mem, n)
	for i := range g64 {
		switch {
		case gids == nil:
		case len(a.sel) > 0:
			g64[i] = int64(gids[a.sel[i]])
		default:
			g64[i] = int64(gids[i])
		}
	}
	garr := vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, gbuf)
	defer garr.Release()
	a.ids = grow(a.ids[:0], n)
	if _, err := a.pairs.FindOrInsert(t, []arrow.Array{garr, arg}, a.ids); err != nil {
		return err
	}
	if err := growState(t, a.pairs.Len(), &a.counts, &a.owner); err != nil {
		return err
	}
	counts, owner, ns := a.counts.View(), a.owner.View(), a.n.View()
	for i, id := range a.ids {
		*counts.At(int(id))++
		*owner.At(int(id)) = int32(g64[i])
		*ns.At(int(g64[i]))++
	}
	return nil
}

// prepare adds up every group's entropy in one pass over the pairs,
// spending budget as it goes.
func (a *entropyAcc) prepare(t *Task, from, to int) error {
	if a.done {
		return nil
	}
	a.done = true
	ent, ns := a.ent.View(), a.n.View()
	for p := range a.counts.Len() {
		g := int(a.owner.Get(p))
		c, n := float64(a.counts.Get(p)), float64(*ns.At(g))
		*ent.At(g) += c / n * math.Log2(n/c)
		if p%4096 == 4095 {
			if err := t.Spend(4096); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *entropyAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[float64](mem, to-from)
	copyOut(out, &a.ent, from, to)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, to-from, nil, 0, buf)
}

func (a *entropyAcc) memBytes() int64 {
	return a.pairs.Bytes() + a.counts.Bytes() + a.owner.Bytes() + a.n.Bytes() + a.ent.Bytes() +
		int64(cap(a.ids)+cap(a.sel))*4
}
