package engine_test

import (
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/engine"
)

const countTo5 = "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT n FROM t"

// EXPLAIN shows the recursion: the logical node with its columns, kind
// and work table, the scans of the working table, and the operator tree
// with the first iteration's recursive term; EXPLAIN ANALYZE the number
// of iterations run.
func TestRecursiveCTEExplain(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e := engine.Open(engine.WithAllocator(mem))
	defer e.Close()
	text := explainText(t, e, countTo5)
	require.Regexp(t, `RecursiveCTE t \[n\] UNION ALL, work table #\d+`, text)
	require.Regexp(t, `WorkTableScan t \[n\] #\d+`, text)
	require.Contains(t, text, "Physical plan:")
	require.Regexp(t, `(?s)Physical plan:.*RecursiveCTE t UNION ALL.*Filter \(n < 5\).*WorkTableScan t \(the previous iteration's rows\)`, text)

	text = explainText(t, e, "ANALYZE "+countTo5)
	require.Contains(t, text, "RecursiveCTE t UNION ALL, 5 iterations")

	// Named twice, bound twice, run once: a Spool read in both places.
	text = explainText(t, e, "ANALYZE WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT a.n FROM t a JOIN t b ON a.n = b.n + 1")
	require.Equal(t, 1, strings.Count(text, "RecursiveCTE t UNION ALL, 5 iterations"), text)
	require.Contains(t, text, "SpoolRead")
}

// A LIMIT over an endless recursion ends it: the rows stream out as each
// iteration makes them, and closing the query closes the running tree.
func TestRecursiveCTELimitEndsEndlessRecursion(t *testing.T) {
	for _, threads := range threadCounts {
		t.Run(name(threads), func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			e, mem := hazardEngine(t, threads)
			defer e.Close()
			for _, sql := range []string{
				"WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t LIMIT 3",
				"WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT n + 1 FROM t) SELECT n FROM t LIMIT 3",
				"WITH RECURSIVE t(n) AS (SELECT range FROM range(100000) UNION ALL SELECT n + 1 FROM t) SELECT n FROM t LIMIT 200000",
			} {
				rows, err := runSQL(e, sql)
				require.NoError(t, err, sql)
				require.Positive(t, rows)
				require.Zero(t, mem.CurrentAlloc(), "buffers not released: %s", sql)
			}
			noQueryGoroutines(t, ignore)
		})
	}
}

// The recursive term's operator trees run on the query's workers: a join
// whose probe side is parallel, every iteration, gives the same answer at
// one and two threads.
func TestRecursiveCTEParallelIterations(t *testing.T) {
	const sql = `WITH RECURSIVE t(n) AS (SELECT 0 UNION ALL
		SELECT t.n + 1 FROM range(200000) r JOIN t ON r.range = t.n * 1000 WHERE t.n < 150)
		SELECT count(*), sum(n) FROM t`
	for _, threads := range threadCounts {
		t.Run(name(threads), func(t *testing.T) {
			e, mem := hazardEngine(t, threads)
			defer e.Close()
			_, recs := collect(t, e, sql)
			require.Len(t, recs, 1)
			require.Equal(t, "151", recs[0].Column(0).ValueStr(0))
			require.Equal(t, "11325", recs[0].Column(1).ValueStr(0))
			recs[0].Release()
			require.Zero(t, mem.CurrentAlloc())
		})
	}
}
