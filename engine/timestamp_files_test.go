package engine_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// TestTimestampFiles writes TIMESTAMP columns to Parquet and CSV with COPY
// and reads them back: the values survive, CSV inference finds the type,
// and a range on a Parquet TIMESTAMP column skips row groups by their
// statistics.
func TestTimestampFiles(t *testing.T) {
	ctx := context.Background()
	e := engine.Open()
	defer e.Close()
	dir := t.TempDir()
	pq, csv := filepath.Join(dir, "ts.parquet"), filepath.Join(dir, "ts.csv")
	// One row an hour from 2024-01-02 03:04:05.5, a NULL every 7th row.
	src := "SELECT range AS id, CASE WHEN range % 7 = 3 THEN NULL ELSE make_timestamp(1704164645500000 + range * 3600000000) END AS ts FROM range(100)"
	for _, f := range []string{pq, csv} {
		_, err := e.Exec(ctx, fmt.Sprintf("COPY (%s) TO '%s'", src, f))
		require.NoError(t, err)
	}
	want := queryText(t, e, "SELECT id, ts, typeof(ts) FROM ("+src+") ORDER BY id")
	require.Len(t, want, 100)
	assert.Equal(t, "0|2024-01-02 03:04:05.5|TIMESTAMP", want[0])
	assert.Equal(t, "3|NULL|TIMESTAMP", want[3])
	assert.Equal(t, "99|2024-01-06 06:04:05.5|TIMESTAMP", want[99])
	for _, f := range []string{pq, csv} {
		got := queryText(t, e, fmt.Sprintf("SELECT id, ts, typeof(ts) FROM '%s' ORDER BY id", f))
		assert.Equal(t, want, got, f)
		// DuckDB 1.5.6 gives the same on the same rows.
		got = queryText(t, e, fmt.Sprintf("SELECT date_trunc('day', ts) AS d, count(ts), min(ts) FROM '%s' GROUP BY d ORDER BY d", f))
		assert.Equal(t, []string{
			"2024-01-02 00:00:00|18|2024-01-02 03:04:05.5",
			"2024-01-03 00:00:00|21|2024-01-03 00:04:05.5",
			"2024-01-04 00:00:00|20|2024-01-04 01:04:05.5", // 00:04 is a NULL row
			"2024-01-05 00:00:00|21|2024-01-05 00:04:05.5",
			"2024-01-06 00:00:00|6|2024-01-06 00:04:05.5",
			"NULL|0|NULL",
		}, got, f)
	}
	plan := strings.Join(queryText(t, e, fmt.Sprintf("EXPLAIN SELECT * FROM '%s' WHERE ts > TIMESTAMP '2024-02-01 00:00:00'", pq)), "\n")
	assert.Contains(t, plan, "0 of 1 row groups")
}

// querier is an Engine or a Session.
type querier interface {
	Query(ctx context.Context, sql string) (*engine.Rows, error)
}

// queryText runs sql and returns each row as its values joined by |.
func queryText(t *testing.T, e querier, sql string) []string {
	t.Helper()
	rows, err := e.Query(context.Background(), sql)
	require.NoError(t, err, sql)
	defer rows.Close()
	var out []string
	for rows.Next() {
		rec := rows.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			vals := make([]string, rec.NumCols())
			for c, col := range rec.Columns() {
				vals[c] = expr.DatumAt(col, types.MustFromArrow(col.DataType()), i).Text(types.MustFromArrow(col.DataType()))
			}
			out = append(out, strings.Join(vals, "|"))
		}
	}
	require.NoError(t, rows.Err())
	return out
}
