package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want config
		err  bool
	}{
		{"default", map[string]string{"HOME": "/h"}, config{SF: 0.1, Label: "0.1", Threads: 1, Dir: "/h/.cache/minisql/tpch-sf0.1"}, false},
		{"xdg", map[string]string{"HOME": "/h", "XDG_CACHE_HOME": "/x"}, config{SF: 0.1, Label: "0.1", Threads: 1, Dir: "/x/minisql/tpch-sf0.1"}, false},
		{"sf1", map[string]string{"HOME": "/h", envSF: "1"}, config{SF: 1, Label: "1", Threads: 1, Dir: "/h/.cache/minisql/tpch-sf1"}, false},
		{"dir", map[string]string{envSF: "1", envDir: "/d"}, config{SF: 1, Label: "1", Threads: 1, Dir: "/d"}, false},
		{"official", map[string]string{envSF: "0.01"}, config{SF: 0.01, Label: "0.01", Threads: 1, Dir: officialDir, Official: true}, false},
		{"generated 0.01", map[string]string{envSF: "0.01", envDir: "/d"}, config{SF: 0.01, Label: "0.01", Threads: 1, Dir: "/d"}, false},
		{"threads", map[string]string{envSF: "1", envDir: "/d", envThreads: "2"}, config{SF: 1, Label: "1", Threads: 2, Dir: "/d"}, false},
		{"bad threads", map[string]string{envDir: "/d", envThreads: "0"}, config{}, true},
		{"bad sf", map[string]string{envSF: "x"}, config{}, true},
		{"zero sf", map[string]string{envSF: "0"}, config{}, true},
		{"no home", map[string]string{}, config{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := loadConfig(func(k string) string { return tc.env[k] })
			if tc.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestQueryTables pins the tables each query is charged for in rows/s and
// MB/s, so a change in the table detection shows up here.
func TestQueryTables(t *testing.T) {
	want := [23][]string{
		1:  {"lineitem"},
		2:  {"part", "supplier", "partsupp", "nation", "region"},
		3:  {"customer", "orders", "lineitem"},
		4:  {"orders", "lineitem"},
		5:  {"customer", "orders", "lineitem", "supplier", "nation", "region"},
		6:  {"lineitem"},
		7:  {"supplier", "lineitem", "orders", "customer", "nation"},
		8:  {"part", "supplier", "lineitem", "orders", "customer", "nation", "region"},
		9:  {"part", "supplier", "lineitem", "partsupp", "orders", "nation"},
		10: {"customer", "orders", "lineitem", "nation"},
		11: {"partsupp", "supplier", "nation"},
		12: {"orders", "lineitem"},
		13: {"customer", "orders"},
		14: {"lineitem", "part"},
		15: {"lineitem", "supplier"},
		16: {"partsupp", "part", "supplier"},
		17: {"lineitem", "part"},
		18: {"customer", "orders", "lineitem"},
		19: {"lineitem", "part"},
		20: {"supplier", "nation", "partsupp", "part", "lineitem"},
		21: {"supplier", "lineitem", "orders", "nation"},
		22: {"customer", "orders"},
	}
	qs, err := loadQueries()
	require.NoError(t, err)
	require.Len(t, qs, 22)
	for _, q := range qs {
		assert.True(t, sameTables(q.Tables, want[q.Num]), "%s: tables %v, want %v", q.Name, q.Tables, want[q.Num])
	}
}

// TestChecksOfficialData runs the benchmark's answer checks on the
// official SF0.01 data, where they include the official answers.
func TestChecksOfficialData(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the 22 queries twice")
	}
	cfg, err := loadConfig(func(k string) string { return map[string]string{envSF: "0.01"}[k] })
	require.NoError(t, err)
	d, err := openDataset(context.Background(), cfg)
	require.NoError(t, err)
	assert.Equal(t, int64(60175), d.Tables["lineitem"].Rows)
	qs, err := loadQueries()
	require.NoError(t, err)
	chk, err := newChecker(d)
	require.NoError(t, err)
	defer chk.Close()
	for _, q := range qs {
		require.NoError(t, chk.check(context.Background(), q))
	}
}

// TestEnsureDataGeneratesOnce generates a tiny data set into an empty
// directory, then finds it complete and leaves it alone.
func TestEnsureDataGeneratesOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tpch")
	cfg := config{SF: 0.001, Label: "0.001", Threads: 1, Dir: dir}
	generated, err := ensureData(context.Background(), cfg)
	require.NoError(t, err)
	require.True(t, generated)
	require.True(t, complete(dir))
	entries, err := os.ReadDir(filepath.Dir(dir))
	require.NoError(t, err)
	require.Len(t, entries, 1, "the temporary directory is gone")
	generated, err = ensureData(context.Background(), cfg)
	require.NoError(t, err)
	require.False(t, generated)
	d, err := openDataset(context.Background(), cfg)
	require.NoError(t, err)
	assert.Equal(t, int64(1500), d.Tables["orders"].Rows)
	_, err = openDataset(context.Background(), config{SF: 0.002, Label: "0.002", Threads: 1, Dir: dir})
	require.ErrorContains(t, err, "orders has 1500 rows, want 3000")
}
