package operators

import (
	"strings"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// argAcc is arg_max(x, y) and arg_min(x, y) (max_by, min_by): the x of
// the row with the greatest (least) y. Rows where x or y is NULL are
// skipped and ties keep the first row seen, as in DuckDB. The partial
// state of a split aggregate is the pair itself, so the final phase is
// the same aggregate over the workers' pairs.
//
// With keepNulls only a NULL y skips a row: first(x ORDER BY k) is
// arg_min(x, sort key of k) counting NULL xs, last arg_max.
type argAcc struct {
	max       bool
	keepNulls bool
	vt, kt    types.T // the types of x and y
	keys      paged.Vec[expr.Datum]
	vals      paged.Vec[expr.Datum]
}

// twoArgUpdater is an accumulator of two arguments (AggSpec.Arg and Arg2).
type twoArgUpdater interface {
	update2(t *Task, gids []int32, x, y arrow.Array) error
}

func (a *argAcc) resize(t *Task, n int) error { return growState(t, n, &a.keys, &a.vals) }

// update is never called: HashAggregate gives this accumulator both
// arguments through update2.
func (a *argAcc) update(*Task, []int32, arrow.Array) error { return nil }

func (a *argAcc) update2(t *Task, gids []int32, x, y arrow.Array) error {
	if y.DataType().ID() == arrow.NULL || x.DataType().ID() == arrow.NULL && !a.keepNulls {
		return nil
	}
	// String keys (and first's and last's sort keys) are compared in
	// place: a datum a row copied every key, to keep a few.
	ys, _ := y.(*array.String)
	for i := 0; i < x.Len(); i++ {
		if y.IsNull(i) || x.IsNull(i) && !a.keepNulls {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		best := a.keys.At(g)
		var k expr.Datum
		if ys != nil {
			b := vector.StringAt(ys, i)
			if best.Valid {
				c := strings.Compare(unsafe.String(unsafe.SliceData(b), len(b)), best.S)
				if c == 0 || (c > 0) != a.max {
					continue
				}
			}
			k = expr.Datum{Valid: true, S: string(b)}
		} else {
			k = expr.DatumAt(y, a.kt, i)
			if best.Valid {
				c := expr.CompareDatums(k, *best, a.kt)
				if c == 0 || (c > 0) != a.max {
					continue
				}
			}
		}
		*best = k
		v := expr.Null // an arrow.Null array does not report its NULLs
		if x.DataType().ID() != arrow.NULL {
			v = expr.DatumAt(x, a.vt, i)
		}
		*a.vals.At(g) = v
	}
	return t.Spend(x.Len() / 8) // a datum a row: costlier than the kernels' loops
}

func (a *argAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	return datumArray(mem, a.vt, &a.vals, from, to)
}

// states returns the partial state of groups [from, to): x and y.
func (a *argAcc) states(mem memory.Allocator, from, to int) []arrow.Array {
	return []arrow.Array{datumArray(mem, a.vt, &a.vals, from, to), datumArray(mem, a.kt, &a.keys, from, to)}
}

func datumArray(mem memory.Allocator, t types.T, v *paged.Vec[expr.Datum], from, to int) arrow.Array {
	if t.Kind == types.Null {
		return array.NewNull(to - from)
	}
	b := array.NewBuilder(mem, t.Arrow())
	defer b.Release()
	b.Reserve(to - from)
	for g := from; g < to; g++ {
		expr.AppendDatum(b, v.Get(g), t)
	}
	return b.NewArray()
}

func (a *argAcc) memBytes() int64 {
	n := a.keys.Bytes() + a.vals.Bytes()
	if a.kt.Kind == types.String || a.vt.Kind == types.String {
		n *= 2 // the strings' bytes, roughly
	}
	return n
}
