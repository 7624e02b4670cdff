package parquetsrc

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// lineitemSchema mimics TPC-H lineitem with the engine's types.
func lineitemSchema() *arrow.Schema {
	i64, d, s, dt := types.Int64Type.Arrow(), types.DecimalType(15, 2).Arrow(), types.StringType.Arrow(), types.DateType.Arrow()
	names := []string{"l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity", "l_extendedprice",
		"l_discount", "l_tax", "l_returnflag", "l_linestatus", "l_shipdate", "l_commitdate", "l_receiptdate",
		"l_shipinstruct", "l_shipmode", "l_comment"}
	typs := []arrow.DataType{i64, i64, i64, i64, d, d, d, d, s, s, dt, dt, dt, s, s, s}
	fields := make([]arrow.Field, len(names))
	for i := range names {
		fields[i] = arrow.Field{Name: names[i], Type: typs[i], Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// writeLineitem writes n lineitem-like rows with this package's Writer
// (decimals as INT64 DECIMAL(15,2), dates as INT32 DATE, snappy).
func writeLineitem(tb testing.TB, path string, n int) {
	out, err := os.Create(path)
	require.NoError(tb, err)
	defer out.Close()
	w, err := NewWriter(out, lineitemSchema(), WriterOptions{})
	require.NoError(tb, err)
	rng := rand.New(rand.NewPCG(7, 8))
	flags, status := []string{"A", "N", "R"}, []string{"F", "O"}
	instr := []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	modes := []string{"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"}
	words := []string{"carefully", "final", "deposits", "sleep", "furiously", "ironic", "packages", "quickly", "bold", "requests"}
	mem := memory.NewGoAllocator()
	for start := 0; start < n; start += 8192 {
		rec := buildRecord(mem, lineitemSchema(), func(b *array.RecordBuilder) {
			for k := start; k < min(start+8192, n); k++ {
				b.Field(0).(*array.Int64Builder).Append(int64(k/4 + 1))
				b.Field(1).(*array.Int64Builder).Append(int64(rng.IntN(200000) + 1))
				b.Field(2).(*array.Int64Builder).Append(int64(rng.IntN(10000) + 1))
				b.Field(3).(*array.Int64Builder).Append(int64(k%4 + 1))
				q := int64(rng.IntN(50) + 1)
				b.Field(4).(*array.Decimal128Builder).Append(dec(q * 100))
				b.Field(5).(*array.Decimal128Builder).Append(dec(q * int64(rng.IntN(100000)+90000)))
				b.Field(6).(*array.Decimal128Builder).Append(dec(int64(rng.IntN(11))))
				b.Field(7).(*array.Decimal128Builder).Append(dec(int64(rng.IntN(9))))
				b.Field(8).(*array.StringBuilder).Append(flags[rng.IntN(3)])
				b.Field(9).(*array.StringBuilder).Append(status[rng.IntN(2)])
				ship := arrow.Date32(8036 + rng.IntN(2526))
				b.Field(10).(*array.Date32Builder).Append(ship)
				b.Field(11).(*array.Date32Builder).Append(ship + arrow.Date32(rng.IntN(60)-30))
				b.Field(12).(*array.Date32Builder).Append(ship + arrow.Date32(rng.IntN(30)+1))
				b.Field(13).(*array.StringBuilder).Append(instr[rng.IntN(4)])
				b.Field(14).(*array.StringBuilder).Append(modes[rng.IntN(7)])
				c := ""
				for nw := 2 + rng.IntN(4); nw > 0; nw-- {
					c += words[rng.IntN(len(words))] + " "
				}
				b.Field(15).(*array.StringBuilder).Append(c)
			}
		})
		require.NoError(tb, w.Write(context.Background(), rec))
		rec.Release()
	}
	require.NoError(tb, w.Close())
}

// BenchmarkScan scans a generated ~1M-row lineitem-like file: all columns,
// the four columns of TPC-H Q6, the seven of Q1, and all columns with one
// reader per core over interleaved row groups. MB/s is file bytes; rows/s
// and arrowMB/s (decoded Arrow bytes) are reported too, and cpu-ns/op, the
// process's CPU time per scan (compare this one on a busy machine).
func BenchmarkScan(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "lineitem.parquet")
	writeLineitem(b, path, 1<<20)
	benchScanFile(b, path)
}

// BenchmarkScanFile scans the file named by $MINISQL_PARQUET_BENCH (for
// hand-run measurements on real data), or is skipped.
func BenchmarkScanFile(b *testing.B) {
	path := os.Getenv("MINISQL_PARQUET_BENCH")
	if path == "" {
		b.Skip("set MINISQL_PARQUET_BENCH to a Parquet file")
	}
	benchScanFile(b, path)
}

func benchScanFile(b *testing.B, path string) {
	f, err := Open(path)
	require.NoError(b, err)
	defer f.Close()
	st, err := os.Stat(path)
	require.NoError(b, err)

	q6 := namedColumns(f, "l_quantity", "l_extendedprice", "l_discount", "l_shipdate")
	if q6 == nil {
		q6 = []int{0, 1, 2, 3}
	}
	q1 := namedColumns(f, "l_returnflag", "l_linestatus", "l_quantity", "l_extendedprice", "l_discount", "l_tax", "l_shipdate")
	if q1 == nil {
		q1 = q6
	}
	for _, bc := range []struct {
		name    string
		cols    []int
		workers int
	}{
		{"all", allColumns(f), 1},
		{"4cols", q6, 1},
		{"q1cols", q1, 1},
		{fmt.Sprintf("all-%dreaders", runtime.GOMAXPROCS(0)), allColumns(f), runtime.GOMAXPROCS(0)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(st.Size())
			b.ReportAllocs()
			var arrowBytes int64
			start, cpu0 := time.Now(), cpuTime()
			for i := 0; i < b.N; i++ {
				arrowBytes = scanParallel(b, f, bc.cols, bc.workers)
			}
			el := time.Since(start).Seconds()
			b.ReportMetric(float64(f.NumRows())*float64(b.N)/el, "rows/s")
			b.ReportMetric(float64(arrowBytes)*float64(b.N)/el/1e6, "arrowMB/s")
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// namedColumns returns the indices of the named columns, or nil when one
// is missing.
func namedColumns(f *File, names ...string) []int {
	var cols []int
	for _, name := range names {
		idx := f.Schema().FieldIndices(name)
		if len(idx) != 1 {
			return nil
		}
		cols = append(cols, idx[0])
	}
	return cols
}

// scanParallel reads cols of every row group with workers readers, row
// groups dealt round-robin, and returns the decoded Arrow bytes.
func scanParallel(b *testing.B, f *File, cols []int, workers int) int64 {
	var wg sync.WaitGroup
	total := make([]int64, workers)
	for w := 0; w < workers; w++ {
		var rgs []int
		for rg := w; rg < f.NumRowGroups(); rg += workers {
			rgs = append(rgs, rg)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := f.NewReader(rgs, cols, DefaultBatchSize, memory.NewGoAllocator())
			if err != nil {
				b.Error(err)
				return
			}
			defer r.Close()
			for {
				rec, err := r.Next(context.Background())
				if err != nil {
					b.Error(err)
					return
				}
				if rec == nil {
					return
				}
				for _, c := range rec.Columns() {
					for _, buf := range c.Data().Buffers() {
						if buf != nil {
							total[w] += int64(buf.Len())
						}
					}
				}
				rec.Release()
			}
		}()
	}
	wg.Wait()
	var sum int64
	for _, t := range total {
		sum += t
	}
	return sum
}
