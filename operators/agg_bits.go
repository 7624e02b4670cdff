package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// bitAcc is bit_and, bit_or and bit_xor over BIGINTs (every integer is
// one in minisql), NULLs skipped; a group without values is NULL. Each
// is associative and commutative, so the partial state is the result
// itself, combined again by the same aggregate.
type bitAcc struct {
	kind AggKind
	vals paged.Vec[int64]
	seen paged.Vec[bool]
}

func (a *bitAcc) resize(t *Task, n int) error { return growState(t, n, &a.vals, &a.seen) }

func (a *bitAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	ints, ok := arg.(*array.Int64)
	if !ok {
		return nil // the NULL type
	}
	nulls := arg.NullN() > 0
	vals, seen := a.vals.View(), a.seen.View()
	for i, x := range ints.Int64Values() {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		v, s := vals.At(g), seen.At(g)
		switch {
		case !*s:
			*v, *s = x, true
		case a.kind == AggBitAnd:
			*v &= x
		case a.kind == AggBitOr:
			*v |= x
		default:
			*v ^= x
		}
	}
	return nil
}

func (a *bitAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[int64](mem, to-from)
	copyOut(out, &a.vals, from, to)
	validity, nulls := seenValidityOf(mem, &a.seen, from, to)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, to-from, validity, nulls, buf)
}

func (a *bitAcc) memBytes() int64 { return a.vals.Bytes() + a.seen.Bytes() }
