package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
)

// TestCopyFrom appends CSV and Parquet files to a table with COPY ...
// FROM: values parse as the table's column types, by position; the
// options are COPY's (DuckDB's); errors leave the table as it was.
func TestCopyFrom(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e := engine.Open(engine.WithAllocator(mem))
	defer e.Close()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	withHeader := write("h.csv", "a,b,d\n1,x,2024-01-02\n2,y,2024-03-04\n")
	piped := write("p.csv", "3|NA|2024-05-06\n4|w|2024-07-08\n")
	badDate := write("bad.csv", "5,v,not a date\n")
	pq := filepath.Join(dir, "t.parquet")

	dmlExec(t, e, "CREATE TABLE t (a INTEGER, b VARCHAR, d DATE)")
	for _, tc := range []struct {
		sql     string
		wantErr string
		rows    int64 // in t afterwards
	}{
		{sql: "COPY t FROM '" + withHeader + "'", rows: 2},
		{sql: "COPY t FROM '" + piped + "' (DELIMITER '|', NULL 'NA', HEADER false)", rows: 4},
		{sql: "COPY t FROM '" + badDate + "' (HEADER false)", wantErr: `could not convert "not a date" to DATE`, rows: 4},
		{sql: "COPY t TO '" + pq + "'", rows: 4},
		{sql: "COPY t FROM '" + pq + "'", rows: 8},
		{sql: "COPY t FROM '" + pq + "' (FORMAT parquet, HEADER true)", wantErr: "CSV options in a COPY FROM of Parquet", rows: 8},
		{sql: "COPY t FROM '" + withHeader + "' (FOO 1)", wantErr: `COPY FROM option "FOO"`, rows: 8},
		{sql: "COPY t FROM '" + filepath.Join(dir, "nosuch.csv") + "'", wantErr: "no such file", rows: 8},
	} {
		_, err := e.Exec(context.Background(), tc.sql)
		if tc.wantErr != "" {
			require.ErrorContains(t, err, tc.wantErr, tc.sql)
		} else {
			require.NoError(t, err, tc.sql)
		}
		require.Equal(t, tc.rows, dmlInt(t, e, "SELECT count(*) FROM t"), tc.sql)
	}
	require.Equal(t, int64(2), dmlInt(t, e, "SELECT count(*) FROM t WHERE b IS NULL"))
	require.Equal(t, int64(20), dmlInt(t, e, "SELECT sum(a) FROM t"))
	require.Equal(t, int64(2), dmlInt(t, e, "SELECT count(*) FROM t WHERE d = DATE '2024-07-08'"))
}
