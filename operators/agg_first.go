package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// firstAcc is any_value(x) (the first non-NULL value), first(x) and
// last(x) (the first and last value, NULL or not), of any type. "First"
// is in the order rows reach the aggregate, which parallel workers make
// arbitrary, as it is in DuckDB without an ORDER BY. The partial state is
// the value and whether the worker saw one; the final phase takes the
// first (last) state that has one.
type firstAcc struct {
	kind  AggKind
	t     types.T
	vals  paged.Vec[expr.Datum]
	seen  paged.Vec[bool]
	stamp paged.Vec[uint32] // last: the batch that last set each group
	batch uint32
	strs  int64 // the bytes of the strings held
}

func newFirstAcc(kind AggKind, t types.T) *firstAcc { return &firstAcc{kind: kind, t: t} }

func (a *firstAcc) resize(t *Task, n int) error {
	if a.kind == AggLast {
		return growState(t, n, &a.vals, &a.seen, &a.stamp)
	}
	return growState(t, n, &a.vals, &a.seen)
}

// set stores row i of x (NULL when x is the NULL type) as group g's value.
func (a *firstAcc) set(g int, x arrow.Array, i int) {
	v := a.vals.At(g)
	a.strs -= int64(len(v.S))
	if x.DataType().ID() == arrow.NULL || x.IsNull(i) {
		*v = expr.Null
	} else {
		*v = expr.DatumAt(x, a.t, i)
	}
	a.strs += int64(len(v.S))
	a.seen.Set(g, true)
}

func (a *firstAcc) update(t *Task, gids []int32, x arrow.Array) error {
	return a.update2(t, gids, x, nil)
}

// update2 is update with a FILTER condition (first and last): rows where
// cond is not true are skipped. cond is nil without a FILTER.
func (a *firstAcc) update2(t *Task, gids []int32, x, cond arrow.Array) error {
	var keep *array.Boolean
	if cond != nil {
		var ok bool
		if keep, ok = cond.(*array.Boolean); !ok {
			return nil // the NULL type: no row is kept
		}
	}
	skip := func(i int) bool { return keep != nil && (keep.IsNull(i) || !keep.Value(i)) }
	gid := func(i int) int {
		if gids == nil {
			return 0
		}
		return int(gids[i])
	}
	n := x.Len()
	switch {
	case a.kind == AggLast:
		// Backwards, so that each group's value is read once a batch.
		a.batch++
		for i := n - 1; i >= 0; i-- {
			g := gid(i)
			if skip(i) {
				continue
			}
			if s := a.stamp.At(g); *s != a.batch {
				*s = a.batch
				a.set(g, x, i)
			}
		}
	case a.kind == AggAnyValue && (x.DataType().ID() == arrow.NULL || x.NullN() == n):
		// Nothing but NULLs.
	default:
		skipNulls := a.kind == AggAnyValue && x.NullN() > 0
		for i := range n {
			g := gid(i)
			if a.seen.Get(g) || skipNulls && x.IsNull(i) || skip(i) {
				continue
			}
			a.set(g, x, i)
		}
	}
	return t.Spend(n / 8)
}

func (a *firstAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	return datumArray(mem, a.t, &a.vals, from, to)
}

func (a *firstAcc) states(mem memory.Allocator, from, to int) []arrow.Array {
	flags := make([]bool, to-from)
	copyOut(flags, &a.seen, from, to)
	buf, bits := vector.AllocBitmap(mem, len(flags))
	for i, f := range flags {
		if f {
			bits[i>>3] |= 1 << (i & 7)
		}
	}
	return []arrow.Array{datumArray(mem, a.t, &a.vals, from, to), vector.NewBoolArray(len(flags), nil, 0, buf)}
}

func (a *firstAcc) merge(t *Task, gids []int32, states []arrow.Array) error {
	vals, has := states[0], states[1].(*array.Boolean)
	for i := range vals.Len() {
		if !has.Value(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		if a.kind == AggLast || !a.seen.Get(g) {
			a.set(g, vals, i)
		}
	}
	return t.Spend(vals.Len() / 8)
}

func (a *firstAcc) memBytes() int64 {
	return a.vals.Bytes() + a.seen.Bytes() + a.stamp.Bytes() + a.strs
}
