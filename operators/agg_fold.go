package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// foldAcc folds a group's non-NULL values with one associative,
// commutative operation: product(x) over DOUBLEs (the binder casts
// numbers), bit_and, bit_or and bit_xor over BIGINTs (every integer is one
// in minisql). A group without values is NULL. The partial state is the
// result itself, folded again by the same aggregate in the final phase.
type foldAcc[T int64 | float64] struct {
	fold   func(acc, x T) T
	values func(arrow.Array) ([]T, bool) // false for the NULL type
	out    arrow.DataType
	vals   paged.Vec[T]
	seen   paged.Vec[bool]
}

func newProductAcc() *foldAcc[float64] {
	return &foldAcc[float64]{
		fold:   func(acc, x float64) float64 { return acc * x },
		values: float64Values,
		out:    arrow.PrimitiveTypes.Float64,
	}
}

func newBitAcc(kind AggKind) *foldAcc[int64] {
	fold := func(acc, x int64) int64 { return acc ^ x }
	switch kind {
	case AggBitAnd:
		fold = func(acc, x int64) int64 { return acc & x }
	case AggBitOr:
		fold = func(acc, x int64) int64 { return acc | x }
	}
	return &foldAcc[int64]{fold: fold, values: int64Values, out: arrow.PrimitiveTypes.Int64}
}

func float64Values(a arrow.Array) ([]float64, bool) {
	f, ok := a.(interface{ Float64Values() []float64 })
	if !ok {
		return nil, false
	}
	return f.Float64Values(), true
}

func int64Values(a arrow.Array) ([]int64, bool) {
	f, ok := a.(interface{ Int64Values() []int64 })
	if !ok {
		return nil, false
	}
	return f.Int64Values(), true
}

func (a *foldAcc[T]) resize(t *Task, n int) error { return growState(t, n, &a.vals, &a.seen) }

func (a *foldAcc[T]) update(t *Task, gids []int32, arg arrow.Array) error {
	xs, ok := a.values(arg)
	if !ok {
		return nil // the NULL type
	}
	nulls := arg.NullN() > 0
	vals, seen := a.vals.View(), a.seen.View()
	for i, x := range xs {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		v, s := vals.At(g), seen.At(g)
		if *s {
			*v = a.fold(*v, x)
		} else {
			*v, *s = x, true
		}
	}
	return nil
}

func (a *foldAcc[T]) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[T](mem, to-from)
	copyOut(out, &a.vals, from, to)
	validity, nulls := seenValidityOf(mem, &a.seen, from, to)
	return vector.NewFixedArray(a.out, to-from, validity, nulls, buf)
}

func (a *foldAcc[T]) memBytes() int64 { return a.vals.Bytes() + a.seen.Bytes() }
