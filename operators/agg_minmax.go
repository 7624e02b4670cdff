package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

func newMinMax(t types.T, isMax bool) accumulator {
	switch t.Kind {
	case types.Int64:
		return &minMaxAcc[int64]{isMax: isMax, t: t, values: func(a arrow.Array) []int64 { return a.(*array.Int64).Int64Values() }}
	case types.Float64:
		return &minMaxAcc[float64]{isMax: isMax, t: t, values: func(a arrow.Array) []float64 { return a.(*array.Float64).Float64Values() }}
	case types.Timestamp:
		return &minMaxAcc[arrow.Timestamp]{isMax: isMax, t: t, values: func(a arrow.Array) []arrow.Timestamp { return a.(*array.Timestamp).TimestampValues() }}
	case types.Date:
		return &minMaxAcc[arrow.Date32]{isMax: isMax, t: t, values: func(a arrow.Array) []arrow.Date32 { return a.(*array.Date32).Date32Values() }}
	case types.Null:
		return nullAcc{}
	}
	return &minMaxDatum{isMax: isMax, t: t}
}

// minMaxAcc is MIN or MAX over a fixed-width ordered type.
type minMaxAcc[T int64 | float64 | arrow.Date32 | arrow.Timestamp] struct {
	isMax  bool
	t      types.T
	values func(arrow.Array) []T
	best   paged.Vec[T]
	seen   paged.Vec[bool]
}

func (a *minMaxAcc[T]) resize(t *Task, n int) error { return growState(t, n, &a.best, &a.seen) }

func (a *minMaxAcc[T]) update(t *Task, gids []int32, arg arrow.Array) error {
	if arg.DataType().ID() == arrow.NULL {
		return nil
	}
	nulls := arg.NullN() > 0
	bests, seens := a.best.View(), a.seen.View()
	for i, v := range a.values(arg) {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := int32(0)
		if gids != nil {
			g = gids[i]
		}
		best, seen := bests.At(int(g)), seens.At(int(g))
		// NaN is the greatest double, as in DuckDB (v != v holds only for
		// a NaN; for the other types it is constant false).
		if !*seen || (a.isMax && (v > *best || v != v && *best == *best)) || (!a.isMax && (v < *best || *best != *best && v == v)) {
			*best = v
			*seen = true
		}
	}
	return nil
}

func (a *minMaxAcc[T]) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[T](mem, to-from)
	copyOut(out, &a.best, from, to)
	validity, nulls := seenValidityOf(mem, &a.seen, from, to)
	return vector.NewFixedArray(a.t.Arrow(), to-from, validity, nulls, buf)
}

// minMaxDatum is MIN or MAX over decimals, strings and booleans, keeping
// the best value of each group as a Datum (strings are copied out of the
// batch, which is released after the update).
type minMaxDatum struct {
	isMax bool
	t     types.T
	best  paged.Vec[expr.Datum]
}

func (a *minMaxDatum) resize(t *Task, n int) error { return growState(t, n, &a.best) }

func (a *minMaxDatum) update(t *Task, gids []int32, arg arrow.Array) error {
	if arg.DataType().ID() == arrow.NULL {
		return nil
	}
	var decs []decimal128.Num
	if d, ok := arg.(*array.Decimal128); ok {
		decs = d.Values()
	}
	str, _ := arg.(*array.String)
	for i := 0; i < arg.Len(); i++ {
		if arg.IsNull(i) {
			continue
		}
		g := int32(0)
		if gids != nil {
			g = gids[i]
		}
		cur := a.best.At(int(g))
		switch {
		case decs != nil:
			if !cur.Valid || (types.CmpInt128(decs[i], cur.D) > 0) == a.isMax && decs[i] != cur.D {
				*cur = expr.DecDatum(decs[i])
			}
		case str != nil:
			s := vector.StringAt(str, i)
			if !cur.Valid || (string(s) > cur.S) == a.isMax && string(s) != cur.S {
				*cur = expr.StrDatum(string(s))
			}
		default:
			d := expr.DatumAt(arg, a.t, i)
			if c := expr.CompareDatums(d, *cur, a.t); !cur.Valid || (c > 0) == a.isMax && c != 0 {
				*cur = d
			}
		}
	}
	return nil
}

func (a *minMaxDatum) finish(mem memory.Allocator, from, to int) arrow.Array {
	b := array.NewBuilder(mem, a.t.Arrow())
	defer b.Release()
	b.Reserve(to - from)
	for g := from; g < to; g++ {
		expr.AppendDatum(b, a.best.Get(g), a.t)
	}
	return b.NewArray()
}

// nullAcc is MIN or MAX of the NULL type: always NULL.
type nullAcc struct{}

func (nullAcc) resize(*Task, int) error                             { return nil }
func (nullAcc) update(*Task, []int32, arrow.Array) error            { return nil }
func (nullAcc) finish(_ memory.Allocator, from, to int) arrow.Array { return array.NewNull(to - from) }

func (a *minMaxAcc[T]) memBytes() int64 { return a.best.Bytes() + a.seen.Bytes() }

func (a *minMaxDatum) memBytes() int64 {
	n := a.best.Bytes()
	if a.t.Kind == types.String {
		for g := range a.best.Len() {
			n += int64(len(a.best.Get(g).S))
		}
	}
	return n
}

func (nullAcc) memBytes() int64 { return 0 }
