package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// The hazard suite of ../shared/CANCELLATION.md, one hazard per case.
// Every query runs over a source so large ("range(2^63-1)") that "it ran
// to the end" can never pass by accident: without working cancellation
// these tests hang (and fail after 30 s).

// firstRow asks runAndCancel to cancel as soon as the first batch arrived
// (a sort has then finished reading its input and is merging).
const firstRow = -1

type sqlHazard struct {
	id    int
	name  string
	sql   string
	after []time.Duration
}

func sqlHazards() []sqlHazard {
	ms := time.Millisecond
	union := make([]string, 16)
	for i := range union {
		union[i] = "SELECT range FROM " + endless + " WHERE range < 0"
	}
	return []sqlHazard{
		{1, "scalar_aggregate", "SELECT sum(range) FROM " + endless, []time.Duration{0, 5 * ms, 50 * ms}},
		{2, "group_by_millions_of_groups", "SELECT range, count(*) FROM " + endless + " GROUP BY range", []time.Duration{5 * ms, 100 * ms, 400 * ms}},
		{2, "distinct", "SELECT DISTINCT range FROM " + endless, []time.Duration{5 * ms, 250 * ms}},
		// EXCEPT ALL groups both sides; then each group's row is repeated
		// (here two groups of about ten million rows each, enough to
		// outlast hazard 19's deadline): cancelled while grouping, and
		// after the first repeated row.
		{2, "except_all_grouping", "SELECT count(*) FROM (SELECT range FROM " + endless + " EXCEPT ALL SELECT range FROM range(10)) t", []time.Duration{5 * ms, 250 * ms}},
		{2, "except_all_repeating", "SELECT r FROM (SELECT range % 2 AS r FROM range(20000000) EXCEPT ALL SELECT 0) t", []time.Duration{firstRow}},
		// ROLLUP runs its input (grouped by all its keys, when its
		// aggregates merge) into a spool that every set's aggregate reads:
		// cancelled while grouping or spooling an endless input, and while
		// the later sets aggregate the spool (after the first set's rows).
		{2, "rollup_grouping_finest", "SELECT range % 7, range % 3, count(*) FROM " + endless + " GROUP BY ROLLUP (range % 7, range % 3)", []time.Duration{5 * ms, 100 * ms}},
		{2, "rollup_spooling_rows", "SELECT range % 7, avg(range) FROM " + endless + " GROUP BY ROLLUP (range % 7)", []time.Duration{5 * ms, 100 * ms}},
		{2, "rollup_later_sets", "SELECT range, count(*) FROM range(3000000) GROUP BY ROLLUP (range, range % 2)", []time.Duration{firstRow}},
		// A LEFT JOIN builds on its right side, 30M rows (10M finish in
		// under 600 ms), when its left side is not much smaller: with
		// range(10) on the left it would hash the ten rows instead.
		{3, "hash_join_build", "SELECT count(*) FROM range(30000000) a LEFT JOIN range(30000000) b ON a.range = b.range", []time.Duration{5 * ms, 200 * ms, 600 * ms}},
		// A FULL JOIN of equal-looking sides hashes its right side, as the
		// LEFT JOIN above.
		{3, "full_join_build", "SELECT count(*) FROM range(30000000) a FULL JOIN range(30000000) b ON a.range = b.range", []time.Duration{5 * ms, 200 * ms, 600 * ms}},
		// Every pair is rejected: each endless row comes out NULL-extended
		// after its candidates, from the full join's own probes.
		{4, "full_join_probe_residual_rejects", "SELECT count(*) FROM " + endless + " a FULL JOIN range(1000) b ON a.range % 1000 = b.range AND a.range + b.range < 0", []time.Duration{5 * ms, 100 * ms}},
		{5, "full_join_nested_loop_rejects", "SELECT count(*) FROM " + endless + " a FULL JOIN range(1000) b ON a.range + b.range < 0", []time.Duration{5 * ms, 100 * ms}},
		{4, "hash_join_probe_residual_rejects", "SELECT count(*) FROM " + endless + " a JOIN range(1000) b ON a.range % 1000 = b.range AND a.range + b.range < 0", []time.Duration{5 * ms, 100 * ms}},
		{5, "nested_loop_filtered_to_nothing", "SELECT count(*) FROM " + endless + " a, range(1000) b WHERE a.range + b.range < 0", []time.Duration{5 * ms, 100 * ms}},
		{6, "sort_runs", "SELECT range FROM range(20000000) ORDER BY range % 7, range DESC", []time.Duration{5 * ms, 150 * ms}},
		{6, "sort_merge", "SELECT range FROM range(1000000) ORDER BY range % 7, range DESC", []time.Duration{firstRow}},
		{7, "top_k", "SELECT range FROM " + endless + " ORDER BY range DESC LIMIT 10", []time.Duration{5 * ms, 100 * ms}},
		{8, "filter_rejects_every_batch", "SELECT count(*) FROM " + endless + " WHERE range < 0", []time.Duration{0, 5 * ms, 100 * ms}},
		{9, "union_of_many_inputs", "SELECT count(*) FROM (" + strings.Join(union, " UNION ALL ") + ") u", []time.Duration{5 * ms, 100 * ms}},
		// A recursion that never ends, one row an iteration: each
		// iteration builds and runs a fresh tree of the recursive term.
		// Cancelled at once, while iterating, and after many iterations.
		{8, "recursive_cte_endless", "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t", []time.Duration{0, 5 * ms, 100 * ms}},
		// Named twice, the recursion runs once into a spool that both
		// places read: cancelled while it is spooled.
		{8, "recursive_cte_spooled_endless", "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t a JOIN t b ON a.n = b.n", []time.Duration{5 * ms, 100 * ms}},
		// Each iteration joins a 2M-row working table with 2M rows (the
		// working table is hashed, the range probes it on every worker);
		// the table loses one row an iteration, so it runs for hours.
		{3, "recursive_cte_join_per_iteration", "WITH RECURSIVE t(n) AS (SELECT range FROM range(2000000) UNION ALL SELECT r.range + 1 FROM t JOIN range(2000000) r ON r.range = t.n) SELECT count(*) FROM t", []time.Duration{5 * ms, 200 * ms, 600 * ms}},
		{17, "expensive_expression_in_one_batch", "SELECT count(*) FROM (SELECT repeat('ab', 2000 + range % 2) AS s FROM " + endless + ") t WHERE s LIKE '%a%c%'", []time.Duration{5 * ms, 100 * ms}},
		// Each row is 60 MB, which the regexp takes seconds to read: it
		// must check inside a row's match, not only between rows.
		{17, "regexp_in_one_huge_row", "SELECT count(*) FROM range(3) WHERE regexp_matches(repeat('ab', 30000000) || range, 'a.*c')", []time.Duration{5 * ms, 100 * ms, 400 * ms}},
		{17, "regexp_in_one_batch", "SELECT count(*) FROM (SELECT repeat('ab', 2000 + range % 2) AS s FROM " + endless + ") t WHERE regexp_matches(s, 'a.*c')", []time.Duration{5 * ms, 100 * ms}},
	}
}

func TestHazards(t *testing.T) {
	for _, h := range sqlHazards() {
		for _, threads := range threadCounts {
			t.Run(hazardName(h)+"/"+name(threads), func(t *testing.T) {
				ignore := goleak.IgnoreCurrent()
				e, mem := hazardEngine(t, threads)
				defer e.Close()
				base := mem.CurrentAlloc()
				for _, after := range h.after {
					o := runAndCancelAt(t, e, h.sql, after)
					checkCancelled(t, e, mem, base, o, context.Canceled)
					t.Logf("cancel at %v: stopped %v after cancel, quiescent after %v", after, o.stopped, o.quiet)
				}
				require.Equal(t, 64, e.FreeSlots())
				noQueryGoroutines(t, ignore)
			})
		}
	}
}

func hazardName(h sqlHazard) string {
	return "hazard" + string(rune('0'+h.id/10)) + string(rune('0'+h.id%10)) + "_" + h.name
}
