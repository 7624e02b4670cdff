package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// modeAcc is mode(x): a group's most frequent value. Like a quantile it
// needs all of a group's values, so it keeps them as quantileAcc does
// (and is not split across workers); prepare then counts each group's
// values in a map, spending budget as it goes. Of values equally
// frequent it returns the least: DuckDB returns the first one it saw,
// which depends on the order rows arrive in.
type modeAcc[T comparable] struct {
	quantileAcc[T]
}

func (a *modeAcc[T]) prepare(t *Task, from, to int) error {
	if !a.bucketed {
		if err := a.bucket(t); err != nil {
			return err
		}
		a.bucketed = true
	}
	a.out = grow(a.out[:0], to-from)
	a.valid = grow(a.valid[:0], to-from)
	counts := map[T]int{}
	for g := from; g < to; g++ {
		lo, hi := a.rangeOf(g)
		a.valid[g-from] = lo < hi
		var best T
		n := 0
		clear(counts)
		steps := 0
		for i := lo; i < hi; i++ {
			x := a.vals.Get(i)
			c := counts[x] + 1
			counts[x] = c
			if c > n || c == n && a.cmp(x, best) < 0 {
				best, n = x, c
			}
			if steps++; steps == selectChunk {
				if err := t.Spend(steps); err != nil {
					return err
				}
				steps = 0
			}
		}
		a.out[g-from] = best
		if err := t.Spend(steps + 1); err != nil {
			return err
		}
	}
	return nil
}

// newModeAcc returns mode's accumulator for values of type t.
func newModeAcc(t types.T) accumulator {
	switch t.Kind {
	case types.Null:
		return nullAcc{}
	case types.Float64:
		// A NaN never equals itself, so each counts once.
		return &modeAcc[float64]{quantileAcc[float64]{cmp: cmpFloat,
			at:    func(a arrow.Array) func(int) float64 { return a.(*array.Float64).Value },
			build: buildFixed[float64](arrow.PrimitiveTypes.Float64)}}
	case types.Decimal:
		return &modeAcc[decimal128.Num]{quantileAcc[decimal128.Num]{cmp: types.CmpInt128,
			at:    func(a arrow.Array) func(int) decimal128.Num { return a.(*array.Decimal128).Value },
			build: buildFixed[decimal128.Num](t.Arrow())}}
	case types.String:
		return &modeAcc[string]{quantileAcc[string]{cmp: compareStrings, build: buildStrings,
			at: func(a arrow.Array) func(int) string {
				s := a.(*array.String)
				return func(i int) string { return string(vector.StringAt(s, i)) }
			},
			size: func(s string) int64 { return int64(len(s)) }}}
	}
	// The integer-like types share quantile_disc's readers and builders.
	q, ok := newQuantileAcc(AggSpec{Kind: AggQuantileDisc, In: t, Out: t}).(*quantileAcc[int64])
	if !ok {
		return nil
	}
	return &modeAcc[int64]{*q}
}

func compareStrings(x, y string) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
