package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/bufpool"
	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/internal/answers"
	"github.com/minisql/minisql/sqlerr"
)

// TestConcurrentQueries runs 8 clients on one engine at once, as a Go
// program embedding minisql would: each has its own session and context,
// some queries are cancelled at random moments, one client works under a
// memory limit too small for most queries. Every query that was neither
// cancelled nor over its limit must give the official answer; the failures
// must not disturb the others; nothing may leak.
func TestConcurrentQueries(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	mem := memory.NewCheckedAllocator(bufpool.New(64 << 20))
	e := openTPCH(t, mem)

	type query struct {
		name, sql string
		want      *answers.Table
	}
	var queries []query
	for _, n := range []string{"q01", "q03", "q05", "q06", "q10", "q12", "q14", "q18", "q19"} {
		text, err := os.ReadFile(filepath.Join(tpchDir, "queries", n+".sql"))
		require.NoError(t, err)
		want, err := answers.ReadPSV(filepath.Join(tpchDir, "answers", n+".psv"))
		require.NoError(t, err)
		queries = append(queries, query{n, string(text), want})
	}

	const clients = 8
	perClient := 12
	if testing.Short() {
		perClient = 4
	}
	type tally struct{ ok, cancelled, overLimit int }
	results := make([]tally, clients)
	errs := make(chan error, clients*perClient)
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sess := e.NewSession()
			threads := 1 + c%2
			if err := sess.Set("threads", fmt.Sprint(threads)); err != nil {
				errs <- err
				return
			}
			tight := c == clients-1
			if tight {
				if err := sess.Set("memory_limit", "256KiB"); err != nil {
					errs <- err
					return
				}
			}
			r := rand.New(rand.NewSource(int64(c)))
			for i := 0; i < perClient; i++ {
				q := queries[r.Intn(len(queries))]
				var cancelAfter time.Duration
				if r.Intn(3) == 0 {
					cancelAfter = time.Duration(r.Intn(20000)) * time.Microsecond
				}
				err := runClientQuery(sess, q.sql, q.want, cancelAfter)
				switch {
				case err == nil:
					results[c].ok++
				case cancelAfter > 0 && errors.Is(err, context.Canceled):
					results[c].cancelled++
				case tight && errors.Is(err, sqlerr.ErrMemoryLimit):
					results[c].overLimit++
				default:
					errs <- fmt.Errorf("client %d, %s (threads=%d, cancel after %v): %w", c, q.name, threads, cancelAfter, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var total tally
	for _, r := range results {
		total.ok += r.ok
		total.cancelled += r.cancelled
		total.overLimit += r.overLimit
	}
	t.Logf("%d correct, %d cancelled, %d over the memory limit", total.ok, total.cancelled, total.overLimit)
	require.Positive(t, total.ok)
	require.Positive(t, results[clients-1].overLimit, "the tight client never hit its limit")

	require.Equal(t, 64, e.FreeSlots(), "an admission slot was not given back")
	require.NoError(t, e.Close())
	require.Zero(t, mem.CurrentAlloc(), "buffers not released")
	noQueryGoroutines(t, ignore)
}

// runClientQuery runs sql, cancelling it after cancelAfter if that is
// positive, and compares a complete result with want.
func runClientQuery(sess *engine.Session, sql string, want *answers.Table, cancelAfter time.Duration) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if cancelAfter > 0 {
		timer := time.AfterFunc(cancelAfter, cancel)
		defer timer.Stop()
	}
	rows, err := sess.Query(ctx, sql)
	if err != nil {
		return err
	}
	defer rows.Close()
	var recs []arrow.Record
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	for rows.Next() {
		rec := rows.Record()
		rec.Retain()
		recs = append(recs, rec)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := answers.Compare(answers.FromRecords(rows.Schema(), recs), want); err != nil {
		return fmt.Errorf("wrong answer: %w", err)
	}
	return nil
}
