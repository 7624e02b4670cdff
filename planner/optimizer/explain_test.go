package optimizer_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/engine"
)

// tpchDir holds the official TPC-H SF0.01 data and queries (read in place).
var tpchDir = filepath.Join("..", "..", "testdata", "tpch")

// TestExplainTPCH compares the whole EXPLAIN output of two join-heavy
// TPC-H queries on the SF0.01 Parquet files with golden files: the chosen
// plan with every logical node's estimated rows, then the operators.
func TestExplainTPCH(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	settings := engine.DefaultSettings()
	settings.Threads = 2 // the physical plan may show the parallelism
	e := engine.Open(engine.WithAllocator(mem), engine.WithSettings(settings))
	defer e.Close()
	files, err := filepath.Glob(filepath.Join(tpchDir, "sf0.01", "*.parquet"))
	require.NoError(t, err)
	require.Len(t, files, 8)
	for _, f := range files {
		tb, err := catalog.OpenParquet(strings.TrimSuffix(filepath.Base(f), ".parquet"), f)
		require.NoError(t, err)
		t.Cleanup(func() { _ = tb.Close() })
		require.NoError(t, e.Register(tb, false))
	}

	estimate := regexp.MustCompile(`  ~\d+$`)
	for _, q := range []string{"q05", "q08"} {
		t.Run(q, func(t *testing.T) {
			sql, err := os.ReadFile(filepath.Join(tpchDir, "queries", q+".sql"))
			require.NoError(t, err)
			got := explain(t, e, "EXPLAIN "+string(sql))

			logical, physical, ok := strings.Cut(got, "Physical plan:\n")
			require.True(t, ok, "no physical plan in\n%s", got)
			lines := strings.Split(strings.TrimRight(logical, "\n"), "\n")
			require.Equal(t, "Logical plan (estimated rows):", lines[0])
			for _, l := range lines[1:] {
				assert.Regexp(t, estimate, l, "every logical node shows its estimate")
				if strings.Contains(l, "Inner Join") {
					assert.Contains(t, l, " ON ", "no cross product")
				}
				if strings.Contains(l, "Scan ") {
					assert.Contains(t, l, " [", "scans read only the columns needed")
				}
			}
			assert.Contains(t, physical, "HashJoin")
			assert.NotContains(t, physical, "NestedLoop")
			checkGolden(t, filepath.Join("testdata", "explain", "tpch_"+q+".golden"), got)
		})
	}
}

// explain runs an EXPLAIN and returns its lines.
func explain(t *testing.T, e *engine.Engine, sql string) string {
	t.Helper()
	rows, err := e.Query(context.Background(), sql)
	require.NoError(t, err)
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		col := rows.Record().Column(0).(*array.String)
		for i := 0; i < col.Len(); i++ {
			b.WriteString(col.Value(i) + "\n")
		}
	}
	require.NoError(t, rows.Err())
	return b.String()
}
