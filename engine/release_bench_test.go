package engine_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/minisql/minisql/bufpool"
	"github.com/minisql/minisql/operators"
)

// BenchmarkReleaseBatches releases what one worker of a cancelled 20M-row
// sort holds (1,220 batches of two 8,192-row int64 columns), on one or two
// workers at once, through the checked allocator or one that only counts
// bytes (operators.TrackedAllocator, as BenchmarkCancel uses).
func BenchmarkReleaseBatches(b *testing.B) {
	const batches = 1220
	for _, checked := range []bool{true, false} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("checked=%v/workers=%d", checked, workers), func(b *testing.B) {
				var mem memory.Allocator = operators.NewTrackedAllocator(bufpool.New(64<<20), operators.NewMemTracker(0))
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
