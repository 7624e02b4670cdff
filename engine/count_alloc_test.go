package engine_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/bufpool"
	"github.com/minisql/minisql/vector"
)

// countingAllocator counts the bytes held, as Arrow's CheckedAllocator
// does, without recording where each buffer was made. BenchmarkCancel
// measures with it: the checked allocator keeps a map entry and a call
// stack per buffer, and a 20M-row sort cancelled at threads=2 releases
// 2,440 buffers per worker in its Close, which that bookkeeping made
// three times as slow as the release itself (BenchmarkReleaseBatches).
// The engine runs on bufpool alone; the hazard tests, which hunt leaks,
// keep the checked allocator.
type countingAllocator struct {
	base memory.Allocator
	n    atomic.Int64
}

var _ vector.UninitAllocator = (*countingAllocator)(nil)

func (a *countingAllocator) Allocate(size int) []byte {
	a.n.Add(int64(size))
	return a.base.Allocate(size)
}

func (a *countingAllocator) AllocateUninit(size int) []byte {
	a.n.Add(int64(size))
	if ua, ok := a.base.(vector.UninitAllocator); ok {
		return ua.AllocateUninit(size)
	}
	return a.base.Allocate(size)
}

func (a *countingAllocator) Reallocate(size int, b []byte) []byte {
	a.n.Add(int64(size - len(b)))
	return a.base.Reallocate(size, b)
}

func (a *countingAllocator) Free(b []byte) {
	a.n.Add(-int64(len(b)))
	a.base.Free(b)
}

// CurrentAlloc is the bytes allocated and not yet freed.
func (a *countingAllocator) CurrentAlloc() int { return int(a.n.Load()) }

func TestCountingAllocatorCounts(t *testing.T) {
	a := &countingAllocator{base: bufpool.New(1 << 20)}
	b := a.Allocate(100)
	u := a.AllocateUninit(50)
	require.Equal(t, 150, a.CurrentAlloc())
	b = a.Reallocate(300, b)
	require.Equal(t, 350, a.CurrentAlloc())
	a.Free(b)
	a.Free(u)
	require.Zero(t, a.CurrentAlloc())
}

// BenchmarkReleaseBatches releases what one worker of a cancelled 20M-row
// sort holds (1,220 batches of two 8,192-row int64 columns), on one or two
// workers at once, through the checked allocator or the counting one.
func BenchmarkReleaseBatches(b *testing.B) {
	const batches = 1220
	for _, checked := range []bool{true, false} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("checked=%v/workers=%d", checked, workers), func(b *testing.B) {
				var mem memory.Allocator = &countingAllocator{base: bufpool.New(64 << 20)}
				if checked {
					mem = memory.NewCheckedAllocator(bufpool.New(64 << 20))
				}
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					sets := make([][]arrow.Record, workers)
					for w := range sets {
						sets[w] = intBatches(mem, batches)
					}
					b.StartTimer()
					var wg sync.WaitGroup
					for _, set := range sets {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for _, r := range set {
								r.Release()
							}
						}()
					}
					wg.Wait()
				}
			})
		}
	}
}

// intBatches makes n batches of two int64 columns of 8,192 rows.
func intBatches(mem memory.Allocator, n int) []arrow.Record {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.PrimitiveTypes.Int64},
		{Name: "b", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	out := make([]arrow.Record, n)
	for i := range out {
		rb := array.NewRecordBuilder(mem, schema)
		for c := range 2 {
			ib := rb.Field(c).(*array.Int64Builder)
			ib.Resize(8192)
			for j := range 8192 {
				ib.UnsafeAppend(int64(j))
			}
		}
		out[i] = rb.NewRecord()
		rb.Release()
	}
	return out
}
