package operators

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Partial variance states merged (the final phase of a split aggregate)
// must give what one pass over all the values gives, and both what the
// two-pass textbook definition gives, for values that a naive sum of
// squares would ruin (1e9 apart by a little).
func TestVarianceMergeMatchesOnePass(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	task := NewTask(context.Background(), mem)
	rng := rand.New(rand.NewPCG(5, 6))
	const groups, n = 3, 5000
	vals := make([]float64, n)
	gids := make([]int32, n)
	b := array.NewFloat64Builder(mem)
	for i := range vals {
		vals[i] = 1e9 + rng.Float64()*10
		gids[i] = int32(i % groups)
		if i%17 == 0 {
			b.AppendNull()
			continue
		}
		b.Append(vals[i])
	}
	arr := b.NewArray()
	b.Release()
	defer arr.Release()

	// The definition, in two passes per group.
	want := make([]float64, groups)
	for g := range groups {
		var sum, cnt float64
		for i, v := range vals {
			if int(gids[i]) == g && i%17 != 0 {
				sum, cnt = sum+v, cnt+1
			}
		}
		mean := sum / cnt
		for i, v := range vals {
			if int(gids[i]) == g && i%17 != 0 {
				want[g] += (v - mean) * (v - mean)
			}
		}
		want[g] /= cnt - 1
	}

	one := &varAcc{kind: AggVarSamp}
	require.NoError(t, one.resize(task, groups))
	require.NoError(t, one.update(task, gids, arr))

	// Three workers' states, merged.
	final := &varAcc{kind: AggVarSamp}
	require.NoError(t, final.resize(task, groups))
	for _, r := range [][2]int{{0, 1000}, {1000, 1001}, {1001, n}} {
		part := &varAcc{kind: AggVarSamp}
		require.NoError(t, part.resize(task, groups))
		slice := array.NewSlice(arr, int64(r[0]), int64(r[1]))
		require.NoError(t, part.update(task, gids[r[0]:r[1]], slice))
		slice.Release()
		states := part.states(mem, 0, groups)
		final.merge([]int32{0, 1, 2}, states[0], states[1], states[2])
		for _, s := range states {
			s.Release()
		}
	}
	for _, acc := range []*varAcc{one, final} {
		res := acc.finish(mem, 0, groups)
		for g := range groups {
			got := res.(*array.Float64).Value(g)
			// Values near 1e9 carry about 1e-7 of rounding each: both
			// ways agree to about 1e-8 relative. The sum of squares
			// (about 5e21, in steps of 1e6) would be off by thousands.
			assert.InDelta(t, want[g], got, 1e-6*want[g], "group %d", g)
		}
		res.Release()
	}
}

// The four functions differ only in their divisor and square root; a
// sample of one value is NULL, a population of one 0.
func TestVarianceKinds(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	task := NewTask(context.Background(), mem)
	b := array.NewFloat64Builder(mem)
	b.AppendValues([]float64{2, 4, 4, 4, 5, 5, 7, 9, 3}, nil)
	arr := b.NewArray()
	b.Release()
	defer arr.Release()
	gids := []int32{0, 0, 0, 0, 0, 0, 0, 0, 1} // group 1 has one value
	for _, tc := range []struct {
		kind AggKind
		g0   float64
		g1   any // nil: NULL
	}{
		{AggVarPop, 4, 0.0},
		{AggStddevPop, 2, 0.0},
		{AggVarSamp, 32.0 / 7, nil},
		{AggStddevSamp, math.Sqrt(32.0 / 7), nil},
	} {
		acc := &varAcc{kind: tc.kind}
		require.NoError(t, acc.resize(task, 3))
		require.NoError(t, acc.update(task, gids, arr))
		res := acc.finish(mem, 0, 3).(*array.Float64)
		assert.InDelta(t, tc.g0, res.Value(0), 1e-12, "%s", tc.kind)
		if tc.g1 == nil {
			assert.True(t, res.IsNull(1), "%s of one value", tc.kind)
		} else {
			assert.Equal(t, tc.g1, res.Value(1), "%s of one value", tc.kind)
		}
		assert.True(t, res.IsNull(2), "%s of no values", tc.kind)
		assert.Equal(t, arrow.FLOAT64, res.DataType().ID())
		res.Release()
	}
}
