package main

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
)

// fakeCatalog is a catalogView over fixed tables.
type fakeCatalog map[string][]string

func (f fakeCatalog) Tables() []string {
	var names []string
	for n := range f {
		names = append(names, n)
	}
	return sortedCopy(names)
}

func (f fakeCatalog) Columns(t string) []string { return f[t] }

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func TestCompleteWord(t *testing.T) {
	cat := fakeCatalog{
		"nation":   {"n_nationkey", "n_name", "n_regionkey"},
		"region":   {"r_regionkey", "r_name"},
		"lineitem": {"l_orderkey", "l_shipdate", "l_shipmode"},
	}
	tests := []struct {
		name     string
		pending  string
		line     string
		pos      int // -1: end of line
		head     string
		want     []string
		wantTail string
	}{
		{name: "keyword lower", line: "sel", pos: -1, head: "", want: []string{"select"}},
		{name: "keyword upper", line: "SEL", pos: -1, head: "", want: []string{"SELECT"}},
		{name: "columns of all tables before FROM", line: "select n_na", pos: -1, head: "select ",
			want: []string{"n_name", "n_nationkey"}},
		{name: "columns of the tables used", line: "select r from region where r", pos: -1,
			head: "select r from region where ", want: []string{"r_name", "r_regionkey", "region", "replace", "right"}},
		{name: "table after FROM", line: "select * from n", pos: -1, head: "select * from ", want: []string{"nation", "not", "null", "nulls"}},
		{name: "table after comma in FROM", line: "select * from nation, r", pos: -1, head: "select * from nation, ",
			want: []string{"region", "replace", "right"}},
		{name: "all tables after JOIN", line: "select * from nation JOIN ", pos: -1, head: "select * from nation JOIN ",
			want: []string{"lineitem", "nation", "region"}},
		{name: "nothing for an empty word", line: "select ", pos: -1, head: "select ", want: nil},
		{name: "aggregates from the binder's list", line: "select std", pos: -1, head: "select ",
			want: []string{"stddev", "stddev_pop", "stddev_samp"}},
		{name: "qualified by table", line: "select nation.n_n", pos: -1, head: "select ",
			want: []string{"nation.n_nationkey", "nation.n_name"}},
		{name: "qualified by alias", line: "select x.l_ship from lineitem x", pos: 15, head: "select ",
			want: []string{"x.l_shipdate", "x.l_shipmode"}, wantTail: " from lineitem x"},
		{name: "context from earlier lines", pending: "select *\nfrom", line: "lin", pos: -1, head: "",
			want: []string{"lineitem"}},
		{name: "meta command", line: ".mo", pos: -1, head: "", want: []string{".mode"}},
		{name: "meta commands", line: ".t", pos: -1, head: "", want: []string{".tables", ".timer", ".threads", ".timeout"}},
		{name: "meta argument values", line: ".mode c", pos: -1, head: ".mode ", want: []string{"csv"}},
		{name: "schema table", line: ".schema re", pos: -1, head: ".schema ", want: []string{"region"}},
		{name: "backslash d", line: `\d li`, pos: -1, head: `\d `, want: []string{"lineitem"}},
		{name: "meta only at an empty buffer", pending: "select 1,", line: ".5", pos: -1, head: "", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pos := tt.pos
			if pos < 0 {
				pos = len([]rune(tt.line))
			}
			head, got, tail := completeWord(cat, tt.pending, tt.line, pos)
			assert.Equal(t, tt.head, head)
			assert.Equal(t, tt.wantTail, tail)
			if tt.want == nil {
				assert.Empty(t, got)
				return
			}
			// Functions come from the engine's registry, which may grow:
			// check that what we expect is there and in order of kind.
			for _, w := range tt.want {
				assert.Contains(t, got, w)
			}
			assert.Equal(t, tt.want[0], got[0], "the best candidate comes first")
		})
	}
}

func TestCompletePath(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"q1.sql", "q2.sql", "notes.txt", ".hidden.sql"} {
		assert.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o644))
	}
	assert.NoError(t, os.Mkdir(filepath.Join(dir, "qdir"), 0o755))

	_, got, _ := completeWord(fakeCatalog{}, "", ".read "+dir+"/q", len([]rune(".read "+dir+"/q")))
	assert.Equal(t, []string{dir + "/q1.sql", dir + "/q2.sql", dir + "/qdir/"}, got)
	_, got, _ = completeWord(fakeCatalog{}, "", ".open "+dir+"/q", len([]rune(".open "+dir+"/q")))
	assert.Equal(t, []string{dir + "/qdir/"}, got, ".open completes directories only")
	_, got, _ = completeWord(fakeCatalog{}, "", ".read "+dir+"/", len([]rune(".read "+dir+"/")))
	assert.NotContains(t, got, dir+"/.hidden.sql", "hidden files only when asked for")
}
