package binder_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/sources/csvsrc"
)

// TestDuckDBDifferential runs random queries of FuzzPlanGen's generator on
// minisql and on DuckDB, over the fuzz schema written as Parquet files,
// and fails on every query both answer differently. It needs DuckDB, which
// minisql never depends on: it runs only when MINISQL_DUCKREF names a
// duckref binary (../shared/tools/duckref; `make difftest`), and skips
// otherwise. MINISQL_DIFF_QUERIES (default 500) and MINISQL_DIFF_SEED pick
// the queries. MINISQL_DIFF_BIG=1 swaps the fuzz schema's few rows for a
// few hundred generated ones, read by minisql in batches of 61 rows at
// threads=2, so that the multi-batch and parallel paths (selections, lane
// sums, partitioned aggregates, join builds in chunks) answer too.
//
// Only answers are compared: a query one engine rejects is a dialect
// question (DuckDB returns NULL for 1/0, minisql reports it) and is only
// counted. Rows are compared as sorted multisets and DOUBLEs to 1e-9
// relative; what the two print differently for the same value is
// normalised (normalise), and queries whose answers differ by design are
// skipped (knownDifference).
func TestDuckDBDifferential(t *testing.T) {
	duckref := os.Getenv("MINISQL_DUCKREF")
	if duckref == "" {
		t.Skip("MINISQL_DUCKREF is not set (make difftest)")
	}
	queries, seed := envNumber(t, "MINISQL_DIFF_QUERIES", 500), envNumber(t, "MINISQL_DIFF_SEED", 1)
	dir := t.TempDir()
	big := os.Getenv("MINISQL_DIFF_BIG") == "1"
	if big {
		writeBigParquet(t, dir)
	} else {
		writeFuzzParquet(t, dir)
	}
	e := engine.Open()
	defer e.Close()
	_, err := e.RegisterDir(dir)
	require.NoError(t, err)
	sess := e.NewSession()
	if big {
		require.NoError(t, sess.Set("batch_size", "61"))
		require.NoError(t, sess.Set("threads", "2"))
	}

	verbose := os.Getenv("MINISQL_DIFF_VERBOSE") == "1"
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	var compared, rejected, windows, bags int
	for range queries {
		data := make([]byte, 5+r.IntN(80))
		for i := range data {
			data[i] = byte(r.IntN(256))
		}
		sql := (&sqlGen{data: data}).query()
		if strings.HasPrefix(sql, "EXPLAIN") || knownDifference(sql) {
			continue
		}
		mine, mErr := minisqlAnswer(sess, sql)
		if errors.Is(mErr, errTooManyRows) {
			continue // cross joins of cross joins: no finding, only time
		}
		duck, dErr := duckdbAnswer(duckref, dir, sql)
		if mErr != nil || dErr != nil {
			rejected++
			if verbose && (mErr == nil) != (dErr == nil) {
				t.Logf("only one engine answers: %s\n  minisql: %v\n  DuckDB:  %v", sql, mErr, dErr)
			}
			continue
		}
		compared++
		if strings.Contains(sql, " OVER (") {
			windows++
		}
		if strings.Contains(sql, "EXCEPT ALL") || strings.Contains(sql, "INTERSECT ALL") {
			bags++
		}
		if why := compareAnswers(mine, duck); why != "" {
			t.Errorf("%s\n  %s\n  minisql: %v\n  DuckDB:  %v", sql, why, head(mine), head(duck))
		}
	}
	t.Logf("%d answers compared (%d with window functions, %d with EXCEPT ALL or INTERSECT ALL), %d queries rejected by one engine or both", compared, windows, bags, rejected)
}

// knownDifference reports a query whose answers differ by design: LIMIT
// without a total order picks any rows; DuckDB's date_trunc and date +
// interval are TIMESTAMPs, whose text has a time of day that minisql's
// DATEs do not; and a number turned into text differs in form (DuckDB's
// DOUBLE 370 is '370.0', its ceil of a BIGINT a DOUBLE).
func knownDifference(sql string) bool {
	// The window functions that read one row's place among its peers
	// answer ties in either order, in either engine.
	for _, s := range []string{"LIMIT", "date_trunc", "AS VARCHAR", "concat(", "row_number(", "lag(", "lead(", "first_value(", "last_value(", "nth_value(", "ntile("} {
		if strings.Contains(sql, s) {
			return true
		}
	}
	if strings.Contains(sql, "round(") && strings.Contains(sql, "922337203685477580") {
		return true // DuckDB's round of a BIGINT near its maximum wraps to a negative number
	}
	return strings.Contains(sql, "INTERVAL") && (strings.Contains(sql, "||") || strings.Contains(sql, "length("))
}

func envNumber(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, name)
	return n
}

// writeFuzzParquet writes the fuzz schema's tables to dir as Parquet, for
// both engines to read.
func writeFuzzParquet(t *testing.T, dir string) {
	e := engine.Open()
	defer e.Close()
	for name, tbl := range newFuzzCatalog() {
		require.NoError(t, e.Register(tbl, false))
		_, err := e.Exec(context.Background(), fmt.Sprintf("COPY %s TO '%s'", name, filepath.Join(dir, name+".parquet")))
		require.NoError(t, err)
	}
}

// writeBigParquet writes tables of the fuzz schema's columns with a few
// hundred rows each: NULLs in every column, repeated values, and numbers
// of both signs.
func writeBigParquet(t *testing.T, dir string) {
	e := engine.Open()
	defer e.Close()
	for _, sql := range []string{
		`CREATE TABLE t AS SELECT
			CASE WHEN range % 17 = 0 THEN NULL ELSE (range * 7919) % 101 - 50 END AS a,
			CASE WHEN range % 13 = 0 THEN NULL ELSE substring('abcdefghij', 1 + (range * 31) % 7, (range * 17) % 4) END AS b,
			CASE WHEN range % 11 = 0 THEN NULL ELSE CAST(((range * 104729) % 20001 - 10000) / 100.0 AS DECIMAL(10,2)) END AS c,
			CASE WHEN range % 19 = 0 THEN NULL ELSE DATE '1995-01-01' + CAST((range * 613) % 1500 AS INTEGER) END AS d,
			CASE WHEN range % 23 = 0 THEN NULL ELSE ((range * 7907) % 1000) / 7.0 - 70 END AS e,
			CASE WHEN range % 29 = 0 THEN NULL ELSE (range * 13) % 3 = 0 END AS f
			FROM range(300)`,
		`CREATE TABLE u AS SELECT
			CASE WHEN range % 7 = 0 THEN NULL ELSE (range * 37) % 60 - 5 END AS k,
			CASE WHEN range % 9 = 0 THEN NULL ELSE substring('xyzabc', 1 + range % 5, 1 + range % 3) END AS s,
			CASE WHEN range % 5 = 0 THEN NULL ELSE CAST(((range * 7877) % 5000) / 100.0 AS DECIMAL(15,2)) END AS m
			FROM range(120)`,
		`CREATE TABLE empty (x BIGINT, y VARCHAR)`,
	} {
		_, err := e.Exec(context.Background(), sql)
		require.NoError(t, err)
	}
	for _, name := range []string{"t", "u", "empty"} {
		_, err := e.Exec(context.Background(), fmt.Sprintf("COPY %s TO '%s'", name, filepath.Join(dir, name+".parquet")))
		require.NoError(t, err)
	}
}

// errTooManyRows stops a query with more than maxFuzzRows rows.
var errTooManyRows = errors.New("too many rows to compare")

// minisqlAnswer is the query's rows as CSV fields, as the CLI prints them.
func minisqlAnswer(sess *engine.Session, sql string) ([][]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, err := sess.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var buf bytes.Buffer
	w, err := csvsrc.NewWriter(&buf, rows.Schema(), csvsrc.WriterOptions{NoHeader: true})
	if err != nil {
		return nil, err
	}
	n := int64(0)
	for rows.Next() {
		if n += rows.Record().NumRows(); n > maxFuzzRows {
			return nil, errTooManyRows
		}
		if err := w.Write(ctx, rows.Record()); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return csvLines(buf.String()), nil
}

// duckdbAnswer runs the query with duckref, which prints CSV with a header.
func duckdbAnswer(duckref, dir, sql string) ([][]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, duckref, "query", "--data", dir, sql)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%w: %s", err, errOut.String())
	}
	_, body, _ := strings.Cut(out.String(), "\n") // after the header
	return csvLines(body), nil
}

// csvLines parses CSV a line at a time: an empty line is a row of one
// NULL (or empty) field, which a CSV reader would skip, and no text at all
// is no row.
func csvLines(text string) [][]string {
	if text == "" {
		return nil
	}
	var out [][]string
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if line == "" {
			out = append(out, []string{""})
			continue
		}
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			rec = []string{line}
		}
		out = append(out, rec)
	}
	return out
}

var (
	zeroMonthInterval = regexp.MustCompile(`^0 months (-?\d+) days 0 us$`)
	negativeYear      = regexp.MustCompile(`^-0*(\d+)(-\d\d-\d\d)$`)
)

// normalise maps a field to what both engines print alike: duckref prints
// NULL and the empty string the same, a TIMESTAMP at midnight where
// minisql has a DATE, a whole number of days as an INTERVAL, and a year
// before 1 padded to four digits (-0039-01-01; minisql writes -39-01-01).
func normalise(v string) string {
	if v == `""` {
		return ""
	}
	v = strings.TrimSuffix(v, " 00:00:00")
	if m := zeroMonthInterval.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	if m := negativeYear.FindStringSubmatch(v); m != nil {
		return "-" + m[1] + m[2]
	}
	return v
}

func sameField(a, b string) bool {
	a, b = normalise(a), normalise(b)
	if a == b {
		return true
	}
	x, errX := strconv.ParseFloat(a, 64)
	y, errY := strconv.ParseFloat(b, 64)
	if errX != nil || errY != nil {
		return false
	}
	if math.IsNaN(x) && math.IsNaN(y) || x == y {
		return true
	}
	return math.Abs(x-y) <= 1e-9*max(math.Abs(x), math.Abs(y))
}

// compareAnswers reports how two answers differ, as multisets of rows.
func compareAnswers(a, b [][]string) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d rows against %d", len(a), len(b))
	}
	key := func(r []string) string { // numbers in one form, so that equal ones sort alike
		n := make([]string, len(r))
		for i, v := range r {
			n[i] = normalise(v)
			if f, err := strconv.ParseFloat(n[i], 64); err == nil {
				if f == 0 {
					// -0 and 0 are one value: a GROUP BY keeps the first
					// seen in DuckDB and the positive one in minisql.
					f = 0
				}
				n[i] = strconv.FormatFloat(f, 'g', 9, 64)
			}
		}
		return strings.Join(n, "\x00")
	}
	sortRows := func(rows [][]string) [][]string {
		s := slices.Clone(rows)
		slices.SortFunc(s, func(x, y []string) int { return strings.Compare(key(x), key(y)) })
		return s
	}
	a, b = sortRows(a), sortRows(b)
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return fmt.Sprintf("row %d: %d fields against %d", i, len(a[i]), len(b[i]))
		}
		for j := range a[i] {
			if !sameField(a[i][j], b[i][j]) {
				return fmt.Sprintf("row %d field %d: %q against %q", i, j, a[i][j], b[i][j])
			}
		}
	}
	return ""
}

func head(rows [][]string) [][]string { return rows[:min(len(rows), 5)] }
