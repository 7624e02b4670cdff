package sqllogictest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/bufpool"
	"github.com/minisql/minisql/engine"
)

var rewrite = flag.Bool("rewrite", false, "rewrite expected query results of failing records (check them by hand!)")

// TestSQLLogic runs every testdata/sql/*.slt file, each on a fresh engine
// with a checked allocator.
func TestSQLLogic(t *testing.T) {
	pattern := "../../testdata/sql/*.slt"
	if p := os.Getenv("MINISQL_SLT_GLOB"); p != "" {
		pattern = p // e.g. testdata/sql/pending/*.slt while fixing bugs
	}
	files, err := filepath.Glob(pattern)
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		recs, err := ParseFile(path)
		require.NoError(t, err)
		// Every file runs single-threaded and in parallel; tiny morsels
		// split even a ten-row table between the workers.
		for _, threads := range []int{1, 2, 8} {
			t.Run(fmt.Sprintf("%s/threads=%d", filepath.Base(path), threads), func(t *testing.T) {
				// Each run has an engine of its own. In parallel, the
				// package (the longest of make test: 4-5 min under -race)
				// keeps both cores busy once the others are done.
				t.Parallel()
				settings := engine.DefaultSettings()
				settings.Threads = threads
				if threads > 1 {
					settings.MorselRows = 3
				}
				mem := memory.NewCheckedAllocator(bufpool.New(64 << 20))
				eng := engine.Open(engine.WithAllocator(mem), engine.WithSettings(settings))
				fails := Run(context.Background(), eng, recs)
				require.NoError(t, eng.Close())
				mem.AssertSize(t, 0)
				if *rewrite && len(fails) > 0 && threads == 1 {
					require.NoError(t, Rewrite(path, fails))
				}
				for _, f := range fails {
					t.Errorf("%s:%v", path, f.Error())
				}
			})
		}
	}
}
