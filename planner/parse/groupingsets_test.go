package parse

import (
	"testing"

	"github.com/minisql/minisql/sqlerr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xwb1989/sqlparser"
)

// TestGroupingSetsRewrite: each construct reaches the binder as the
// marker calls, whatever follows the GROUP BY list.
func TestGroupingSetsRewrite(t *testing.T) {
	for _, tc := range []struct{ sql, groupBy string }{
		{"SELECT a FROM t GROUP BY ROLLUP (a, b)", "__msq_rollup(a, b)"},
		{"SELECT a FROM t GROUP BY cube(a, b) ORDER BY 1", "__msq_cube(a, b)"},
		{"SELECT a FROM t GROUP BY GROUPING SETS ((a, b), (a), a, ()) HAVING count(*) > 1",
			"__msq_gsets(__msq_set(a, b), __msq_set(a), a, __msq_set())"},
		{"SELECT a FROM t GROUP BY a, ROLLUP(b, (c, d)) LIMIT 3", "a, __msq_rollup(b, __msq_set(c, d))"},
		{"SELECT a FROM t GROUP BY GROUPING SETS (ROLLUP(a), CUBE(b), GROUPING SETS ((c)))",
			"__msq_gsets(__msq_rollup(a), __msq_cube(b), __msq_gsets(__msq_set(c)))"},
		{"SELECT a FROM t GROUP BY a, b WITH ROLLUP", "__msq_rollup(a, b)"},
		{"SELECT a FROM t GROUP BY a + 1 with rollup ORDER BY 1", "__msq_rollup(a + 1)"},
		{"SELECT a FROM t GROUP BY (a, b), ()", "__msq_set(a, b), __msq_set()"},
		{"SELECT a FROM t GROUP BY (a), (a) + 1", "(a), (a) + 1"},
		{"SELECT a FROM t GROUP BY ROLLUP(CAST(a AS INT), EXTRACT(year FROM d))",
			"__msq_rollup(__cast(a, 'INT'), extract('year', d))"},
		{"SELECT a FROM t GROUP BY a", "a"},
		{"SELECT a FROM t GROUP BY rollup", "rollup"},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			st, err := Parse(tc.sql)
			require.NoError(t, err)
			sel, ok := st.Query.AST.(*sqlparser.Select)
			require.True(t, ok, "%T", st.Query.AST)
			assert.Equal(t, " group by "+tc.groupBy, sqlparser.String(sel.GroupBy))
		})
	}
}

// TestGroupingSetsRewriteInSubquery: a GROUP BY list ends at the
// parenthesis closing its subquery.
func TestGroupingSetsRewriteInSubquery(t *testing.T) {
	st, err := Parse("SELECT * FROM (SELECT a FROM t GROUP BY ROLLUP(a)) s WHERE a IN (SELECT b FROM u GROUP BY b WITH ROLLUP)")
	require.NoError(t, err)
	assert.Contains(t, sqlparser.String(st.Query.AST), "group by __msq_rollup(a))")
	assert.Contains(t, sqlparser.String(st.Query.AST), "group by __msq_rollup(b))")
}

// TestGroupingSetsFormat: names and messages show the constructs as
// written, not the markers.
func TestGroupingSetsFormat(t *testing.T) {
	st, err := Parse("SELECT a FROM t GROUP BY GROUPING SETS ((a, b), ()), ROLLUP (a, (b, c)), CUBE (d)")
	require.NoError(t, err)
	assert.Equal(t, " group by grouping sets ((a, b), ()), rollup(a, (b, c)), cube(d)", Format(st.Query.AST.(*sqlparser.Select).GroupBy))
}

func TestGroupingSetsRewriteErrors(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		kind error
		at   string
	}{
		{"SELECT a FROM t GROUP BY ROLLUP(a) WITH ROLLUP", sqlerr.ErrSyntax, "WITH ROLLUP"},
		{"SELECT a FROM t GROUP BY ROLLUP(a, CUBE(b))", sqlerr.ErrSyntax, "CUBE(b)"},
		{"SELECT a FROM t GROUP BY CUBE(GROUPING SETS (a))", sqlerr.ErrSyntax, "GROUPING SETS (a)"},
		{"SELECT a FROM t GROUP BY GROUPING SETS (a", sqlerr.ErrSyntax, ""},
		{"SELECT a FROM t GROUP BY a, GROUPING SETS ()", sqlerr.ErrSyntax, "GROUPING SETS ()"},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			_, err := Parse(tc.sql)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.kind)
			if tc.at != "" {
				assert.Equal(t, len(tc.sql)-len(tc.at)-indexFromEnd(tc.sql, tc.at), sqlerr.Position(err), "%v", err)
			}
		})
	}
}

// indexFromEnd is how far after at's first occurrence the text goes on.
func indexFromEnd(s, at string) int {
	for i := 0; i+len(at) <= len(s); i++ {
		if s[i:i+len(at)] == at {
			return len(s) - i - len(at)
		}
	}
	return 0
}
