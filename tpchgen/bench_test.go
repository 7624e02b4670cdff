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

// BenchmarkGenerateFiles measures Generate end to end (all eight tables,
// written in parallel to a temporary directory) at SF 0.1.
func BenchmarkGenerateFiles(b *testing.B) {
	for _, format := range []string{FormatParquet, FormatCSV} {
		b.Run(format, func(b *testing.B) {
			dir := b.TempDir()
			var rows, bytes int64
			for range b.N {
				spawn, wait := testGroup(context.Background())
				st, err := Generate(context.Background(), dir, Options{SF: 0.1}, format, spawn)
				require.NoError(b, err)
				require.NoError(b, wait())
				rows += st.Rows
				bytes += st.Bytes
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(bytes)/1e6/b.Elapsed().Seconds(), "MB/s")
		})
	}
}
