package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/internal/answers"
)

// BenchmarkTPCHInMemory runs Q1 and Q6 with lineitem held in memory as
// Arrow batches (read once from BenchmarkTPCH's files), at
// MINISQL_BENCH_THREADS. Issue 8 asks for both within 2x of the
// memory-bandwidth limit of the columns they read (sources/parquetsrc's
// BenchmarkBandwidth); from Parquet most of their time is decoding.
// Before the timed loop each answer is compared with the same query's
// over the files.
func BenchmarkTPCHInMemory(b *testing.B) {
	ctx := context.Background()
	d, qs := benchInputs(ctx, b)
	files := engine.Open()
	defer files.Close()
	if _, err := files.RegisterDir(d.Dir); err != nil {
		b.Fatal(err)
	}
	mem := engine.Open()
	defer mem.Close()
	if _, err := mem.RegisterDir(d.Dir); err != nil {
		b.Fatal(err)
	}
	if err := loadIntoMemory(ctx, mem, "lineitem"); err != nil {
		b.Fatal(err)
	}
	sess := benchSession(b, mem, d)
	for _, q := range qs {
		if q.Num != 1 && q.Num != 6 {
			continue
		}
		b.Run(benchName(d, q), func(b *testing.B) {
			got, err := runText(ctx, sess, q.SQL)
			if err != nil {
				b.Fatal(err)
			}
			want, err := runText(ctx, files.NewSession(), q.SQL)
			if err != nil {
				b.Fatal(err)
			}
			if err := answers.Compare(got, want); err != nil {
				b.Fatalf("%s in memory differs from Parquet: %v", q.Name, err)
			}
			rows, _ := d.input(q)
			for b.Loop() {
				if err := drain(ctx, sess, q.SQL); err != nil {
					b.Fatalf("%s: %v", q.Name, err)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// loadIntoMemory replaces a registered table by an in-memory copy of it,
// read in order by one thread. CREATE TABLE AS appends the batches as
// they come, so the process never holds the whole table twice (collecting
// every batch first and registering them after did: 1.3 GB of Parquet
// batches next to lineitem's chunks).
func loadIntoMemory(ctx context.Context, eng *engine.Engine, table string) error {
	sess := eng.NewSession()
	if err := sess.Set("threads", "1"); err != nil {
		return err
	}
	_, err := sess.Exec(ctx, fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT * FROM %s", table, table))
	return err
}
