package parse

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
)

// sqlKinds are the error kinds the front end may report.
var sqlKinds = []error{
	sqlerr.ErrSyntax, sqlerr.ErrNotSupported, sqlerr.ErrInvalidValue, sqlerr.ErrType,
}

// checkParseError fails unless err is a positioned *sqlerr.Error of a
// front-end kind, pointing inside (or just past the end of) text.
func checkParseError(t *testing.T, text string, err error) {
	t.Helper()
	var e *sqlerr.Error
	require.True(t, errors.As(err, &e), "untyped error %T: %v", err, err)
	known := false
	for _, k := range sqlKinds {
		known = known || errors.Is(err, k)
	}
	require.True(t, known, "unexpected kind: %v", err)
	require.True(t, e.Pos >= 0 && e.Pos <= len(text), "position %d outside the text (%d bytes): %v", e.Pos, len(text), err)
}

// FuzzParse feeds arbitrary text to the script splitter, the pre-lexer and
// sqlparser, and to the helpers binder errors use. Nothing may panic, and
// every error is a positioned *sqlerr.Error.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT 1", "select a, b from t where a > 1 order by b desc nulls last limit 3 offset 1",
		"WITH x (a) AS (SELECT 1) SELECT * FROM x", "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3), s AS (SELECT n FROM r) SELECT * FROM s",
		"EXPLAIN ANALYZE SELECT count(*) FROM t GROUP BY 1",
		"SELECT CAST(a AS DECIMAL(10, 2)), DATE '1995-01-01' + INTERVAL '3' MONTH, extract(year FROM d)",
		"SELECT trim(leading 'x' FROM b), substring(b FROM 2 FOR 3), b || 'x', \"quoted id\" FROM t",
		"SELECT * FROM (SELECT 1, 2) AS s (a, b)", "CREATE TABLE t (a INT, b BOOLEAN, c VARCHAR)",
		"CREATE OR REPLACE TABLE u AS SELECT 1", "COPY (SELECT 1) TO 'x.csv' (FORMAT csv)", "DESCRIBE t",
		"INSERT INTO t VALUES (1, 'a\\b')", "SELECT 1; SELECT 2;", "SELECT 'unterminated", "SELECT a::int",
		"SELECT sum(a) OVER (PARTITION BY b) FROM t", "SELECT sum(a) OVER w, min(a) OVER (w ROWS 1 PRECEDING) FROM t WINDOW w AS (PARTITION BY b ORDER BY a), v AS (w)", "SELECT 1 INTERSECT SELECT 2", "SELECT a ILIKE 'x%' AND b NOT ILIKE c FROM t", "SELECT count(*) FILTER (WHERE a > 1), string_agg(b, ',') FILTER (b) FROM t", "-- comment\nSELECT /* c */ 1",
		"SELECT * FROM read_csv(['a.csv', 'b*.csv'], delim = '|', nullstr = ['NA'], columns = {'a': 'INTEGER', b: 'VARCHAR'}) x",
		"SELECT * FROM read_parquet('d/*.parquet', x = {) JOIN read_csv('y', skip = -1, header = [1, {}]) ON 1",
		"SELECT a FROM t GROUP BY GROUPING SETS ((a, b), (), ROLLUP (c)), CUBE (d, (e, f)) HAVING grouping(a) = 0",
		"SELECT a FROM (SELECT a FROM t GROUP BY a, b WITH ROLLUP) s GROUP BY (a, b), ()",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		defer watchdog(text)()
		pieces, err := Split(text)
		if err != nil {
			checkParseError(t, text, err)
		}
		for _, p := range pieces {
			require.True(t, p.Offset >= 0 && p.Offset+len(p.Text) <= len(text), "piece %+v outside the script", p)
			require.Equal(t, text[p.Offset:p.Offset+len(p.Text)], p.Text)
			checkStatement(t, p.Text)
		}
		checkStatement(t, text)
		for _, word := range []string{"select", "from", "where", "t"} {
			pos := FindIdent(text, word)
			require.True(t, pos >= -1 && pos < max(len(text), 1))
			pos = FindClause(text, word)
			require.True(t, pos >= 0 && pos < max(len(text), 1))
			pos = FindLastClause(text, word)
			require.True(t, pos >= 0 && pos < max(len(text), 1))
		}
	})
}

// watchdog crashes the process when an input runs for more than 10
// seconds, so that the fuzzer records a hang as a failure with its input
// instead of stalling; call the returned function when done.
func watchdog(input string) func() {
	timer := time.AfterFunc(10*time.Second, func() {
		panic(fmt.Sprintf("input ran for more than 10s: %q", input))
	})
	return func() { timer.Stop() }
}

// checkStatement parses one statement and checks the result's shape.
func checkStatement(t *testing.T, text string) {
	t.Helper()
	st, err := Parse(text)
	if err != nil {
		checkParseError(t, text, err)
		return
	}
	require.NotNil(t, st)
	switch st.Kind {
	case KindAST:
		require.NotNil(t, st.AST)
	case KindCreateTableAs, KindCopy:
		require.NotNil(t, st.Query)
		require.NotNil(t, st.Query.AST)
	case KindDescribe:
	default:
		t.Fatalf("unknown statement kind %d", st.Kind)
	}
	if st.Query != nil {
		for _, c := range st.Query.CTEs {
			require.NotNil(t, c.Query)
		}
	}
}

// TestParseBadInput is the front end's part of the bad-input catalogue and
// the regression tests of what fuzzing found: each input gives a clear,
// positioned error (or parses), quickly and without a panic.
func TestParseBadInput(t *testing.T) {
	deep := func(open, mid, close string, n int) string {
		return strings.Repeat(open, n) + mid + strings.Repeat(close, n)
	}
	cases := []struct {
		name string
		sql  string
		kind error  // nil: must parse
		pos  int    // expected error position, -1 to skip the check
		msg  string // expected message fragment
	}{
		{"empty", "", sqlerr.ErrSyntax, 0, "empty statement"},
		{"only a comment", "-- nothing", sqlerr.ErrSyntax, 0, "empty statement"},
		{"unterminated string", "SELECT 'abc", sqlerr.ErrSyntax, 7, "unterminated"},
		{"unterminated identifier", "SELECT \"abc", sqlerr.ErrSyntax, 7, "unterminated"},
		{"misspelt keyword", "SELEC 1", sqlerr.ErrSyntax, 0, "SELEC"},
		{"dangling operator", "SELECT 1 +", sqlerr.ErrSyntax, -1, ""},
		{"missing FROM table", "SELECT a FROM", sqlerr.ErrSyntax, -1, ""},
		{"GROUPS frame", "SELECT sum(a) OVER (ORDER BY a GROUPS UNBOUNDED PRECEDING) FROM t", nil, 0, ""},
		{"EXCLUDE in a frame", "SELECT sum(a) OVER (ORDER BY a ROWS UNBOUNDED PRECEDING EXCLUDE TIES) FROM t", sqlerr.ErrNotSupported, 56, "EXCLUDE in window frames"},
		{"frame EXCLUDE", "SELECT sum(a) OVER (ORDER BY a ROWS UNBOUNDED PRECEDING EXCLUDE TIES) FROM t", sqlerr.ErrNotSupported, 56, "EXCLUDE"},
		{"frame start after its end", "SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t", sqlerr.ErrSyntax, 60, "frame starting from current row cannot have preceding rows"},
		{"frame start UNBOUNDED FOLLOWING", "SELECT sum(a) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM t", sqlerr.ErrSyntax, 33, "UNBOUNDED FOLLOWING"},
		{"frame without AND", "SELECT sum(a) OVER (ROWS BETWEEN 1 PRECEDING CURRENT ROW) FROM t", sqlerr.ErrSyntax, 45, "without AND"},
		{"OVER after a column", "SELECT a OVER () FROM t", sqlerr.ErrSyntax, 9, "OVER"},
		{"full join", "SELECT * FROM a FULL JOIN b ON true", nil, 0, ""},
		{"natural full join", "SELECT * FROM a NATURAL FULL JOIN b", nil, 0, ""},
		{"natural full join with ON", "SELECT * FROM a NATURAL FULL JOIN b ON true", sqlerr.ErrSyntax, 36, "NATURAL join takes no ON"},
		{"full join without a condition", "SELECT * FROM a FULL OUTER JOIN b WHERE true", sqlerr.ErrSyntax, 16, "without ON or USING"},
		{"full join of a join", "SELECT * FROM a FULL JOIN b JOIN c ON true ON true", sqlerr.ErrNotSupported, 16, "unparenthesised join"},
		{"full outer without join", "SELECT * FROM a FULL OUTER b ON true", sqlerr.ErrSyntax, 16, "JOIN after FULL OUTER"},
		{"intersect all", "SELECT 1 INTERSECT ALL SELECT 1", nil, 0, ""},
		{"except all of values", "SELECT 1 EXCEPT ALL VALUES (1)", sqlerr.ErrNotSupported, 9, "EXCEPT of anything but a SELECT"},
		{"except of values", "SELECT 1 EXCEPT VALUES (1)", sqlerr.ErrNotSupported, 9, "EXCEPT of anything but a SELECT"},
		{"ilike with escape", "SELECT a ILIKE 'x' ESCAPE '!' FROM t", sqlerr.ErrNotSupported, 9, "ILIKE with ESCAPE"},
		{"ilike without pattern", "SELECT a ILIKE", sqlerr.ErrSyntax, 9, "ILIKE without a pattern"},
		{"double-colon cast with a space", "SELECT 1:: int", sqlerr.ErrSyntax, 8, "::"},
		{"double-colon cast without operand", "SELECT ::int", sqlerr.ErrSyntax, 7, "without an operand"},
		{"double-colon cast without type", "SELECT (1)::", sqlerr.ErrSyntax, 10, "::"},
		{"recursive CTE", "WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", nil, 0, ""},
		{"cast without type", "SELECT CAST(1 AS)", sqlerr.ErrSyntax, 7, "CAST"},
		{"unclosed cast", "SELECT CAST(1 AS INT", sqlerr.ErrSyntax, 7, "CAST"},
		{"describe without table", "DESCRIBE", sqlerr.ErrSyntax, 0, "DESCRIBE"},
		{"explain alone", "EXPLAIN", sqlerr.ErrSyntax, 7, "EXPLAIN"},
		{"copy without target", "COPY t", sqlerr.ErrSyntax, 5, "COPY"},
		{"stray bytes", "SELECT \x00\xff", sqlerr.ErrSyntax, -1, ""},
		// Found by FuzzParse: sqlparser's tokenizer reads /*! ... */ as
		// MySQL's executable comment and panicked on /*!*/ and /*!123*/;
		// it is an ordinary comment now.
		{"MySQL executable comment", "SELECT 1 /*!*/", nil, 0, ""},
		{"MySQL versioned comment", "SELECT /*!50000 2, */ 1 /*!123*/", nil, 0, ""},
		{"MySQL comment after a number", "0/*!*/", sqlerr.ErrSyntax, 0, "0"},
		// Found by FuzzParse: an empty SUBSTRING argument after the first.
		{"substring with an empty argument", "suBstr(0 FO, )", sqlerr.ErrSyntax, 0, "SUBSTRING with an empty argument"},
		{"MaxParenDepth nested parentheses", "SELECT " + deep("(", "1", ")", MaxParenDepth), nil, 0, ""},
		{"10,000 nested parentheses", "SELECT " + deep("(", "1", ")", 10000), sqlerr.ErrNotSupported, 7 + MaxParenDepth, "nesting deeper than"},
		{"10,000 nested functions", "SELECT " + deep("abs(", "1", ")", 10000), sqlerr.ErrNotSupported, 7 + 4*MaxParenDepth + 3, "nesting"},
		{"100,000 nested casts", "SELECT " + deep("CAST(", "1", " AS INT)", 100000), sqlerr.ErrNotSupported, 7 + 5*MaxParenDepth + 4, "nesting"},
		{"10,000 nested subqueries", deep("SELECT * FROM (", "SELECT 1", ") x", 10000), sqlerr.ErrNotSupported, -1, "nesting"},
		{"5,000-term sum", "SELECT a" + strings.Repeat("+a", 5000) + " FROM t", nil, 0, ""},
		{"10,000 NOTs", "SELECT " + strings.Repeat("NOT ", 10000) + "true", nil, 0, ""},
		{"1 MB string literal", "SELECT '" + strings.Repeat("x", 1<<20) + "'", nil, 0, ""},
		{"huge number", "SELECT " + strings.Repeat("9", 10000), nil, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			st, err := Parse(tc.sql)
			assert.Less(t, time.Since(start), 5*time.Second, "parsing took too long")
			if tc.kind == nil {
				require.NoError(t, err)
				require.NotNil(t, st)
				return
			}
			require.Error(t, err)
			t.Log(err)
			checkParseError(t, tc.sql, err)
			require.ErrorIs(t, err, tc.kind)
			if tc.pos >= 0 {
				require.Equal(t, tc.pos, sqlerr.Position(err), "error position")
			}
			require.Contains(t, err.Error(), tc.msg)
		})
	}
}
