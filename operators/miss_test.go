package operators

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/types"
)

// findChunked finds what one lookup of the whole batch finds, with a
// check after every missChunk rows, and stops at a cancel.
func TestFindChunkedChecksEveryChunk(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	// Sparse keys, so the table hashes rather than indexing directly.
	keys := int64Array(mem, 50_000, func(i int) int64 { return int64(i) * 1_000_003 })
	defer keys.Release()
	table := hashtab.New([]types.T{types.Int64Type})
	_, err := table.FindOrInsert(NewTask(context.Background(), mem), []arrow.Array{keys}, make([]int32, keys.Len()))
	require.NoError(t, err)

	tests := []struct {
		name string
		rows int
	}{
		{"one chunk", missChunk},
		{"a row past a chunk", missChunk + 1},
		{"a batch", 8192},
		{"a ragged batch", 5*missChunk + 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Every other probe key is absent.
			probe := int64Array(mem, tc.rows, func(i int) int64 { return int64(i/2)*1_000_003 + int64(i%2) })
			defer probe.Release()
			want := make([]int32, tc.rows)
			table.Find(&hashtab.Probe{}, []arrow.Array{probe}, want)

			task := NewTask(context.Background(), mem)
			task.quantum = DefaultQuantum
			got := make([]int32, tc.rows)
			require.NoError(t, findChunked(task, table, &hashtab.Probe{}, []arrow.Array{probe}, got))
			assert.Equal(t, want, got)
			assert.GreaterOrEqual(t, task.Stats().Checks, int64(tc.rows/missChunk))
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	probe := int64Array(mem, 8192, func(i int) int64 { return int64(i) })
	defer probe.Release()
	err = findChunked(NewTask(ctx, mem), table, &hashtab.Probe{}, []arrow.Array{probe}, make([]int32, 8192))
	require.ErrorIs(t, err, context.Canceled)
}

func int64Array(mem memory.Allocator, n int, v func(int) int64) arrow.Array {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	for i := range n {
		b.Append(v(i))
	}
	return b.NewArray()
}

// A build side's gathers give what one take of each column gives, with a
// check after every missChunk rows of each column, and stop at a cancel
// with nothing left allocated.
func TestBuildTakesCheckEveryChunk(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := rand.New(rand.NewSource(7))
	batches := randomBatches(mem, r, 5000, 900, true)
	task := NewTask(context.Background(), mem)
	build, err := newBuildRowsSized(task, twoCols, batches, 10) // chunks of 1024 rows
	require.NoError(t, err)
	releaseAll(batches)
	defer build.release()
	require.Greater(t, len(build.chunks), 1)

	for _, n := range []int{1, missChunk, missChunk + 1, 3*missChunk + 5, 8192} {
		t.Run(fmt.Sprint(n, " rows"), func(t *testing.T) {
			idx := make([]int32, n)
			for i := range idx {
				idx[i] = int32(r.Intn(build.numRows()))
			}
			idx[0] = -1 // an outer join's NULL row
			var want []arrow.Array
			for k := range build.numCols() {
				want = append(want, build.take(mem, k, idx))
			}
			defer releaseArrays(want)

			task := NewTask(context.Background(), mem)
			task.quantum = DefaultQuantum
			cols, err := build.takeColumns(task, nil, idx)
			require.NoError(t, err)
			defer releaseArrays(cols)
			require.Len(t, cols, build.numCols())
			for k, c := range cols {
				assert.True(t, array.Equal(want[k], c), "column %d", k)
			}
			assert.GreaterOrEqual(t, task.Stats().Checks, int64(build.numCols()*(n/missChunk)))
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, n := range []int{missChunk, 8192} {
		cols, err := build.takeColumns(NewTask(ctx, mem), nil, make([]int32, n))
		require.ErrorIs(t, err, context.Canceled)
		require.Empty(t, cols)
	}
}
