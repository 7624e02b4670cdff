package engine_test

import (
	"context"
	"errors"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/engine"
)

// Hazard 18: lifecycle edges. Cancel before the query starts and before
// its first Next, after its end, twice, concurrently with Close, and racing
// with normal completion: no panic, no double release, no leak.
func TestHazard18LifecycleEdges(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	e, mem := hazardEngine(t, 2)
	defer e.Close()
	base := mem.CurrentAlloc()
	sql := "SELECT range % 10, count(*) FROM range(200000) GROUP BY 1"

	t.Run("before_query", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := e.Query(ctx, sql)
		require.ErrorIs(t, err, context.Canceled)
	})
	t.Run("before_first_next", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		rows, err := e.Query(ctx, sql)
		require.NoError(t, err)
		cancel()
		require.False(t, rows.Next())
		require.ErrorIs(t, rows.Err(), context.Canceled)
		require.NoError(t, rows.Close())
	})
	t.Run("after_end", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		rows, err := e.Query(ctx, sql)
		require.NoError(t, err)
		for rows.Next() {
		}
		require.NoError(t, rows.Err())
		cancel()
		require.False(t, rows.Next())
		require.NoError(t, rows.Err(), "a finished query stays finished")
		require.NoError(t, rows.Close())
	})
	t.Run("twice_and_close_twice", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		rows, err := e.Query(ctx, "SELECT range FROM "+endless)
		require.NoError(t, err)
		require.True(t, rows.Next())
		cancel()
		cancel()
		rows.Cancel(nil)
		for rows.Next() {
		}
		require.ErrorIs(t, rows.Err(), context.Canceled)
		require.NoError(t, rows.Close())
		require.NoError(t, rows.Close())
	})
	t.Run("concurrently_with_close", func(t *testing.T) {
		for i := 0; i < 50; i++ {
			ctx, cancel := context.WithCancel(context.Background())
			rows, err := e.Query(ctx, "SELECT range FROM "+endless)
			require.NoError(t, err)
			require.True(t, rows.Next())
			var wg sync.WaitGroup
			wg.Add(2)
			go func() { defer wg.Done(); cancel() }()
			go func() { defer wg.Done(); rows.Cancel(nil) }()
			require.NoError(t, rows.Close())
			wg.Wait()
		}
	})
	t.Run("racing_normal_completion", func(t *testing.T) {
		r := rand.New(rand.NewSource(1))
		for i := 0; i < 100; i++ {
			ctx, cancel := context.WithCancel(context.Background())
			rows, err := e.Query(ctx, "SELECT count(*) FROM range(20000)")
			if err != nil {
				cancel()
				continue
			}
			go func(d time.Duration) { time.Sleep(d); cancel() }(time.Duration(r.Intn(300)) * time.Microsecond)
			for rows.Next() {
				require.Equal(t, "20000", rows.Record().Column(0).ValueStr(0))
			}
			if err := rows.Err(); err != nil {
				require.ErrorIs(t, err, context.Canceled)
			}
			require.NoError(t, rows.Close())
		}
	})
	require.Equal(t, base, mem.CurrentAlloc())
	require.Equal(t, 64, e.FreeSlots())
	noQueryGoroutines(t, ignore)
	checkEngineWorks(t, e)
}

// Hazard 19: deadlines. statement_timeout on the long hazards ends each
// query with an error wrapping context.DeadlineExceeded, soon after the
// deadline.
func TestHazard19Deadlines(t *testing.T) {
	timeout := 40 * time.Millisecond
	for _, h := range sqlHazards() {
		if h.id > 6 {
			continue
		}
		for _, threads := range threadCounts {
			t.Run(hazardName(h)+"/"+name(threads), func(t *testing.T) {
				e, mem := hazardEngine(t, threads)
				defer e.Close()
				base := mem.CurrentAlloc()
				sess := e.NewSession()
				require.NoError(t, sess.Set("statement_timeout", "40ms"))
				start := time.Now()
				rows, err := sess.Query(context.Background(), h.sql)
				require.NoError(t, err)
				for rows.Next() {
				}
				late := time.Since(start) - timeout
				err = rows.Err()
				require.NoError(t, rows.Close())
				require.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
				require.Contains(t, err.Error(), "statement timeout (40ms) exceeded")
				require.Less(t, late, cancelBound)
				require.Equal(t, base, mem.CurrentAlloc())
				t.Logf("returned %v after the deadline", late)
			})
		}
	}
}

// Hazard 21: a thousand queries of every shape, cancelled at random
// moments, single-threaded and parallel: never a leak, never a hang, and
// every error is the cancellation.
func TestHazard21RandomCancellations(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	n := 1000
	if testing.Short() {
		n = 100
	}
	var sqls []string
	for _, h := range sqlHazards() {
		sqls = append(sqls, h.sql)
	}
	sqls = append(sqls,
		"SELECT range % 97 AS k, sum(range), avg(range) FROM range(3000000) GROUP BY k ORDER BY k",
		"SELECT a.range, b.range FROM range(100000) a JOIN range(100000) b ON a.range = b.range WHERE a.range % 3 = 0",
		"SELECT range FROM range(1000000) WHERE range % 2 = 0 ORDER BY range DESC LIMIT 100",
		"SELECT count(*) FROM range(2000000) WHERE range IN (SELECT range * 2 FROM range(100000))",
		"SELECT count(a.range), count(b.r) FROM range(300000) a FULL JOIN (SELECT range * 2 AS r FROM range(300000)) b ON a.range = b.r",
		"SELECT k, s FROM (SELECT range % 1000 AS k, row_number() OVER (PARTITION BY range % 1000 ORDER BY range DESC) AS rn, sum(range) OVER (PARTITION BY range % 7 ORDER BY range) AS s, lag(range, 2) OVER (ORDER BY range) AS l FROM range(300000)) t WHERE rn = 1",
		"SELECT count(*), sum(a), max(m), sum(s) FROM (SELECT avg(range) OVER (ORDER BY range ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS a, max(range % 1000) OVER (PARTITION BY range % 7 ORDER BY range ROWS BETWEEN 500 PRECEDING AND 500 FOLLOWING) AS m, sum(range * 0.5) OVER (ORDER BY range RANGE BETWEEN 100 PRECEDING AND 10 FOLLOWING) AS s FROM range(300000)) t",
	)
	engines := map[int]*enginePair{}
	for _, threads := range threadCounts {
		e, mem := hazardEngine(t, threads)
		engines[threads] = &enginePair{e: e, mem: mem, base: mem.CurrentAlloc()}
	}
	defer func() {
		for _, p := range engines {
			p.e.Close()
		}
	}()
	r := rand.New(rand.NewSource(21))
	for i := 0; i < n; i++ {
		p := engines[threadCounts[r.Intn(len(threadCounts))]]
		sql := sqls[r.Intn(len(sqls))]
		after := time.Duration(r.Intn(4000)) * time.Microsecond
		o := runAndCancelAt(t, p.e, sql, after)
		if o.err != nil {
			require.ErrorIs(t, o.err, context.Canceled, "query %d: %s", i, sql)
		}
		require.Less(t, o.quiet, cancelBound, "query %d: %s", i, sql)
		require.Equal(t, p.base, p.mem.CurrentAlloc(), "query %d leaked: %s", i, sql)
	}
	for _, p := range engines {
		require.Equal(t, 64, p.e.FreeSlots())
		checkEngineWorks(t, p.e)
	}
	noQueryGoroutines(t, ignore)
}

type enginePair struct {
	e    *engine.Engine
	mem  *memory.CheckedAllocator
	base int
}
