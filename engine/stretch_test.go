package engine_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/operators"
)

// stretchBound is generous (shared machines, the race detector); what it
// catches is an operator that does not check at all, whose stretch is the
// length of the whole query. The real figures are in BENCHMARKS.md.
const stretchBound = 250 * time.Millisecond

// TestNoOperatorStopsChecking runs long queries of every operator to the
// end and checks the longest stretch without a context check, operator by
// operator.
func TestNoOperatorStopsChecking(t *testing.T) {
	queries := []string{
		"SELECT range % 1000 AS k, count(*), sum(range), avg(range), min(range), max(range) FROM range(4000000) GROUP BY k",
		"SELECT count(DISTINCT range % 100000) FROM range(2000000)",
		"SELECT count(*) FROM range(3000000) a JOIN range(1000000) b ON a.range = b.range * 3",
		"SELECT count(*) FROM range(2000000) a LEFT JOIN range(2000000) b ON a.range = b.range AND a.range + b.range < 0",
		"SELECT count(*) FROM range(200000) a, range(20) b WHERE a.range + b.range < 0",
		"SELECT range FROM range(2000000) ORDER BY range % 7, range DESC",
		"SELECT range FROM range(5000000) ORDER BY range DESC LIMIT 10",
		"SELECT count(*) FROM (SELECT repeat('ab', 2000 + range % 2) AS s FROM range(100000)) t WHERE s LIKE '%a%c%'",
		"SELECT count(*) FROM (SELECT repeat('ab', 2000 + range % 2) AS s FROM range(10000)) t WHERE regexp_matches(s, 'a.*c')",
		"SELECT count(*) FROM range(2000000) WHERE range IN (SELECT range * 2 FROM range(500000))",
	}
	for _, threads := range threadCounts {
		e, _ := hazardEngine(t, threads)
		for _, q := range queries {
			// An operator that does not check fails every run; a stall of
			// a loaded machine (descheduled for a moment) does not repeat.
			var worst string
			for attempt := 0; attempt < 3; attempt++ {
				if worst = longestStretch(t, e, q); worst == "" {
					break
				}
			}
			require.Empty(t, worst, "in %q at threads=%d (3 runs)", q, threads)
		}
		require.NoError(t, e.Close())
	}
}

// longestStretch runs q to the end and describes the first operator that
// went too long without checking ("" if none did): longer than
// stretchBound and than a quarter of the whole query. The second bound
// keeps a loaded machine (every stretch longer, the race detector, GC
// pauses) from failing the test, while an operator that checks only at
// the start and the end of its work still fails it.
func longestStretch(t *testing.T, e *engine.Engine, q string) string {
	rows, err := e.Query(context.Background(), q)
	require.NoError(t, err)
	for rows.Next() {
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	bound := max(stretchBound, rows.Stats().Elapsed/4)
	for _, op := range rows.OperatorStats() {
		if op.Metrics.MaxStretch >= bound {
			return fmt.Sprintf("%s (%s) ran %v without looking at the context", op.Name, op.Detail, op.Metrics.MaxStretch)
		}
	}
	return ""
}

// busyOp works for a while inside one Next without spending budget: the
// operator that stops checking.
type busyOp struct{ d time.Duration }

func (b *busyOp) Schema() *arrow.Schema           { return arrow.NewSchema(nil, nil) }
func (b *busyOp) Open(*operators.Task) error      { return nil }
func (b *busyOp) Close() error                    { return nil }
func (b *busyOp) Describe() operators.Description { return operators.Description{Name: "Busy"} }
func (b *busyOp) Next(*operators.Task) (arrow.Record, error) {
	for start := time.Now(); time.Since(start) < b.d; {
	}
	return nil, nil
}

// TestStretchMetricCatchesAnOperatorThatStopsChecking shows the metric
// above sees an operator that does not check.
func TestStretchMetricCatchesAnOperatorThatStopsChecking(t *testing.T) {
	op := operators.Instrument(&busyOp{d: 2 * stretchBound})
	task := operators.NewTask(context.Background(), memory.DefaultAllocator)
	_, err := op.Next(task)
	require.NoError(t, err)
	require.GreaterOrEqual(t, op.Metrics.MaxStretch, stretchBound)
}

// The time a consumer spends between two batches (printing them, say) is
// its own, not an unchecked stretch of the query's: neither the query's
// longest stretch nor any operator's counts it.
func TestStretchLeavesOutTheCallersTime(t *testing.T) {
	e, _ := hazardEngine(t, 1)
	defer func() { require.NoError(t, e.Close()) }()
	rows, err := e.Query(context.Background(), "SELECT range FROM range(100000) ORDER BY range DESC")
	require.NoError(t, err)
	batches := 0
	for rows.Next() {
		if batches++; batches == 2 {
			time.Sleep(2 * stretchBound) // the caller's own work
		}
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Greater(t, batches, 2)
	assert.Less(t, rows.Stats().MaxStretch, stretchBound)
	for _, op := range rows.OperatorStats() {
		assert.Less(t, op.Metrics.MaxStretch, stretchBound, "%s", op.Name)
	}
}

// TestWaitsForASlowConsumerAreNotUnchecked reads a parallel sort's rows
// slowly: the merge workers wait to hand their batches on, in selects
// that watch the context, and that wait must not count as a stretch
// without a check (it did: a window's sort showed 2-5 ms at threads=2).
func TestWaitsForASlowConsumerAreNotUnchecked(t *testing.T) {
	const pause = 150 * time.Millisecond
	e, _ := hazardEngine(t, 2)
	defer e.Close()
	rows, err := e.Query(context.Background(), "SELECT range FROM range(400000) ORDER BY range % 1000, range DESC")
	require.NoError(t, err)
	for n := 0; rows.Next(); n++ {
		if n < 5 {
			time.Sleep(pause)
		}
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	var sorts int
	for _, op := range rows.OperatorStats() {
		if op.Name == "Sort" {
			sorts++
			assert.Less(t, op.Metrics.MaxStretch, pause, "a sort's worker counted its wait for the consumer as work")
		}
	}
	require.NotZero(t, sorts)
}
