package engine_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
)

// fusedTwin marks a SUM the aggregate computes itself in a query of
// TestFusedSumsMatchProjectedSums: {S:x * y} is sum(x * y) as written, and
// sum(CAST(x * y AS DECIMAL(38,S))) in its twin, whose argument is a cast
// and so is computed by a projection, the general path.
var fusedTwin = regexp.MustCompile(`\{(\d+):([^}]*)\}`)

// TestFusedSumsMatchProjectedSums checks SUMs of DECIMAL products, which
// the aggregate computes in int64 as it adds (operators.FusedProduct),
// against the same sums computed by a projection: negative values and
// factors, selections, NULLs, values too large for the int64 kernel,
// wide types, many groups, no rows, at one thread and two. Each of the
// 20,000 rows' batches takes one path or the other, and the twins must
// agree to the last digit.
func TestFusedSumsMatchProjectedSums(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e := engine.Open(engine.WithAllocator(mem))
	defer e.Close()
	ctx := context.Background()
	dec := func(sql string, p int) string {
		return fmt.Sprintf("CAST(CAST(%s AS DOUBLE) / 100 AS DECIMAL(%d,2))", sql, p)
	}
	_, err := e.Exec(ctx, "CREATE TABLE f AS SELECT range % 5 AS g, range % 300 AS many, "+
		dec("(range * 7919) % 200001 - 100000", 15)+" AS p, "+
		dec("range % 11", 15)+" AS d, "+
		dec("range % 9", 15)+" AS x, "+
		"CASE WHEN range % 97 = 0 THEN NULL ELSE "+dec("range % 1000 - 500", 15)+" END AS n, "+
		dec("((range * 104729) % 2000001 - 1000000) * 10000000", 18)+" AS big, "+
		"CASE WHEN range > 15000 THEN "+dec("((range * 104729) % 2000001 - 1000000) * 10000000", 18)+" ELSE "+dec("range % 1000", 18)+" END AS mixed, "+
		"CAST(range AS DECIMAL(38,2)) * CASE WHEN range % 1000 = 0 THEN CAST(100000000000000000000 AS DECIMAL(38,2)) ELSE CAST(1 AS DECIMAL(38,2)) END AS w "+
		"FROM range(20000)")
	require.NoError(t, err)

	queries := []string{
		"SELECT g, {4:p * d} FROM f GROUP BY g ORDER BY g",
		"SELECT g, {4:p * (1 - d)}, {6:p * (1 - d) * (1 + x)}, sum(p) FROM f GROUP BY g ORDER BY g",
		"SELECT {4:p * (d - 1)} FROM f WHERE x > 0.03",
		"SELECT g, {4:p * (d - 1)}, {6:(1 - d) * p * (1 + x)} FROM f WHERE x > 0 GROUP BY g ORDER BY g", // a dense selection: not copied
		"SELECT g, {4:(1 - d) * p}, {2:p - 3} FROM f WHERE p < 0 GROUP BY g ORDER BY g",
		"SELECT g, {6:(0.5 - d) * (x + 2) * p} FROM f WHERE many < 200 GROUP BY g ORDER BY g",
		"SELECT g, {4:n * d}, count(*) FROM f GROUP BY g ORDER BY g",
		"SELECT g, {4:big * big} FROM f GROUP BY g ORDER BY g",
		"SELECT g, {4:mixed * p} FROM f GROUP BY g ORDER BY g",
		"SELECT many, {4:p * d} FROM f GROUP BY many ORDER BY many",
		"SELECT g, {6:w * d} FROM f GROUP BY g ORDER BY g",
		"SELECT g, {4:p * d}, avg(p * d) FROM f GROUP BY g ORDER BY g",
		"SELECT {4:p * d} FROM f WHERE g = 7",
	}
	for _, threads := range []int{1, 2} {
		sess := e.NewSession()
		require.NoError(t, sess.Set("threads", fmt.Sprint(threads)))
		for _, q := range queries {
			fused := fusedTwin.ReplaceAllString(q, "sum($2)")
			projected := fusedTwin.ReplaceAllString(q, "sum(CAST($2 AS DECIMAL(38,$1)))")
			t.Run(fmt.Sprintf("threads=%d/%s", threads, fused), func(t *testing.T) {
				want := queryText(t, sess, projected)
				require.NotEmpty(t, want)
				require.Equal(t, want, queryText(t, sess, fused))
			})
		}
	}

	// The fused form has no projection under the aggregate: its columns
	// are read where the filter leaves them.
	plan := strings.Join(queryText(t, e.NewSession(), "EXPLAIN SELECT g, sum(p * (1 - d) * (1 + x)) FROM f WHERE x > 0.01 GROUP BY g"), "\n")
	_, physical, ok := strings.Cut(plan, "Physical plan:")
	require.True(t, ok, plan)
	require.Contains(t, physical, "Filter", plan)
	require.NotContains(t, physical, "Project", plan)
}
