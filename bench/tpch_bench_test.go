package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/minisql/minisql/engine"
)

// BenchmarkTPCH runs the 22 TPC-H queries, one sub-benchmark
// BenchmarkTPCH/q=NN/sf=S each, over Parquet files from the built-in
// generator (MINISQL_BENCH_SF, default 0.1; MINISQL_BENCH_DIR, default
// $XDG_CACHE_HOME/minisql/tpch-sf<SF>), made once and cached. At SF 0.01
// it reads the repository's official data instead.
//
// Before its timed loop each query is checked once (see checker.check);
// the timed loop runs it at MINISQL_BENCH_THREADS threads (default 1; any
// other value is added to the name as /threads=N) and drains every batch. Metrics:
// ns/op is one query end to end (parse, plan, run, fetch); rows/s counts
// the rows of every table the query reads (each table once); MB/s counts
// those tables' Parquet file sizes.
func BenchmarkTPCH(b *testing.B) {
	ctx := context.Background()
	d, qs := benchInputs(ctx, b)
	chk, err := newChecker(d)
	if err != nil {
		b.Fatal(err)
	}
	defer chk.Close()

	eng := engine.Open() // the default allocator, which recycles buffers, as users get
	defer eng.Close()
	if _, err := eng.RegisterDir(d.Dir); err != nil {
		b.Fatal(err)
	}
	sess := benchSession(b, eng, d)
	for _, q := range qs {
		b.Run(benchName(d, q), func(b *testing.B) {
			if err := chk.check(ctx, q); err != nil {
				b.Fatal(err)
			}
			rows, bytes := d.input(q)
			b.SetBytes(bytes)
			b.ReportAllocs()
			for b.Loop() {
				if err := drain(ctx, sess, q.SQL); err != nil {
					b.Fatalf("%s: %v", q.Name, err)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// benchInputs reads the configuration, makes sure the data exists and
// loads the query texts.
func benchInputs(ctx context.Context, b *testing.B) (*dataset, []query) {
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		b.Fatal(err)
	}
	d, err := openDataset(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	qs, err := loadQueries()
	if err != nil {
		b.Fatal(err)
	}
	return d, qs
}

// benchSession is a session of eng at the configured thread count.
func benchSession(b *testing.B, eng *engine.Engine, d *dataset) *engine.Session {
	sess := eng.NewSession()
	if err := sess.Set("threads", strconv.Itoa(d.Threads)); err != nil {
		b.Fatal(err)
	}
	return sess
}

// benchName is q's sub-benchmark name: q=NN/sf=S, and /threads=N unless 1.
func benchName(d *dataset, q query) string {
	name := fmt.Sprintf("q=%02d/sf=%s", q.Num, d.Label)
	if d.Threads != 1 {
		name += fmt.Sprintf("/threads=%d", d.Threads)
	}
	return name
}

// drain runs a query and releases every batch as it comes.
func drain(ctx context.Context, s *engine.Session, sql string) error {
	rows, err := s.Query(ctx, sql)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	err = rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}
