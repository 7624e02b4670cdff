package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// boolAcc is bool_and (every value true) and bool_or (some value true)
// over the non-NULL values; a group without any is NULL.
type boolAcc struct {
	or   bool
	vals paged.Vec[bool]
	seen paged.Vec[bool]
}

func (a *boolAcc) resize(t *Task, n int) error { return growState(t, n, &a.vals, &a.seen) }

func (a *boolAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	b, ok := arg.(*array.Boolean)
	if !ok {
		return nil // the NULL type
	}
	nulls := arg.NullN() > 0
	vals, seen := a.vals.View(), a.seen.View()
	for i := 0; i < b.Len(); i++ {
		if nulls && b.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		v, s := vals.At(g), seen.At(g)
		if !*s {
			*v, *s = b.Value(i), true
		} else if a.or {
			*v = *v || b.Value(i)
		} else {
			*v = *v && b.Value(i)
		}
	}
	return nil
}

func (a *boolAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	n := to - from
	vals := make([]bool, n)
	copyOut(vals, &a.vals, from, to)
	buf, bits := vector.AllocBitmap(mem, n)
	for i, v := range vals {
		if v {
			bits[i>>3] |= 1 << (i & 7)
		}
	}
	validity, nulls := seenValidityOf(mem, &a.seen, from, to)
	return vector.NewBoolArray(n, validity, nulls, buf)
}

func (a *boolAcc) memBytes() int64 { return a.vals.Bytes() + a.seen.Bytes() }
