package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/engine"
)

// dmlInt runs a query of one BIGINT value.
func dmlInt(t *testing.T, e *engine.Engine, sql string) int64 {
	t.Helper()
	rows, err := e.Query(context.Background(), sql)
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "no row: %v", rows.Err())
	n := rows.Record().Column(0).(*array.Int64).Value(0)
	require.False(t, rows.Next())
	require.NoError(t, rows.Err())
	return n
}

func dmlExec(t *testing.T, e *engine.Engine, sql string) {
	t.Helper()
	_, err := e.Exec(context.Background(), sql)
	require.NoError(t, err, sql)
}

func execErr(e *engine.Engine, sql string) error {
	_, err := e.Exec(context.Background(), sql)
	return err
}

// TestUpdateDeleteCancelled cancels UPDATEs and DELETEs of a large table
// at many points: each must fail with the cancel, leave the table as it
// was, hold no buffer and no goroutine, and give the write lock back.
func TestUpdateDeleteCancelled(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e := engine.Open(engine.WithAllocator(mem))
	defer e.Close()
	ctx := context.Background()
	dmlExec(t, e, "CREATE TABLE big AS SELECT range AS id, range % 7 AS g FROM range(3000000)")
	want := dmlInt(t, e, "SELECT sum(id) + sum(g) FROM big")
	stmts := []string{
		"UPDATE big SET g = g + length(repeat('x', CAST(id % 50 AS INTEGER))) WHERE id % 2 = 0",
		"DELETE FROM big WHERE length(repeat('y', CAST(id % 50 AS INTEGER))) > 10",
	}
	cancelled := 0
	for i := 0; i < 20; i++ {
		c, cancel := context.WithTimeout(ctx, time.Duration(1+i%10)*time.Millisecond)
		rows, err := e.Query(c, stmts[i%2])
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			require.NoError(t, rows.Close())
		}
		cancel()
		if err == nil {
			// Finished before the deadline: undo by recreating the table.
			dmlExec(t, e, "CREATE OR REPLACE TABLE big AS SELECT range AS id, range % 7 AS g FROM range(3000000)")
			continue
		}
		cancelled++
		require.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
		require.Equal(t, want, dmlInt(t, e, "SELECT sum(id) + sum(g) FROM big"), "the table changed")
	}
	require.Greater(t, cancelled, 0, "no statement was cancelled")
	// The write lock came back: a statement that needs it runs.
	dmlExec(t, e, "UPDATE big SET g = 0 WHERE id = 1")
}

// TestUpdateInsertConcurrent runs INSERTs while UPDATEs rewrite the
// table: the write lock must keep every inserted row.
func TestUpdateInsertConcurrent(t *testing.T) {
	e := engine.Open()
	defer e.Close()
	dmlExec(t, e, "CREATE TABLE c AS SELECT range AS id, 0 AS n FROM range(100000)")
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 20; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs <- execErr(e, "INSERT INTO c VALUES (-1, 0)")
		}()
		go func() {
			defer wg.Done()
			errs <- execErr(e, "UPDATE c SET n = n + 1 WHERE id < 10")
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, int64(20), dmlInt(t, e, "SELECT count(*) FROM c WHERE id = -1"))
	require.Equal(t, int64(200), dmlInt(t, e, "SELECT sum(n) FROM c WHERE id < 10 AND id >= 0"))
}
