package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/sqlerr"
)

// The bad-input catalogue at the engine's front door: malformed and
// unsupported SQL, unknown names, type mismatches, overflow, division by
// zero, invalid dates and casts, huge literals, deep nesting, and corrupt,
// truncated, empty and changing files. Each gives a typed error (with a
// position when it is about the SQL text), never a panic, leaks nothing,
// and the same session goes on answering.

// badEngine opens an engine on a checked allocator with a small table
// t(a BIGINT, b VARCHAR, c DECIMAL(10,2), d DATE) of 10 rows.
func badEngine(t *testing.T, threads int) (*engine.Engine, *memory.CheckedAllocator) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	settings := engine.DefaultSettings()
	settings.Threads = threads
	e := engine.Open(engine.WithAllocator(mem), engine.WithSettings(settings))
	_, err := e.Exec(context.Background(), `CREATE TABLE t AS SELECT range AS a, 'x' || CAST(range AS VARCHAR) AS b,
		CAST(range AS DECIMAL(10,2)) AS c, DATE '2000-01-01' + range AS d FROM range(10)`)
	require.NoError(t, err)
	return e, mem
}

// runSQL runs one statement to the end and returns the number of rows it
// returned and its error.
func runSQL(e *engine.Engine, sql string) (int64, error) {
	rows, err := e.Query(context.Background(), sql)
	if err != nil {
		return 0, err
	}
	var n int64
	for rows.Next() {
		n += rows.Record().NumRows()
	}
	err = rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// requireUsable checks the engine still answers a query correctly.
func requireUsable(t *testing.T, e *engine.Engine) {
	t.Helper()
	rows, err := e.Query(context.Background(), "SELECT count(*), sum(a) FROM t WHERE a < 5")
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "no row: %v", rows.Err())
	require.Equal(t, "5", rows.Record().Column(0).ValueStr(0))
	require.Equal(t, "10", rows.Record().Column(1).ValueStr(0))
	require.False(t, rows.Next())
	require.NoError(t, rows.Err())
}

// TestBadSQL runs the catalogue of bad statements, with one and two
// threads, in one engine: after each error the same engine must answer.
func TestBadSQL(t *testing.T) {
	huge := strings.Repeat("9", 5000)
	cases := []struct {
		sql  string
		kind error
		at   string // the text the error position points to; "" when the error is about data
		msg  string
	}{
		// Malformed and unsupported SQL.
		{"SELEC 1", sqlerr.ErrSyntax, "SELEC", "SELEC"},
		{"SELECT 1 +", sqlerr.ErrSyntax, "", "end of statement"},
		{"SELECT a FROM t WHERE", sqlerr.ErrSyntax, "", "end of statement"},
		{"SELECT 'unterminated FROM t", sqlerr.ErrSyntax, "'unterminated", "unterminated"},
		{"SELECT sum(a) OVER (ORDER BY a GROUPS UNBOUNDED PRECEDING EXCLUDE TIES) FROM t", sqlerr.ErrNotSupported, "EXCLUDE", "EXCLUDE in window frames"},
		{"SELECT sum(a) OVER (ORDER BY a GROUPS -1 PRECEDING) FROM t", sqlerr.ErrType, "", "offset of a GROUPS frame"},
		{"SELECT sum(a) OVER (ORDER BY a ROWS -1 PRECEDING) FROM t", sqlerr.ErrType, "", "non-negative integer constant"},
		{"SELECT sum(a) OVER (ORDER BY a ROWS a PRECEDING) FROM t", sqlerr.ErrType, "", "non-negative integer constant"},
		{"SELECT sum(a) OVER (RANGE 1 PRECEDING) FROM t", sqlerr.ErrType, "", "exactly one ORDER BY"},
		{"SELECT * FROM t NATURAL FULL JOIN t AS u USING (a)", sqlerr.ErrSyntax, "USING", "NATURAL join takes no USING"},
		{"SELECT * FROM t FULL JOIN t AS u ON t.a IN (SELECT 1)", sqlerr.ErrNotSupported, "", "ON condition of a FULL JOIN"},
		{"SELECT * FROM t FULL JOIN t AS u", sqlerr.ErrSyntax, "FULL", "without ON or USING"},
		{"SELECT a FROM t INTERSECT ALL VALUES (1)", sqlerr.ErrNotSupported, "INTERSECT", "INTERSECT of anything but a SELECT"},
		{"SELECT a:: VARCHAR FROM t", sqlerr.ErrSyntax, "::", "followed directly by a type name"},
		{"UPDATE t SET a = 1 LIMIT 1", sqlerr.ErrNotSupported, "", "LIMIT in UPDATE"},
		{"UPDATE t SET nope = 1", sqlerr.ErrUnknownColumn, "nope", "nope"},
		{"SELECT a FROM t LIMIT 'x'", sqlerr.ErrSyntax, "LIMIT", "LIMIT"},
		// WITH RECURSIVE: the recursive term last, no ORDER BY or LIMIT on
		// the recursion, no reference to a later CTE, term types castable
		// to the base term's (checked as rows come).
		{"WITH RECURSIVE r(n) AS (SELECT n FROM r UNION ALL SELECT 1) SELECT n FROM r", sqlerr.ErrSyntax, "r UNION", "circular reference"},
		{"WITH RECURSIVE r(n) AS (SELECT n + 1 FROM r) SELECT n FROM r", sqlerr.ErrSyntax, "r) SELECT", "must be a UNION"},
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r ORDER BY n) SELECT n FROM r", sqlerr.ErrSyntax, "ORDER", "ORDER BY in a recursive query"},
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r LIMIT 3) SELECT n FROM r", sqlerr.ErrSyntax, "LIMIT", "LIMIT or OFFSET"},
		{"WITH RECURSIVE p AS (SELECT 1 AS n UNION ALL SELECT n FROM q), q AS (SELECT n FROM p) SELECT n FROM p", sqlerr.ErrNotSupported, "q)", "mutual recursion"},
		{"WITH RECURSIVE r(n) AS (WITH s AS (SELECT n FROM r) SELECT 1 UNION ALL SELECT n FROM s) SELECT n FROM r", sqlerr.ErrNotSupported, "r) SELECT 1", "inside a CTE of its own body"},
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n, n FROM r) SELECT n FROM r", sqlerr.ErrSyntax, "r(n)", "1 and 2 columns"},
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT DATE '2000-01-01' FROM r) SELECT n FROM r", sqlerr.ErrType, "r(n)", "cannot convert DATE to BIGINT in column n of the recursive term"},
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT 'x' FROM r WHERE n < 3) SELECT n FROM r", sqlerr.ErrInvalidValue, "", "x"},
		// Unknown names.
		{"SELECT nope FROM t", sqlerr.ErrUnknownColumn, "nope", "nope"},
		{"SELECT * FROM nope", sqlerr.ErrUnknownTable, "nope", "nope"},
		{"SELECT nope(a) FROM t", sqlerr.ErrUnknownFunc, "nope", "nope"},
		{"SELECT u.a FROM t", sqlerr.ErrUnknownTable, "u", "u"},
		{"SELECT a FROM t, t AS t2", sqlerr.ErrAmbiguous, "a", "a"},
		// Type mismatches: the position is the clause's.
		{"SELECT a + b FROM t", sqlerr.ErrType, "SELECT", "BIGINT and VARCHAR"},
		{"SELECT a FROM t WHERE b", sqlerr.ErrType, "WHERE", "boolean"},
		{"SELECT a FROM t WHERE d > 5", sqlerr.ErrType, "WHERE", "DATE"},
		{"SELECT a FROM t GROUP BY a HAVING b = 'x'", sqlerr.ErrSyntax, "b", "GROUP BY"},
		// Overflow and division by zero, at run time.
		{"SELECT 9223372036854775807 + a FROM t", sqlerr.ErrOverflow, "", "overflow"},
		{"SELECT a * 4611686018427387904 * 2 FROM t", sqlerr.ErrOverflow, "", "overflow"},
		{"SELECT sum(a * 1000000000000000000) FROM t", sqlerr.ErrOverflow, "", "sum"},
		{"SELECT sum(x) FROM (SELECT CAST(99999999999999999999999999999999999999 AS DECIMAL(38,0)) AS x FROM t) AS s", sqlerr.ErrOverflow, "", "DECIMAL(38,0)"},
		{"SELECT -(-9223372036854775807 - 1 + a * 0) FROM t", sqlerr.ErrOverflow, "", "overflow"},
		{"SELECT a / 0 FROM t", sqlerr.ErrDivisionByZero, "", ""},
		{"SELECT a % (a - a) FROM t", sqlerr.ErrDivisionByZero, "", ""},
		{"SELECT c / 0 FROM t", sqlerr.ErrDivisionByZero, "", ""},
		// Invalid dates and casts.
		{"SELECT DATE '2021-02-30'", sqlerr.ErrInvalidValue, "SELECT", "2021-02-30"},
		{"SELECT CAST('2021-13-01' AS DATE)", sqlerr.ErrInvalidValue, "SELECT", "2021-13-01"},
		{"SELECT CAST(b AS DATE) FROM t", sqlerr.ErrInvalidValue, "", "x0"},
		{"SELECT CAST(b AS INTEGER) FROM t", sqlerr.ErrInvalidValue, "", "x0"},
		{"SELECT CAST(a + 1 AS DECIMAL(2,1)) FROM t", sqlerr.ErrOverflow, "", "DECIMAL(2,1)"},
		{"SELECT d + INTERVAL '99999999' YEAR FROM t", sqlerr.ErrOverflow, "", "date"},
		{"SELECT CAST(a AS BLOB) FROM t", sqlerr.ErrType, "SELECT", "BLOB"},
		{"SELECT CAST(a AS DECIMAL(40,2)) FROM t", sqlerr.ErrType, "SELECT", "precision"},
		// Huge literals and deep nesting.
		{"SELECT " + huge, sqlerr.ErrInvalidValue, huge[:20], "out of range"},
		{"SELECT CAST('" + huge + "' AS DECIMAL(38,0))", sqlerr.ErrInvalidValue, "SELECT", "DECIMAL"},
		{"SELECT " + strings.Repeat("(", 10000) + "1" + strings.Repeat(")", 10000), sqlerr.ErrNotSupported, "(", "nesting deeper than"},
		{"SELECT a" + strings.Repeat(" + a", 5000) + " FROM t", sqlerr.ErrNotSupported, "SELECT", "nesting deeper than"},
		{"SELECT " + strings.Repeat("NOT ", 5000) + "true", sqlerr.ErrNotSupported, "SELECT", "nesting deeper than"},
		{"SELECT repeat(b, 100000000) FROM t", sqlerr.ErrInvalidValue, "", "repeat"},
		// A constant column of 8192 copies of a 300 KB string is 2.4 GB:
		// its int32 offsets wrapped, returning a corrupt column.
		{"SELECT '" + strings.Repeat("x", 300000) + "' FROM range(8192)", sqlerr.ErrInvalidValue, "", "larger than"},
		// A script: the position is in the script.
		{"SELECT 1; SELECT nope FROM t", sqlerr.ErrUnknownColumn, "nope", "nope"},
	}
	for _, threads := range []int{1, 2} {
		t.Run(fmt.Sprintf("threads=%d", threads), func(t *testing.T) {
			e, mem := badEngine(t, threads)
			defer mem.AssertSize(t, 0)
			defer e.Close()
			base := mem.CurrentAlloc()
			for _, tc := range cases {
				name := tc.sql
				if len(name) > 60 {
					name = name[:60] + "..."
				}
				t.Run(name, func(t *testing.T) {
					var err error
					if strings.Contains(tc.sql, "; ") {
						_, err = e.Exec(context.Background(), tc.sql)
					} else {
						_, err = runSQL(e, tc.sql)
					}
					require.Error(t, err)
					msg := err.Error()
					t.Log(msg[:min(len(msg), 200)])
					var se *sqlerr.Error
					require.True(t, errors.As(err, &se), "untyped error %T", err)
					require.ErrorIs(t, err, tc.kind)
					require.Contains(t, err.Error(), tc.msg)
					if tc.at != "" {
						pos := sqlerr.Position(err)
						require.True(t, pos >= 0 && pos < len(tc.sql), "no position: %v", err)
						require.True(t, strings.HasPrefix(strings.ToUpper(tc.sql[pos:]), strings.ToUpper(tc.at)),
							"position %d points at %.20q, want %q", pos, tc.sql[pos:], tc.at)
					}
					require.Equal(t, base, mem.CurrentAlloc(), "buffers leaked")
					requireUsable(t, e)
				})
			}
		})
	}
}

// TestHugeLiteral: a 1 MB literal is an ordinary value.
func TestHugeLiteral(t *testing.T) {
	e, mem := badEngine(t, 2)
	defer mem.AssertSize(t, 0)
	defer e.Close()
	big := strings.Repeat("é", 1<<19)
	rows, err := e.Query(context.Background(), "SELECT a, length('"+big+"' || b), '"+big+"' = '"+big+"' FROM t ORDER BY a")
	require.NoError(t, err)
	n := 0
	for rows.Next() {
		rec := rows.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			require.Equal(t, fmt.Sprint(1<<19+2), rec.Column(1).ValueStr(i))
			require.Equal(t, "true", rec.Column(2).ValueStr(i))
		}
		n += int(rec.NumRows())
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Equal(t, 10, n)
}

// TestBadSQLExactOrError: SUM and arithmetic near the limits give the exact
// answer or an overflow error, never a wrapped value.
func TestBadSQLExactOrError(t *testing.T) {
	e, mem := badEngine(t, 2)
	defer mem.AssertSize(t, 0)
	defer e.Close()
	for _, tc := range []struct{ sql, want string }{
		{"SELECT sum(a + 922337203685477580) FROM t", "9223372036854775845"},
		{"SELECT sum(CAST(a AS DECIMAL(38,0)) * 9223372036854775807) FROM t", "415051741658464911315"},
		{"SELECT sum(c) * 1000000000000000000000000000 FROM t", "45000000000000000000000000000"},
		{"SELECT max(a) - min(a) + 9223372036854775798 FROM t", "9223372036854775807"},
	} {
		rows, err := e.Query(context.Background(), tc.sql)
		require.NoError(t, err)
		got := ""
		for rows.Next() {
			got = rows.Record().Column(0).ValueStr(0)
		}
		err = rows.Err()
		require.NoError(t, rows.Close())
		if err != nil {
			require.ErrorIs(t, err, sqlerr.ErrOverflow, tc.sql)
			continue
		}
		want, _ := new(big.Rat).SetString(tc.want)
		value, ok := new(big.Rat).SetString(got)
		require.True(t, ok && value.Cmp(want) == 0, "%s: got %s, want %s", tc.sql, got, tc.want)
	}
}

// writeBadFiles writes, for each format, a good file of n rows and its
// empty, tiny, truncated, corrupted and garbage variants into dir.
func writeBadFiles(t *testing.T, e *engine.Engine, dir string, n int) []string {
	t.Helper()
	var paths []string
	for _, ext := range []string{".parquet", ".csv", ".arrow"} {
		good := filepath.Join(dir, "good"+ext)
		_, err := e.Exec(context.Background(), fmt.Sprintf(
			"COPY (SELECT range AS a, CAST(range AS VARCHAR) AS b FROM range(%d)) TO '%s'", n, good))
		require.NoError(t, err)
		data, err := os.ReadFile(good)
		require.NoError(t, err)
		corrupt := append([]byte(nil), data...)
		for i := 100; i < len(corrupt); i += 997 {
			corrupt[i] ^= 0x5a
		}
		variants := map[string][]byte{
			"empty": nil, "tiny": data[:min(10, len(data))], "truncated": data[:len(data)/2],
			"corrupt": corrupt, "garbage": []byte(strings.Repeat("\x00\xff garbage ,;\n", 500)),
		}
		for v, b := range variants {
			p := filepath.Join(dir, v+ext)
			require.NoError(t, os.WriteFile(p, b, 0o644))
			paths = append(paths, p)
		}
		paths = append(paths, good)
	}
	return paths
}

// TestBadFiles reads corrupt, truncated, empty and garbage Parquet, CSV
// and Arrow files, through FROM `path` and through RegisterDir: an error
// naming the file, or rows; never a panic or a leak.
func TestBadFiles(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	e, mem := badEngine(t, 2)
	defer mem.AssertSize(t, 0)
	defer e.Close()
	dir := t.TempDir()
	paths := writeBadFiles(t, e, dir, 50000)
	base := mem.CurrentAlloc()
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			n, err := runSQL(e, fmt.Sprintf("SELECT count(*), sum(a), max(b) FROM `%s`", p))
			if err != nil {
				t.Log(err)
				var se *sqlerr.Error
				require.True(t, errors.As(err, &se), "untyped error %T: %v", err, err)
				require.False(t, errors.Is(err, sqlerr.ErrInternal), "internal error: %v", err)
				if !errors.Is(err, sqlerr.ErrUnknownColumn) { // garbage read as a CSV with other columns
					require.Contains(t, err.Error(), p, "the error must name the file")
				}
			} else {
				require.Equal(t, int64(1), n)
			}
			if strings.HasPrefix(filepath.Base(p), "good") {
				require.NoError(t, err)
			}
			require.Equal(t, base, mem.CurrentAlloc(), "buffers leaked")
			requireUsable(t, e)
		})
	}
	// RegisterDir stops at the first bad file, naming it; the tables
	// registered before it work.
	names, err := e.RegisterDir(dir)
	t.Log(names, err)
	if err != nil {
		require.Contains(t, err.Error(), dir)
	}
	for _, name := range names {
		_, err := runSQL(e, "SELECT count(*) FROM "+name)
		if err != nil {
			require.False(t, errors.Is(err, sqlerr.ErrInternal), "internal error: %v", err)
		}
	}
	require.Equal(t, base, mem.CurrentAlloc(), "buffers leaked")
	requireUsable(t, e)
	require.NoError(t, e.Close())
	require.NoError(t, goleak.Find(ignore))
}

// TestFilesChangingUnderQuery truncates, overwrites, deletes, appends to or
// replaces a file while a query reads it: the query ends with its rows or
// with an error naming the file, nothing leaks, and once the file is
// restored the same engine reads it again.
func TestFilesChangingUnderQuery(t *testing.T) {
	for _, threads := range []int{1, 2} {
		t.Run(fmt.Sprintf("threads=%d", threads), func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			e, mem := badEngine(t, threads)
			defer mem.AssertSize(t, 0)
			defer e.Close()
			_, err := e.Exec(context.Background(), "SET batch_size = 1000")
			require.NoError(t, err)
			dir := t.TempDir()
			const n = 130000 // two Parquet row groups: the second is read after the change
			for _, ext := range []string{".parquet", ".csv", ".arrow"} {
				p := filepath.Join(dir, "data"+ext)
				_, err := e.Exec(context.Background(), fmt.Sprintf(
					"COPY (SELECT range AS a, CAST(range AS VARCHAR) AS b FROM range(%d)) TO '%s'", n, p))
				require.NoError(t, err)
				orig, err := os.ReadFile(p)
				require.NoError(t, err)
				base := mem.CurrentAlloc()
				for _, change := range []string{"truncate", "overwrite", "delete", "append", "replace"} {
					t.Run(ext+"/"+change, func(t *testing.T) {
						rows, err := e.Query(context.Background(), fmt.Sprintf("SELECT a, b FROM `%s`", p))
						require.NoError(t, err)
						batches := 0
						for rows.Next() {
							if batches++; batches == 2 {
								changeFile(t, p, orig, change)
							}
						}
						err = rows.Err()
						require.NoError(t, rows.Close())
						t.Logf("%d batches, %v", batches, err)
						if err != nil {
							var se *sqlerr.Error
							require.True(t, errors.As(err, &se), "untyped error %T: %v", err, err)
							require.False(t, errors.Is(err, sqlerr.ErrInternal), "internal error: %v", err)
							require.Contains(t, err.Error(), p)
						}
						require.Equal(t, base, mem.CurrentAlloc(), "buffers leaked")
						require.NoError(t, os.WriteFile(p, orig, 0o644))
						got, err := runSQL(e, fmt.Sprintf("SELECT count(*) FROM `%s`", p))
						require.NoError(t, err, "the restored file must read again")
						require.Equal(t, int64(1), got)
						requireUsable(t, e)
					})
				}
			}
			require.NoError(t, e.Close())
			require.NoError(t, goleak.Find(ignore))
		})
	}
}

// changeFile changes the file under a running query.
func changeFile(t *testing.T, p string, orig []byte, how string) {
	switch how {
	case "truncate":
		require.NoError(t, os.Truncate(p, int64(len(orig)/3)))
	case "overwrite": // the same file, garbage from a quarter on
		bad := append([]byte(nil), orig...)
		for i := len(bad) / 4; i < len(bad); i += 7 {
			bad[i] ^= 0xff
		}
		require.NoError(t, os.WriteFile(p, bad, 0o644))
	case "delete":
		require.NoError(t, os.Remove(p))
	case "append":
		f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.Write(orig[:len(orig)/2])
		require.NoError(t, err)
		require.NoError(t, f.Close())
	case "replace": // a new file renamed over the old one
		tmp := p + ".tmp"
		require.NoError(t, os.WriteFile(tmp, orig[:len(orig)/2], 0o644))
		require.NoError(t, os.Rename(tmp, p))
	}
	time.Sleep(time.Millisecond)
}
