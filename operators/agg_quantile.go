package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
)

// quantileAcc is quantile_cont and quantile_disc (median is
// quantile_cont(x, 0.5), or quantile_disc for types without arithmetic).
// A quantile is not decomposable: the state of a group is all its
// values. They are appended in arrival order, each with its group, to two
// paged vectors (bounded pages, tracked like any growing state); the
// first finish places every value in its group's bucket in place (one
// counting pass and a cycle-following permutation, O(n)), and each group's
// result is then one or two order statistics of its bucket (selectKth).
//
// The parallel planner does not split this aggregate into partial and
// final phases (SplitAggregates refuses it): merging partial states would
// mean concatenating all the values anyway, so a two-phase plan would copy
// every value once more for nothing; the pipeline under the aggregate
// still runs on every worker.
type quantileAcc[T any] struct {
	frac QuantileFrac
	cont bool
	cmp  func(x, y T) int
	// interp interpolates quantile_cont between two neighbours.
	interp func(lo, hi T, d float64) T
	// at returns a batch's value reader.
	at func(arrow.Array) func(i int) T
	// build makes the result array from the values of some groups.
	build func(mem memory.Allocator, out []T, valid []bool) arrow.Array
	// size is the memory a value holds outside the vector (a string's
	// bytes), or nil.
	size func(T) int64

	vals    paged.Vec[T]
	gids    paged.Vec[int32] // parallel to vals; empty without GROUP BY
	grouped bool
	groups  int
	extra   int64 // what size reported
	// After bucketing, group g's values are vals[ends[g-1]:ends[g]].
	ends     paged.Vec[int64]
	bucketed bool
	// The results prepare computed for finish.
	out   []T
	valid []bool
}

func (a *quantileAcc[T]) resize(_ *Task, n int) error {
	a.groups = n
	return nil
}

func (a *quantileAcc[T]) update(t *Task, gids []int32, arg arrow.Array) error {
	n := arg.Len()
	if arg.NullN() == n { // nothing to keep (also the NULL type)
		return nil
	}
	a.grouped = gids != nil
	keep := n - arg.NullN()
	if err := a.vals.Reserve(t, keep); err != nil {
		return err
	}
	if a.grouped {
		if err := a.gids.Reserve(t, keep); err != nil {
			return err
		}
	}
	at := a.at(arg)
	nulls := arg.NullN() > 0
	for i := 0; i < n; i++ {
		if nulls && arg.IsNull(i) {
			continue
		}
		x := at(i)
		a.vals.Append(x)
		if a.grouped {
			a.gids.Append(gids[i])
		}
		if a.size != nil {
			a.extra += a.size(x)
		}
	}
	return nil
}

// prepare computes the results of groups [from, to) for finish, spending
// budget throughout: the bucketing on the first call, then the selection
// in every group.
func (a *quantileAcc[T]) prepare(t *Task, from, to int) error {
	if !a.bucketed {
		if err := a.bucket(t); err != nil {
			return err
		}
		a.bucketed = true
	}
	a.out = grow(a.out[:0], to-from)
	a.valid = grow(a.valid[:0], to-from)
	for g := from; g < to; g++ {
		lo, hi := a.rangeOf(g)
		a.valid[g-from] = lo < hi
		if lo == hi {
			var zero T
			a.out[g-from] = zero
			continue
		}
		x, err := a.pick(t, lo, hi)
		if err != nil {
			return err
		}
		a.out[g-from] = x
	}
	return t.Spend(to - from) // many small groups cost per group too
}

// rangeOf is the range of group g's values in vals, once bucketed.
func (a *quantileAcc[T]) rangeOf(g int) (int, int) {
	if !a.grouped {
		if g > 0 {
			return 0, 0
		}
		return 0, a.vals.Len()
	}
	if g >= a.ends.Len() {
		return 0, 0 // a group no value reached since the last update
	}
	lo := int64(0)
	if g > 0 {
		lo = a.ends.Get(g - 1)
	}
	return int(lo), int(a.ends.Get(g))
}

// pick is the quantile of vals[lo:hi), which is not empty.
func (a *quantileAcc[T]) pick(t *Task, lo, hi int) (T, error) {
	n := hi - lo
	if !a.cont {
		k := lo + a.frac.discRank(n)
		err := selectKth(t, &a.vals, lo, hi, k, a.cmp)
		return a.vals.Get(k), err
	}
	frn, crn, d := a.frac.contRanks(n)
	k := lo + frn
	if a.frac.Desc {
		k = hi - 1 - frn
	}
	if err := selectKth(t, &a.vals, lo, hi, k, a.cmp); err != nil {
		var zero T
		return zero, err
	}
	first := a.vals.Get(k)
	if crn == frn {
		return first, nil
	}
	// The next value in the fraction's order: the least after k
	// ascending, the greatest before it descending.
	var next T
	var err error
	if a.frac.Desc {
		next, err = extremeOf(t, &a.vals, lo, k, true, a.cmp)
	} else {
		next, err = extremeOf(t, &a.vals, k+1, hi, false, a.cmp)
	}
	return a.interp(first, next, d), err
}

func (a *quantileAcc[T]) finish(mem memory.Allocator, from, to int) arrow.Array {
	return a.build(mem, a.out[:to-from], a.valid[:to-from])
}

func (a *quantileAcc[T]) memBytes() int64 {
	return a.vals.Bytes() + a.gids.Bytes() + a.ends.Bytes() + a.extra +
		int64(cap(a.valid))*(1+int64(sizeOf[T]()))
}
