package operators

import (
	"context"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func stringArray(mem memory.Allocator, vals []string) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == "" {
			b.AppendNull()
		} else {
			b.Append(v)
		}
	}
	return b.NewArray()
}

func boolArray(mem memory.Allocator, vals []bool) arrow.Array {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray()
}

func stringsOf(a arrow.Array) []string {
	out := make([]string, a.Len())
	for i := range out {
		if a.IsValid(i) {
			out[i] = a.(*array.String).Value(i)
		} else {
			out[i] = "NULL"
		}
	}
	return out
}

// In one pass, in batches, and as partial states merged in order (the
// order the workers' states arrive in is arbitrary, as in DuckDB, but a
// test can fix it): first keeps a group's first row even when NULL,
// any_value its first non-NULL value, last its last row; FILTER's
// condition skips rows; a group of no rows is NULL.
func TestFirstLastAnyValue(t *testing.T) {
	//                      g0    g1   g0   g1   g0   g1   g2
	vals := []string{"", "a", "b", "", "c", "d", ""}
	gids := []int32{0, 1, 0, 1, 0, 1, 2}
	keep := []bool{true, true, true, true, false, true, true}
	for _, tc := range []struct {
		kind     AggKind
		filtered bool
		want     []string // groups 0..3
	}{
		{AggFirst, false, []string{"NULL", "a", "NULL", "NULL"}},
		{AggAnyValue, false, []string{"b", "a", "NULL", "NULL"}},
		{AggLast, false, []string{"c", "d", "NULL", "NULL"}},
		{AggLast, true, []string{"b", "d", "NULL", "NULL"}},
		{AggFirst, true, []string{"NULL", "a", "NULL", "NULL"}},
	} {
		t.Run(tc.kind.String(), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			task := NewTask(context.Background(), mem)
			x := stringArray(mem, vals)
			defer x.Release()
			cond := boolArray(mem, keep)
			defer cond.Release()
			spec := AggSpec{Kind: tc.kind, In: types.StringType, Out: types.StringType, Filter: tc.filtered}
			feed := func(acc accumulator, from, to int) {
				xs := array.NewSlice(x, int64(from), int64(to))
				defer xs.Release()
				if tc.filtered {
					cs := array.NewSlice(cond, int64(from), int64(to))
					defer cs.Release()
					require.NoError(t, acc.(twoArgUpdater).update2(task, gids[from:to], xs, cs))
					return
				}
				require.NoError(t, acc.update(task, gids[from:to], xs))
			}
			const groups = 4
			var results [][]string
			for _, cuts := range [][]int{{0, 7}, {0, 2, 3, 7}} { // one batch, then three
				acc, err := newAccumulator(spec)
				require.NoError(t, err)
				require.NoError(t, acc.resize(task, groups))
				for i := 1; i < len(cuts); i++ {
					feed(acc, cuts[i-1], cuts[i])
				}
				res := acc.finish(mem, 0, groups)
				results = append(results, stringsOf(res))
				res.Release()
			}
			_, _, final, ok := SplitAggregates(0, []AggSpec{spec})
			require.True(t, ok)
			merged, err := newAccumulator(final[0])
			require.NoError(t, err)
			require.NoError(t, merged.resize(task, groups))
			for _, r := range [][2]int{{0, 1}, {1, 4}, {4, 7}} {
				part, err := newAccumulator(spec)
				require.NoError(t, err)
				require.NoError(t, part.resize(task, groups))
				feed(part, r[0], r[1])
				states := part.(stateAcc).states(mem, 0, groups)
				require.NoError(t, merged.(stateAcc).merge(task, []int32{0, 1, 2, 3}, states))
				for _, s := range states {
					s.Release()
				}
			}
			res := merged.finish(mem, 0, groups)
			results = append(results, stringsOf(res))
			res.Release()
			for i, got := range results {
				assert.Equal(t, tc.want, got, []string{"one batch", "three batches", "merged"}[i])
			}
			assert.Positive(t, merged.memBytes())
		})
	}
}

// Bad arguments are errors, not panics.
func TestMoreAggregatesRefuseTypes(t *testing.T) {
	for _, spec := range []AggSpec{
		{Kind: AggBitAnd, In: types.Float64Type},
		{Kind: AggProduct, In: types.StringType},
		{Kind: AggSkewness, In: types.BoolType},
		{Kind: AggCorr, In: types.Float64Type, In2: types.StringType},
		{Kind: AggCovarPop, In: types.Float64Type, In2: types.Float64Type, Distinct: true},
		{Kind: AggApproxCountDistinct, In: types.IntervalType},
		{Kind: AggFirst, In: types.IntervalType},
	} {
		_, err := newAccumulator(spec)
		assert.Error(t, err, "%s(%s)", spec.Kind, spec.In)
	}
}
