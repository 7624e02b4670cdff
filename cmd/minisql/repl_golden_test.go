package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/repl")

// goldenQuery has a column of every kind: integers and decimals (right-
// aligned), text, NULL, doubles, dates and booleans.
const goldenQuery = `SELECT n_nationkey AS k, n_name AS name,
  CASE WHEN n_nationkey = 1 THEN NULL ELSE n_name END AS maybe,
  n_regionkey * 1.25 AS x, CAST(n_nationkey AS DOUBLE) / 3 AS third,
  DATE '1995-01-01' + n_nationkey AS d, n_nationkey < 1 AS b
FROM nation WHERE n_nationkey < 3 ORDER BY 1;`

// TestShellModes checks each output mode on the terminal against a
// golden file (go test ./cmd/minisql -run TestShellModes -update rewrites
// them).
func TestShellModes(t *testing.T) {
	s := startSF001(t, t.TempDir())
	cases := []struct {
		name  string
		setup []string
		query string
	}{
		{name: "box", setup: []string{".mode box"}, query: goldenQuery},
		{name: "table", setup: []string{".mode table"}, query: goldenQuery},
		{name: "csv", setup: []string{".mode csv"}, query: goldenQuery},
		{name: "json", setup: []string{".mode json"}, query: goldenQuery},
		{name: "markdown", setup: []string{".mode markdown"}, query: goldenQuery},
		{name: "maxrows", setup: []string{".mode box", ".maxrows 4"},
			query: "SELECT n_nationkey, n_name FROM nation ORDER BY 1;"},
		{name: "explain", setup: []string{".mode box"},
			query: "EXPLAIN SELECT n_name FROM nation WHERE n_regionkey = 1;"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, cmd := range c.setup {
				assert.Empty(t, s.run(cmd), cmd)
			}
			got := s.run(oneLine(c.query))
			path := filepath.Join(repoRoot, "testdata", "repl", c.name+".golden")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update to create it")
			assert.Equal(t, string(want), got)
		})
	}
	s.send("\x04")
	assert.Equal(t, 0, s.wait())
}

// oneLine joins a statement's lines, as a person might paste it.
func oneLine(q string) string { return flattenSpaces(q) }
