package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
)

// explainText runs EXPLAIN sql and returns the plan as text.
func explainText(t *testing.T, e *engine.Engine, sql string) string {
	_, recs := collect(t, e, "EXPLAIN "+sql)
	var b strings.Builder
	for _, rec := range recs {
		col := rec.Column(0).(*array.String)
		for i := range col.Len() {
			b.WriteString(col.Value(i) + "\n")
		}
		rec.Release()
	}
	return b.String()
}

// A CTE named twice whose two copies come out of the optimiser the same is
// computed once (a Spool and a SpoolRead); copies that differ are not.
func TestRepeatedCTEComputedOnce(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e := engine.Open(engine.WithAllocator(mem))
	defer e.Close()
	ctx := context.Background()
	for _, sql := range []string{
		"CREATE TABLE sales (supp BIGINT, amount BIGINT)",
		"INSERT INTO sales VALUES (1, 10), (1, 20), (2, 5), (3, 40), (3, 1)",
	} {
		_, err := e.Exec(ctx, sql)
		require.NoError(t, err)
	}
	for _, tc := range []struct {
		name, sql string
		spools    int
		want      int64
	}{
		{"Q15's shape", `WITH t AS (SELECT supp, sum(amount) AS total FROM sales GROUP BY supp)
			SELECT count(*) FROM t WHERE total = (SELECT max(total) FROM t)`, 1, 1},
		{"self-join", `WITH c AS (SELECT DISTINCT supp FROM sales) SELECT count(*) FROM c a, c b`, 1, 9},
		// A filter pushed into one copy only: the copies differ.
		{"copies differ", `WITH t AS (SELECT supp, sum(amount) AS total FROM sales GROUP BY supp)
			SELECT count(*) FROM t a, t b WHERE a.supp = 1 AND b.supp = 3`, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan := explainText(t, e, tc.sql)
			assert.Equal(t, tc.spools, strings.Count(plan, "SpoolRead"), plan)
			assert.Equal(t, tc.spools, strings.Count(plan, "Spool computed once"), plan)
			_, recs := collect(t, e, tc.sql)
			require.Len(t, recs, 1)
			assert.Equal(t, tc.want, recs[0].Column(0).(*array.Int64).Value(0))
			recs[0].Release()
		})
	}
}
