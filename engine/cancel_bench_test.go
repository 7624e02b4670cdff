package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/minisql/minisql/bufpool"
	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/operators"
)

// benchHazards are the hazards at SF1 scale: inputs of the size of TPC-H
// SF1's lineitem (6M rows) and beyond, or endless.
func benchHazards() []struct{ name, sql string } {
	union := make([]string, 16)
	for i := range union {
		union[i] = "SELECT range FROM " + endless + " WHERE range < 0"
	}
	return []struct{ name, sql string }{
		{"01_scalar_aggregate", "SELECT sum(range) FROM " + endless},
		{"02_group_by_6M_groups", "SELECT range, count(*) FROM range(6000000) GROUP BY range"},
		// Not range(10) on the left: the join would hash those ten rows.
		{"03_hash_join_build_10M", "SELECT count(*) FROM range(10000000) a LEFT JOIN range(10000000) b ON a.range = b.range"},
		{"04_probe_residual_rejects", "SELECT count(*) FROM " + endless + " a JOIN range(1000) b ON a.range % 1000 = b.range AND a.range + b.range < 0"},
		{"05_nested_loop_to_nothing", "SELECT count(*) FROM " + endless + " a, range(1000) b WHERE a.range + b.range < 0"},
		{"06_sort_20M", "SELECT range FROM range(20000000) ORDER BY range % 7, range DESC"},
		{"07_top_k", "SELECT range FROM " + endless + " ORDER BY range DESC LIMIT 10"},
		{"08_filter_rejects_all", "SELECT count(*) FROM " + endless + " WHERE range < 0"},
		{"09_union_of_16", "SELECT count(*) FROM (" + strings.Join(union, " UNION ALL ") + ") u"},
		{"17_like_long_strings", "SELECT count(*) FROM (SELECT repeat('ab', 2000 + range % 2) AS s FROM " + endless + ") t WHERE s LIKE '%a%c%'"},
		// Not one of CANCELLATION.md's: a window keeps its whole input,
		// sorts it and numbers its rows before its first batch.
		{"window_6M", "SELECT count(*) FROM (SELECT row_number() OVER (PARTITION BY range % 1000 ORDER BY range DESC) AS rn, sum(range) OVER (ORDER BY range) AS s FROM range(6000000)) t WHERE rn = 1"},
		// Framed windows: prefix sums, a segment tree and a deque.
		{"window_frames_6M", "SELECT count(*), sum(a), max(m), sum(s) FROM (SELECT avg(range) OVER (ORDER BY range ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS a, max(range % 1000) OVER (ORDER BY range ROWS BETWEEN 1000 PRECEDING AND 1000 FOLLOWING) AS m, sum(CAST(range AS DOUBLE)) OVER (ORDER BY range ROWS BETWEEN 100000 PRECEDING AND CURRENT ROW) AS s FROM range(6000000)) t"},
	}
}

// BenchmarkCancel cancels each hazard at a random moment of its run, once
// per iteration, and reports the time from
// cancel() to quiescence: the query has returned, Close has joined every
// goroutine of the query, and the allocator is back to its base (checked
// outside the timing). The moment is uniform over the first 90% of the
// query's uncancelled run time, measured once (at most maxDelay), so that
// nearly every iteration is a trial rather than a query that finished
// first. Run it with e.g. -benchtime 100x.
func BenchmarkCancel(b *testing.B) {
	const maxDelay = 400 * time.Millisecond
	for _, h := range benchHazards() {
		for _, threads := range threadCounts {
			b.Run(h.name+"/"+name(threads), func(b *testing.B) {
				e, mem := benchEngine(threads)
				defer e.Close()
				base := mem.Used()
				// Measured on the second run: the first fills the engine's
				// pools, and later runs are faster (02_group_by at
				// threads=1 then finished before 60 cancels in 100).
				runLength(b, e, h.sql, maxDelay)
				window := runLength(b, e, h.sql, maxDelay) * 9 / 10
				r := rand.New(rand.NewSource(int64(threads)))
				lat := make([]time.Duration, 0, b.N)
				rec := startCancelTrace(b, h.name+"-"+name(threads))
				defer rec.stop()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					after := time.Duration(r.Int63n(int64(window)))
					o := runAndCancelAt(b, e, h.sql, after)
					if o.err == nil {
						continue // finished before the cancel: not a trial
					}
					if !errors.Is(o.err, context.Canceled) {
						b.Fatalf("%s: %v", h.name, o.err)
					}
					if mem.Used() != base {
						b.Fatalf("%s: %d bytes not released", h.name, mem.Used()-base)
					}
					lat = append(lat, o.quiet)
					rec.trial(b, o.quiet)
				}
				b.StopTimer()
				reportLatencies(b, lat)
			})
		}
	}
}

// benchEngine is hazardEngine on the engine's own allocator under a byte
// count (an operators.TrackedAllocator): what is timed is the engine's
// teardown, not the bookkeeping of Arrow's checked allocator, which keeps
// a map entry and a call stack per buffer and made a cancelled 20M-row
// sort's release three times as slow (BenchmarkReleaseBatches). The
// hazard tests, which hunt leaks, keep the checked allocator. Its pool is
// the hazard engine's.
func benchEngine(threads int) (*engine.Engine, *operators.MemTracker) {
	held := operators.NewMemTracker(0)
	settings := engine.DefaultSettings()
	settings.Threads = threads
	mem := operators.NewTrackedAllocator(bufpool.New(64<<20), held)
	return engine.Open(engine.WithAllocator(mem), engine.WithSettings(settings)), held
}

// runLength runs sql to its end, or for at most limit, and returns how long
// it ran.
func runLength(b *testing.B, e *engine.Engine, sql string, limit time.Duration) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	start := time.Now()
	rows, err := e.Query(ctx, sql)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
	}
	if err := rows.Err(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		b.Fatal(err)
	}
	rows.Close()
	return max(time.Since(start), time.Millisecond)
}

// nearestRank is the index, in n sorted values, of their p-th percentile
// by the nearest-rank definition: the value at rank ceil(p*n/100),
// counting from 1. (Until 2026-11-27 p99 took index n*99/100, one rank
// too high: for 100 trials it reported the maximum.)
func nearestRank(n, p int) int { return max(0, (n*p+99)/100-1) }

// reportLatencies reports p50, p99 and max in milliseconds.
func reportLatencies(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[nearestRank(len(lat), 50)]), "p50_ms")
	b.ReportMetric(ms(lat[nearestRank(len(lat), 99)]), "p99_ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max_ms")
	b.ReportMetric(float64(len(lat)), "trials")
}

// BenchmarkCancelOverhead runs the same queries with the context checks on
// and off (cancel_checks, which exists for this benchmark only); compare
// the two with benchstat. The bar is at most 2%.
func BenchmarkCancelOverhead(b *testing.B) {
	queries := []struct{ name, sql string }{
		{"aggregate", "SELECT range % 1000 AS k, sum(range), count(*) FROM range(6000000) GROUP BY k"},
		{"join", "SELECT count(*) FROM range(6000000) a JOIN range(1500000) b ON a.range = b.range * 4"},
		{"sort", "SELECT range FROM range(2000000) ORDER BY range % 7, range DESC"},
		{"filter", "SELECT count(*) FROM range(20000000) WHERE range % 3 = 1"},
		{"like", "SELECT count(*) FROM (SELECT repeat('ab', 100 + range % 2) AS s FROM range(1000000)) t WHERE s LIKE '%ba%c'"},
	}
	for _, q := range queries {
		for _, checks := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/checks=%v", q.name, checks), func(b *testing.B) {
				settings := engine.DefaultSettings()
				settings.Threads, settings.CancelChecks = 1, checks
				e := engine.Open(engine.WithSettings(settings))
				defer e.Close()
				for i := 0; i < b.N; i++ {
					rows, err := e.Query(context.Background(), q.sql)
					if err != nil {
						b.Fatal(err)
					}
					for rows.Next() {
					}
					if err := rows.Err(); err != nil {
						b.Fatal(err)
					}
					rows.Close()
				}
			})
		}
	}
}

func TestNearestRank(t *testing.T) {
	for _, tc := range []struct{ n, p, want int }{
		{100, 99, 98}, // the 99th of 100: one trial in a hundred is slower
		{100, 50, 49},
		{101, 50, 50},
		{10, 99, 9}, // ceil(9.9) = 10: the maximum
		{1, 99, 0},
		{200, 99, 197},
	} {
		assert.Equal(t, tc.want, nearestRank(tc.n, tc.p), "n=%d p=%d", tc.n, tc.p)
	}
}
