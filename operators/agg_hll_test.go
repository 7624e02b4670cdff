package operators

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// distinctInts is n rows of the values 0..d-1 times a stride, in batches.
func distinctInts(mem memory.Allocator, n, d int, stride int64) []arrow.Array {
	var out []arrow.Array
	for from := 0; from < n; from += 8192 {
		b := array.NewInt64Builder(mem)
		for i := from; i < min(n, from+8192); i++ {
			b.Append(int64(i%d) * stride)
		}
		out = append(out, b.NewArray())
		b.Release()
	}
	return out
}

func distinctStrings(mem memory.Allocator, d int) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for i := range d {
		b.Append(fmt.Sprintf("key-%d", i))
	}
	return b.NewArray()
}

func hllCount(t *testing.T, task *Task, acc accumulator) int64 {
	res := finishAll(t, task, acc, 1)
	defer res.Release()
	return res.(*array.Int64).Value(0)
}

// Exact while sparse (up to hllSparseMax distinct values), then within
// 5% of the true count (about three standard errors of 1.6%; the hash is
// fixed, so each case is deterministic), and the same when the rows are
// split between two partial sketches that are merged.
func TestApproxCountDistinct(t *testing.T) {
	for _, tc := range []struct {
		rows, distinct int
		stride         int64
		strings        bool
	}{
		{rows: 10, distinct: 1, stride: 1},
		{rows: 1000, distinct: 7, stride: 1},
		{rows: 5000, distinct: hllSparseMax, stride: 1 << 40},
		{rows: 5000, distinct: hllSparseMax + 1, stride: 3},
		{rows: 10000, distinct: 3000, stride: -1},
		{rows: 12000, distinct: 12000, stride: 1},
		{rows: 60000, distinct: 40000, stride: 1000003},
		{rows: 200000, distinct: 200000, stride: 1},
		{rows: 20000, distinct: 20000, strings: true},
		{rows: 100, distinct: 100, strings: true},
	} {
		t.Run(fmt.Sprintf("%d of %d strings=%v", tc.distinct, tc.rows, tc.strings), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			task := NewTask(context.Background(), mem)
			in := types.Int64Type
			var batches []arrow.Array
			if tc.strings {
				in = types.StringType
				batches = []arrow.Array{distinctStrings(mem, tc.distinct)}
			} else {
				batches = distinctInts(mem, tc.rows, tc.distinct, tc.stride)
			}
			defer func() {
				for _, b := range batches {
					b.Release()
				}
			}()
			spec := AggSpec{Kind: AggApproxCountDistinct, In: in, Out: types.Int64Type}
			one, err := newAccumulator(spec)
			require.NoError(t, err)
			require.NoError(t, one.resize(task, 1))
			parts := [2]accumulator{}
			for i := range parts {
				parts[i], err = newAccumulator(spec)
				require.NoError(t, err)
				require.NoError(t, parts[i].resize(task, 1))
			}
			for i, b := range batches {
				require.NoError(t, one.update(task, nil, b))
				require.NoError(t, parts[i%2].update(task, nil, b))
			}
			got := hllCount(t, task, one)
			if tc.distinct <= hllSparseMax {
				assert.Equal(t, int64(tc.distinct), got)
			} else {
				assert.InEpsilon(t, tc.distinct, got, 0.05)
			}
			_, _, final, ok := SplitAggregates(0, []AggSpec{spec})
			require.True(t, ok)
			merged, err := newAccumulator(final[0])
			require.NoError(t, err)
			require.NoError(t, merged.resize(task, 1))
			for _, p := range parts {
				states := p.(stateAcc).states(mem, 0, 1)
				require.NoError(t, merged.(stateAcc).merge(task, []int32{0}, states))
				states[0].Release()
			}
			assert.Equal(t, got, hllCount(t, task, merged), "merged sketches are the union")
		})
	}
}

// A group of a few values costs bytes, not a full set of registers; a
// large one costs its registers, and memBytes says so.
func TestApproxCountDistinctMemory(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	task := NewTask(context.Background(), mem)
	acc := &hllAcc{t: types.Int64Type}
	const groups = 1000
	require.NoError(t, acc.resize(task, groups))
	small := distinctInts(mem, 2*groups, 2*groups, 1)[0]
	defer small.Release()
	gids := make([]int32, small.Len())
	for i := range gids {
		gids[i] = int32(i % groups) // two values a group
	}
	require.NoError(t, acc.update(task, gids, small))
	assert.Less(t, acc.bytes, int64(groups*64), "sparse groups")
	big := distinctInts(mem, 5000, 5000, 1)[0]
	defer big.Release()
	require.NoError(t, acc.update(task, make([]int32, big.Len()), big))
	assert.GreaterOrEqual(t, acc.bytes, int64(hllRegs), "one dense group")
	assert.GreaterOrEqual(t, acc.memBytes(), acc.bytes)
}

// The loops over every pair (entropy) and every dense sketch
// (approx_count_distinct) before the output spend budget: a cancelled
// query stops there.
func TestMoreAggregatesCancelInPrepare(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	task := NewTask(context.Background(), mem)
	const groups = 64
	batches := distinctInts(mem, 64*8192, 64*8192, 1)
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	gids := make([]int32, 8192)
	for i := range gids {
		gids[i] = int32(i % groups)
	}
	for _, kind := range []AggKind{AggEntropy, AggApproxCountDistinct} {
		acc, err := newAccumulator(AggSpec{Kind: kind, In: types.Int64Type})
		require.NoError(t, err)
		require.NoError(t, acc.resize(task, groups))
		for _, b := range batches {
			require.NoError(t, acc.update(task, gids, b))
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err = acc.(preparer).prepare(NewTask(ctx, mem), 0, groups)
		assert.True(t, errors.Is(err, context.Canceled), "%s: %v", kind, err)
	}
}

// fsum keeps what a plain sum loses: 1e20 + 1 - 1e20 is 1 (DuckDB's
// Kahan sum gives 0 there), and a thousand 0.1s are 100.
func TestFSumCompensates(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	task := NewTask(context.Background(), mem)
	tenths := make([]float64, 1000)
	for i := range tenths {
		tenths[i] = 0.1
	}
	for _, tc := range []struct {
		vals []float64
		want float64
	}{
		{[]float64{1e20, 1, -1e20}, 1},
		{tenths, 100},
		{[]float64{1, math.Inf(1)}, math.NaN()},
	} {
		arr := floatArray(mem, tc.vals, nil)
		acc := &kahanAcc{}
		require.NoError(t, acc.resize(task, 1))
		require.NoError(t, acc.update(task, nil, arr))
		res := acc.finish(mem, 0, 1)
		got := res.(*array.Float64).Value(0)
		if math.IsNaN(tc.want) {
			assert.True(t, math.IsNaN(got), "as DuckDB: inf - inf in the compensation")
		} else {
			assert.Equal(t, tc.want, got)
		}
		res.Release()
		arr.Release()
	}
}
