package csvsrc

import (
	"bufio"
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// writeLineitem writes a lineitem-like CSV (16 columns, header, ~130
// bytes a row) with the TPC-H value shapes: keys, decimals with two
// digits, flags, dates and free text.
func writeLineitem(tb testing.TB, path string, rows int) {
	fd, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(fd, 1<<20)
	w.WriteString("l_orderkey,l_partkey,l_suppkey,l_linenumber,l_quantity,l_extendedprice,l_discount,l_tax," +
		"l_returnflag,l_linestatus,l_shipdate,l_commitdate,l_receiptdate,l_shipinstruct,l_shipmode,l_comment\n")
	rng := rand.New(rand.NewSource(42))
	instr := []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	modes := []string{"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"}
	words := []string{"furiously", "carefully", "regular", "ideas", "packages", "deposits", "quickly", "final", "slyly", "bold"}
	var line []byte
	for i := 0; i < rows; i++ {
		line = line[:0]
		line = strconv.AppendInt(line, int64(i/4+1), 10)
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(rng.Intn(200000)+1), 10)
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(rng.Intn(10000)+1), 10)
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(i%4+1), 10)
		line = append(line, ',')
		q := rng.Intn(50) + 1
		line = strconv.AppendInt(line, int64(q), 10)
		line = append(line, ".00,"...)
		cents := int64(q) * int64(rng.Intn(100000)+90000)
		line = strconv.AppendInt(line, cents/100, 10)
		line = append(line, '.', byte('0'+cents/10%10), byte('0'+cents%10), ',', '0', '.', '0', byte('0'+rng.Intn(10)), ',', '0', '.', '0', byte('0'+rng.Intn(9)), ',')
		line = append(line, "RAN"[rng.Intn(3)], ',', "OF"[rng.Intn(2)], ',')
		ship := 8036 + rng.Intn(2500)
		line = AppendDate(line, dateOf(ship))
		line = append(line, ',')
		line = AppendDate(line, dateOf(ship+rng.Intn(60)-30))
		line = append(line, ',')
		line = AppendDate(line, dateOf(ship+rng.Intn(30)+1))
		line = append(line, ',')
		line = append(line, instr[rng.Intn(len(instr))]...)
		line = append(line, ',')
		line = append(line, modes[rng.Intn(len(modes))]...)
		line = append(line, ',')
		for k, n := 0, rng.Intn(4)+2; k < n; k++ {
			if k > 0 {
				line = append(line, ' ')
			}
			line = append(line, words[rng.Intn(len(words))]...)
		}
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := fd.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkScan scans a generated 1M-row lineitem-like CSV: all columns,
// four columns, and all columns with two readers over Chunks(2).
func BenchmarkScan(b *testing.B) {
	const rows = 1_000_000
	path := filepath.Join(b.TempDir(), "lineitem.csv")
	writeLineitem(b, path, rows)
	ctx := context.Background()
	f, err := Open(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("schema: %s", schemaString(f.Schema()))
	scan := func(b *testing.B, cols []int, readers int) {
		b.SetBytes(f.Size())
		start := time.Now()
		for i := 0; i < b.N; i++ {
			chunks := f.Chunks(readers)
			var wg sync.WaitGroup
			counts := make([]int, len(chunks))
			for k, c := range chunks {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := f.NewReader(c, cols, memory.DefaultAllocator)
					if err != nil {
						b.Error(err)
						return
					}
					defer r.Close()
					for {
						rec, err := r.Next(ctx)
						if err != nil {
							b.Error(err)
							return
						}
						if rec == nil {
							return
						}
						counts[k] += int(rec.NumRows())
						rec.Release()
					}
				}()
			}
			wg.Wait()
			total := 0
			for _, n := range counts {
				total += n
			}
			if total != rows {
				b.Fatalf("read %d rows, want %d", total, rows)
			}
		}
		b.ReportMetric(float64(rows)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
	}
	b.Run("all", func(b *testing.B) { scan(b, nil, 1) })
	b.Run("4cols", func(b *testing.B) { scan(b, []int{0, 4, 5, 10}, 1) })
	b.Run("0cols", func(b *testing.B) { scan(b, []int{}, 1) })
	b.Run("all/2readers", func(b *testing.B) { scan(b, nil, 2) })
	b.Run("open", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := Open(ctx, path, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
