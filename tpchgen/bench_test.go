package tpchgen

import (
	"context"
	"io"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
)

// BenchmarkGenerate measures generation alone (no output) per table at
// SF 0.1, reporting rows/s.
func BenchmarkGenerate(b *testing.B) {
	for _, name := range Tables() {
		b.Run(name, func(b *testing.B) {
			opts := Options{SF: 0.1, Mem: memory.NewGoAllocator()}
			sharedTextPool() // not part of any table's cost
			var rows int64
			for range b.N {
				g, err := NewGenerator(name, opts, 0, 1)
				require.NoError(b, err)
				for {
					rec, err := g.Next(context.Background())
					require.NoError(b, err)
					if rec == nil {
						break
					}
					rows += rec.NumRows()
					rec.Release()
				}
				g.Close()
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkWriteParquet measures generation plus Parquet encoding (to a
// discarding writer) per table at SF 0.1, reporting rows/s.
func BenchmarkWriteParquet(b *testing.B) {
	for _, name := range Tables() {
		b.Run(name, func(b *testing.B) {
			opts := Options{SF: 0.1, Mem: memory.NewGoAllocator()}
			sharedTextPool()
			t, err := lookupTable(name)
			require.NoError(b, err)
			var rows int64
			for range b.N {
				n, err := writeTo(context.Background(), io.Discard, t, opts, FormatParquet, nil)
				require.NoError(b, err)
				rows += n
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
