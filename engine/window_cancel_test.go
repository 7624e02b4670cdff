package engine_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/engine"
)

// TestWindowStatisticsCancelled cancels rolling medians, quantiles and
// standard deviations over millions of rows at several points: while the input
// sorts, while every value is ranked or the segment tree built, and while
// the frames are computed. Each must fail with the deadline, leave no
// goroutine and no buffer, and the engine must answer the next query.
func TestWindowStatisticsCancelled(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e := engine.Open(engine.WithAllocator(mem))
	defer e.Close()
	queries := []string{
		"SELECT sum(s) FROM (SELECT median(range % 1000) OVER (ORDER BY range ROWS BETWEEN 100 PRECEDING AND 100 FOLLOWING) AS s FROM range(2000000))",
		"SELECT sum(s) FROM (SELECT median(range % 1000) OVER (ORDER BY range ROWS BETWEEN 9 PRECEDING AND 9 FOLLOWING) AS s FROM range(3000000))",
		"SELECT count(s) FROM (SELECT quantile_disc(CAST(range % 997 AS VARCHAR), 0.3) OVER (PARTITION BY range % 3 ORDER BY range GROUPS 50 PRECEDING) AS s FROM range(2000000))",
		"SELECT sum(s) FROM (SELECT stddev(range % 1000) OVER (ORDER BY range ROWS BETWEEN 100 PRECEDING AND 100 FOLLOWING) AS s FROM range(4000000))",
	}
	for _, q := range queries {
		// Each query takes over half a second even on a quiet machine
		// without -race, so every deadline lands inside it.
		for _, after := range []time.Duration{time.Millisecond, 20 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond} {
			t.Run(fmt.Sprintf("%s/after=%s", q[:40], after), func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), after)
				defer cancel()
				err := drainQuery(ctx, e, q)
				require.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
			})
		}
	}
	require.NoError(t, drainQuery(context.Background(), e, "SELECT median(range) OVER (ORDER BY range ROWS 2 PRECEDING) FROM range(10)"))
}

// drainQuery runs sql to the end and returns its error.
func drainQuery(ctx context.Context, e *engine.Engine, sql string) error {
	rows, err := e.Query(ctx, sql)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	err = rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}
