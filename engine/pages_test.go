package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/minisql/minisql/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The state pages a query grows its aggregates and joins in go back to
// the engine's pool when it ends, however it ends, and the next query
// grows in them instead of in fresh memory.
func TestQueriesReuseStatePages(t *testing.T) {
	const groups = "SELECT range % 300000 AS g, count(*), sum(range) FROM range(1200000) GROUP BY g"
	for _, threads := range []int{1, 2} {
		t.Run(name(threads), func(t *testing.T) {
			s := engine.DefaultSettings()
			s.Threads = threads
			e := engine.Open(engine.WithSettings(s))
			defer e.Close()

			rows, err := e.Query(context.Background(), groups)
			require.NoError(t, err)
			n := 0
			for rows.Next() {
				n += int(rows.Record().NumRows())
			}
			require.NoError(t, rows.Err())
			require.NoError(t, rows.Close())
			assert.Equal(t, 300000, n)
			taken, made, free := e.PageStatsForTest()
			require.Positive(t, made, "the state needs full pages")
			assert.Equal(t, made, free, "every page back in the pool")

			// A second run takes its pages from the pool.
			rows, err = e.Query(context.Background(), groups)
			require.NoError(t, err)
			for rows.Next() {
			}
			require.NoError(t, rows.Err())
			require.NoError(t, rows.Close())
			taken2, made2, free2 := e.PageStatsForTest()
			assert.Greater(t, taken2, taken)
			if threads == 1 {
				assert.Equal(t, made, made2, "no page made")
			} else {
				// Two workers' phases overlap as the scheduler has them,
				// and a run may hold a few more pages at once than the
				// last: most are reused, some may be made.
				assert.Less(t, made2-made, (taken2-taken)/2, "most pages reused")
			}
			assert.Equal(t, made2, free2)

			// A query cancelled mid-run gives back what it took too.
			ctx, cancel := context.WithCancel(context.Background())
			rows, err = e.Query(ctx, "SELECT range % 900000 AS g, count(*) FROM range(100000000) GROUP BY g")
			require.NoError(t, err)
			go func() {
				for ctx.Err() == nil {
					if taken3, _, _ := e.PageStatsForTest(); taken3 > taken2 {
						cancel()
						return
					}
					time.Sleep(50 * time.Microsecond)
				}
			}()
			for rows.Next() {
			}
			require.ErrorIs(t, rows.Err(), context.Canceled)
			require.NoError(t, rows.Close())
			cancel()
			_, made3, free3 := e.PageStatsForTest()
			assert.Equal(t, made3, free3, "every page back after a cancel")
		})
	}
}
