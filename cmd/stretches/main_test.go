package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/engine"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRun(t *testing.T) {
	data := "../../testdata/tpch/sf0.01"
	q01 := "../../testdata/tpch/queries/q01.sql"
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.sql"), []byte("SELECT count(*) FROM range(100000) WHERE range % 3 = 0;"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.sql"), []byte("SELECT range % 10 AS k, sum(range) FROM range(100000) GROUP BY k ORDER BY k"), 0o644))
	tests := []struct {
		name    string
		args    []string
		rc      int
		out     string // in stdout
		errText string // in stderr
	}{
		{"under the limit", []string{"-data", data, "-q", q01, "-runs", "2", "-limit", "1h"}, 0, "Scan lineitem", ""},
		{"a limit every operator reaches", []string{"-data", data, "-q", q01, "-runs", "1", "-limit", "1ns"}, 1, "bound at or over", ""},
		{"a directory of queries", []string{"-q", dir, "-runs", "2", "-limit", "1h"}, 0, "2 statements", ""},
		{"a directory without queries", []string{"-q", t.TempDir()}, 2, "", "no .sql files"},
		{"a missing file", []string{"-q", "nowhere.sql"}, 2, "", "nowhere.sql"},
		{"a bad flag", []string{"-runs", "0"}, 2, "", "-runs and -threads must be at least 1"},
		{"a query that fails", []string{"-q", q01}, 1, "", "q01: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut strings.Builder
			rc := run(context.Background(), tc.args, &out, &errOut)
			require.Equal(t, tc.rc, rc, "stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
			assert.Contains(t, out.String(), tc.out)
			assert.Contains(t, errOut.String(), tc.errText)
		})
	}
}

// TestStretchQueriesPlan checks that every query of testdata/stretch, the
// default survey's own, binds and plans (running them takes minutes).
func TestStretchQueriesPlan(t *testing.T) {
	files, err := sqlFiles([]string{"../../testdata/stretch"})
	require.NoError(t, err)
	require.NotEmpty(t, files)
	eng := engine.Open()
	defer eng.Close()
	for _, f := range files {
		text, err := os.ReadFile(f)
		require.NoError(t, err)
		stmts, err := engine.Statements(string(text))
		require.NoError(t, err, f)
		for _, st := range stmts {
			rows, err := eng.Query(context.Background(), "EXPLAIN "+st.Text)
			require.NoError(t, err, f)
			require.NoError(t, rows.Close())
		}
	}
}
