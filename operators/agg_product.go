package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// productAcc is product(x): the product of a group's non-NULL values as
// DOUBLEs (the binder casts numbers), NULL without any. The partial
// state is the workers' products, multiplied again.
type productAcc struct {
	vals paged.Vec[float64]
	seen paged.Vec[bool]
}

func (a *productAcc) resize(t *Task, n int) error { return growState(t, n, &a.vals, &a.seen) }

func (a *productAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	fl, ok := arg.(*array.Float64)
	if !ok {
		return nil // the NULL type
	}
	nulls := arg.NullN() > 0
	vals, seen := a.vals.View(), a.seen.View()
	for i, x := range fl.Float64Values() {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		v, s := vals.At(g), seen.At(g)
		if !*s {
			*v, *s = x, true
		} else {
			*v *= x
		}
	}
	return nil
}

func (a *productAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[float64](mem, to-from)
	copyOut(out, &a.vals, from, to)
	validity, nulls := seenValidityOf(mem, &a.seen, from, to)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, to-from, validity, nulls, buf)
}

func (a *productAcc) memBytes() int64 { return a.vals.Bytes() + a.seen.Bytes() }
