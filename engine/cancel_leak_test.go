package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/bufpool"
)

// TestCancelEarlyNoLeak cancels queries over Parquet data at many points
// in their first milliseconds (reading footers, opening column chunks,
// decoding the first pages); every buffer must come back each time.
func TestCancelEarlyNoLeak(t *testing.T) {
	mem := memory.NewCheckedAllocator(bufpool.New(64 << 20))
	defer mem.AssertSize(t, 0)
	e := openTPCH(t, mem)
	defer e.Close()
	queries := []string{
		"SELECT count(*) FROM lineitem",
		"SELECT count(*), sum(l_extendedprice) FROM lineitem WHERE l_comment LIKE '%a%'",
		"SELECT l_returnflag, sum(l_quantity) FROM lineitem JOIN orders ON l_orderkey = o_orderkey GROUP BY 1",
	}
	for i := 0; i < 150; i++ {
		timeout := time.Duration(i%30) * 100 * time.Microsecond
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		rows, err := e.Query(ctx, queries[i%len(queries)])
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			require.NoError(t, rows.Close())
		}
		cancel()
		if err != nil {
			require.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
		}
		require.Zero(t, mem.CurrentAlloc(), "leak after a cancel at %v", timeout)
	}
}
