package engine_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/sqlerr"
)

// TestFilesNamedInFrom reads a file named in FROM the ways DuckDB
// accepts: a quoted path, read_parquet and read_csv (also the
// minisql-only backquoted path), alone and joined.
func TestFilesNamedInFrom(t *testing.T) {
	e := engine.Open()
	defer e.Close()
	dir := t.TempDir()
	pq, csv := filepath.Join(dir, "n.parquet"), filepath.Join(dir, "n.csv")
	for _, f := range []string{pq, csv} {
		_, err := e.Exec(context.Background(), fmt.Sprintf("COPY (SELECT range AS k, range %% 3 AS g FROM range(10)) TO '%s'", f))
		require.NoError(t, err)
	}
	tests := []struct {
		name, from string
	}{
		{"quoted path", fmt.Sprintf("'%s'", pq)},
		{"backquoted path", fmt.Sprintf("`%s`", pq)},
		{"read_parquet", fmt.Sprintf("read_parquet('%s')", pq)},
		{"read_csv", fmt.Sprintf("read_csv('%s')", csv)},
		{"read_csv_auto", fmt.Sprintf("read_csv_auto('%s')", csv)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := e.Query(context.Background(), "SELECT count(*), sum(a.k) FROM "+tt.from+" a JOIN "+tt.from+" b ON a.k = b.k WHERE b.g = 1")
			require.NoError(t, err)
			defer rows.Close()
			require.True(t, rows.Next())
			require.Equal(t, "3", rows.Record().Column(0).ValueStr(0))
			require.Equal(t, "12", rows.Record().Column(1).ValueStr(0)) // 1 + 4 + 7
			require.NoError(t, rows.Err())
		})
	}
	_, err := e.Exec(context.Background(), fmt.Sprintf("SELECT * FROM read_csv('%s', compression = 'gzip')", csv))
	require.ErrorIs(t, err, sqlerr.ErrNotSupported)
	_, err = e.Exec(context.Background(), "SELECT * FROM 'no/such/file.parquet'")
	require.ErrorIs(t, err, sqlerr.ErrIO)
}
