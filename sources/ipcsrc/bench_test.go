package ipcsrc

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
)

// BenchmarkScan reads a 1M-row file (int64, int32, string, decimal) in
// batches of 64K rows, re-sliced to 8192: "same" columns are handed over,
// int32 is widened. MB/s is file bytes.
func BenchmarkScan(b *testing.B) {
	const rows, per = 1 << 20, 1 << 16
	mem := memory.NewGoAllocator()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "q", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "d", Type: &arrow.Decimal128Type{Precision: 15, Scale: 2}, Nullable: true},
	}, nil)
	var recs []arrow.Record
	for start := 0; start < rows; start += per {
		rb := array.NewRecordBuilder(mem, sc)
		for i := start; i < start+per; i++ {
			rb.Field(0).(*array.Int64Builder).Append(int64(i))
			rb.Field(1).(*array.Int32Builder).Append(int32(i % 50))
			rb.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("comment %d", i%1000))
			rb.Field(3).(*array.Decimal128Builder).Append(dec(int64(i)))
		}
		recs = append(recs, rb.NewRecord())
		rb.Release()
	}
	path := writeIPC(b, recs)
	for _, r := range recs {
		r.Release()
	}
	st, err := os.Stat(path)
	require.NoError(b, err)
	f, err := Open(path)
	require.NoError(b, err)
	defer f.Close()

	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		r, err := f.NewReader(f.AllRecordBatches(), []int{0, 1, 2, 3}, 0, mem)
		require.NoError(b, err)
		for {
			rec, err := r.Next(context.Background())
			require.NoError(b, err)
			if rec == nil {
				break
			}
			rec.Release()
		}
		r.Close()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
}
