package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// optionFiles are the files the read_csv option tests read; the same
// files were given to DuckDB 1.5.6 for the expected answers.
var optionFiles = map[string]string{
	"t.csv":    "a,b\n1,x\n2,y\n",
	"nh.csv":   "1,x\n2,y\n",
	"s.csv":    "junk line\nmore junk\na|b|c\n1|\"x|y\"|NA\n2|\"q\\\"r\"|2024-01-02 03:04:05\n",
	"ts.csv":   "a,b\n1,2024-01-02 03:04:05\n2,\n",
	"n.csv":    "a,b\n1,\nNA,x\n",
	"tab.csv":  "a\tb\n1\tx\n",
	"sq.csv":   "a,b\n1,'x,y'\n2,'it''s'\n",
	"g/1.csv":  "a,b\n1,x\n",
	"g/2.csv":  "a,b\n2,y\n",
	"g/3x.csv": "a,c\n3,z\n",
	"h/1.csv":  "a,b\n1,x\n",
	"h/2.csv":  "a,b\n2.5e0,2024-01-01\n",
}

func writeOptionFiles(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range optionFiles {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

// TestReadCSVOptions reads files with DuckDB's read_csv options; the
// expected columns and rows are DuckDB 1.5.6's (INTEGER is BIGINT here).
func TestReadCSVOptions(t *testing.T) {
	e := engine.Open()
	defer e.Close()
	dir := writeOptionFiles(t)
	tests := []struct {
		name, call string // call: %[1]s is the directory
		columns    string
		rows       []string
	}{
		{"skip delim escape nullstr", `read_csv('%[1]s/s.csv', skip=2, delim='|', escape='\', nullstr='NA')`,
			"a BIGINT, b VARCHAR, c TIMESTAMP", []string{"1|x|y|NULL", `2|q"r|2024-01-02 03:04:05`}},
		{"sep and a list of nulls", `read_csv('%[1]s/s.csv', skip=2, sep='|', escape='\', nullstr=['NA','2'])`,
			"a BIGINT, b VARCHAR, c TIMESTAMP", []string{"1|x|y|NULL", `NULL|q"r|2024-01-02 03:04:05`}},
		{"header false", `read_csv('%[1]s/s.csv', skip=2, delim='|', header=false, escape='\')`,
			"column0 VARCHAR, column1 VARCHAR, column2 VARCHAR", []string{"a|b|c", "1|x|y|NA", `2|q"r|2024-01-02 03:04:05`}},
		{"header true after skip", `read_csv('%[1]s/t.csv', header=true, skip=1)`,
			"1 BIGINT, x VARCHAR", []string{"2|y"}},
		{"header as 1", `read_csv('%[1]s/t.csv', header=1)`, "a BIGINT, b VARCHAR", []string{"1|x", "2|y"}},
		{"timestamps inferred", `read_csv('%[1]s/ts.csv')`, "a BIGINT, b TIMESTAMP", []string{"1|2024-01-02 03:04:05", "2|NULL"}},
		{"all_varchar", `read_csv('%[1]s/ts.csv', all_varchar=true)`, "a VARCHAR, b VARCHAR", []string{"1|2024-01-02 03:04:05", "2|NULL"}},
		{"columns", `read_csv('%[1]s/nh.csv', columns={'k': 'INTEGER', 'v': 'VARCHAR'})`, "k BIGINT, v VARCHAR", []string{"1|x", "2|y"}},
		{"columns over a header", `read_csv('%[1]s/t.csv', columns={'k': 'VARCHAR', 'v': 'VARCHAR'})`, "k VARCHAR, v VARCHAR", []string{"1|x", "2|y"}},
		{"auto_detect false", `read_csv('%[1]s/t.csv', auto_detect=false, columns={'k': 'VARCHAR', 'v': 'VARCHAR'})`,
			"k VARCHAR, v VARCHAR", []string{"a|b", "1|x", "2|y"}},
		{"names", `read_csv('%[1]s/nh.csv', names=['k','v'])`, "k BIGINT, v VARCHAR", []string{"1|x", "2|y"}},
		{"fewer names", `read_csv('%[1]s/t.csv', column_names=['k'])`, "k BIGINT, b VARCHAR", []string{"1|x", "2|y"}},
		{"types list", `read_csv('%[1]s/nh.csv', types=['VARCHAR','VARCHAR'])`, "column0 VARCHAR, column1 VARCHAR", []string{"1|x", "2|y"}},
		{"fewer types", `read_csv('%[1]s/nh.csv', column_types=['DOUBLE'])`, "column0 DOUBLE, column1 VARCHAR", []string{"1|x", "2|y"}},
		{"types by name", `read_csv('%[1]s/t.csv', types={'a':'DOUBLE'})`, "a DOUBLE, b VARCHAR", []string{"1|x", "2|y"}},
		{"nullstr leaves empty strings", `read_csv('%[1]s/n.csv', nullstr='NA')`, "a BIGINT, b VARCHAR", []string{"1|", "NULL|x"}},
		{"tab", `read_csv('%[1]s/tab.csv', delim='\t')`, "a BIGINT, b VARCHAR", []string{"1|x"}},
		{"single quote", `read_csv('%[1]s/sq.csv', quote='''')`, "a BIGINT, b VARCHAR", []string{"1|x,y", "2|it's"}},
		{"glob", `read_csv('%[1]s/g/[12].csv')`, "a BIGINT, b VARCHAR", []string{"1|x", "2|y"}},
		{"list of files", `read_csv(['%[1]s/g/1.csv', '%[1]s/g/2.csv'])`, "a BIGINT, b VARCHAR", []string{"1|x", "2|y"}},
		{"read_csv_auto with options", `read_csv_auto('%[1]s/g/*[12].csv', header=true)`, "a BIGINT, b VARCHAR", []string{"1|x", "2|y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := fmt.Sprintf(tt.call, dir)
			assert.Equal(t, tt.columns, columnsOf(t, e, "SELECT * FROM "+call))
			assert.ElementsMatch(t, tt.rows, queryText(t, e, "SELECT * FROM "+call))
		})
	}
	// Files whose inferred types differ are read with a common type:
	// DuckDB answers 3.5, '2024-01-01' and 'x' (a DOUBLE and a VARCHAR).
	got := queryText(t, e, fmt.Sprintf("SELECT sum(a), min(b), max(b) FROM read_csv('%s/h/*.csv')", dir))
	assert.Equal(t, []string{"3.5|2024-01-01|x"}, got)
}

// columnsOf renders a query's result columns as "name TYPE, ...".
func columnsOf(t *testing.T, e *engine.Engine, sql string) string {
	t.Helper()
	rows, err := e.Query(context.Background(), sql)
	require.NoError(t, err, sql)
	defer rows.Close()
	var cols []string
	for _, f := range rows.Schema().Fields() {
		cols = append(cols, f.Name+" "+types.MustFromArrow(f.Type).String())
	}
	for rows.Next() {
	}
	require.NoError(t, rows.Err())
	return strings.Join(cols, ", ")
}

// TestReadParquetFiles reads Parquet files by glob and by list.
func TestReadParquetFiles(t *testing.T) {
	e := engine.Open()
	defer e.Close()
	dir := t.TempDir()
	for i := range 3 {
		_, err := e.Exec(context.Background(), fmt.Sprintf("COPY (SELECT range AS k FROM range(%d, %d)) TO '%s/p%d.parquet'", i*10, i*10+10, dir, i))
		require.NoError(t, err)
	}
	_, err := e.Exec(context.Background(), fmt.Sprintf("COPY (SELECT 'x' AS k) TO '%s/other.parquet'", dir))
	require.NoError(t, err)
	assert.Equal(t, []string{"30|435"}, queryText(t, e, fmt.Sprintf("SELECT count(*), sum(k) FROM read_parquet('%s/p*.parquet')", dir)))
	assert.Equal(t, []string{"20|390"}, queryText(t, e, fmt.Sprintf("SELECT count(*), sum(k) FROM read_parquet(['%[1]s/p1.parquet', '%[1]s/p2.parquet'])", dir)))
	assert.Equal(t, []string{"10|145"}, queryText(t, e, fmt.Sprintf("SELECT count(*), sum(k) FROM read_parquet(['%s/p1.parquet'])", dir)))

	_, err = e.Exec(context.Background(), fmt.Sprintf("SELECT * FROM read_parquet('%s/*.parquet')", dir))
	require.ErrorIs(t, err, sqlerr.ErrInvalidValue)
	assert.Contains(t, err.Error(), "other.parquet")
	assert.Contains(t, err.Error(), "p0.parquet")
}

// TestReadCSVOptionErrors: every bad call is an error of a clear kind,
// positioned at the offending argument when the SQL text shows it.
func TestReadCSVOptionErrors(t *testing.T) {
	e := engine.Open()
	defer e.Close()
	dir := writeOptionFiles(t)
	tests := []struct {
		call string
		kind error
		want string // in the message
		at   string // the error points at the first occurrence of this text, if set
	}{
		{`read_csv('%[1]s/t.csv', foo=1)`, sqlerr.ErrNotSupported, `read_csv option "foo"`, "foo"},
		{`read_csv('%[1]s/t.csv', dateformat='%%d')`, sqlerr.ErrNotSupported, `read_csv option "dateformat"`, "dateformat"},
		{`read_parquet('%[1]s/t.csv', binary_as_string=true)`, sqlerr.ErrNotSupported, `read_parquet option "binary_as_string"`, "binary_as_string"},
		{`read_csv('%[1]s/t.csv', header='yes')`, sqlerr.ErrType, "option header takes a boolean", "'yes'"},
		{`read_csv('%[1]s/t.csv', skip='x')`, sqlerr.ErrType, "option skip takes an integer", "'x'"},
		{`read_csv('%[1]s/t.csv', skip=-1)`, sqlerr.ErrInvalidValue, "non-negative", "-1"},
		{`read_csv('%[1]s/t.csv', delim='ab')`, sqlerr.ErrNotSupported, "delim of more than one byte", "'ab'"},
		{`read_csv('%[1]s/t.csv', delim=1)`, sqlerr.ErrType, "option delim takes a string", "1)"},
		{`read_csv('%[1]s/t.csv', columns='a')`, sqlerr.ErrType, "option columns takes a struct", "'a')"},
		{`read_csv('%[1]s/t.csv', columns={'a': 'INTEGR'})`, sqlerr.ErrType, `unknown type "INTEGR"`, "'INTEGR'"},
		{`read_csv('%[1]s/t.csv', names='a')`, sqlerr.ErrType, "option names takes a list", "'a')"},
		{`read_csv(['%[1]s/t.csv', 1])`, sqlerr.ErrType, "a list of strings", "1])"},
		{`read_csv('%[1]s/t.csv', header=true, header=false)`, sqlerr.ErrInvalidValue, "given twice", "header=false"},
		{`read_csv('%[1]s/t.csv', auto_detect=false)`, sqlerr.ErrInvalidValue, "auto_detect = false needs the columns option", ""},
		{`read_csv('%[1]s/t.csv', header)`, sqlerr.ErrSyntax, "expected = after read_csv option header", ""},
		{`read_csv('%[1]s/t.csv', types={'zz':'DOUBLE'})`, sqlerr.ErrInvalidValue, `column "zz"`, ""},
		{`read_csv('%[1]s/nh.csv', names=['a','b','c'])`, sqlerr.ErrInvalidValue, "3 names were given", ""},
		{`read_csv('%[1]s/none/*.csv')`, sqlerr.ErrIO, "no files found that match the pattern", ""},
		{`read_csv('%[1]s/g/*.csv')`, sqlerr.ErrInvalidValue, "schema mismatch", ""},
		{`read_csv([])`, sqlerr.ErrInvalidValue, "at least one file path", ""},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			sql := "SELECT * FROM " + fmt.Sprintf(tt.call, dir)
			_, err := e.Exec(context.Background(), sql)
			require.ErrorIs(t, err, tt.kind)
			assert.Contains(t, err.Error(), tt.want)
			if tt.at != "" {
				assert.Equal(t, strings.Index(sql, tt.at), sqlerr.Position(err), "%v", err)
			}
		})
	}
	// The mismatch names both files.
	_, err := e.Exec(context.Background(), fmt.Sprintf("SELECT * FROM read_csv('%s/g/*.csv')", dir))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1.csv")
	assert.Contains(t, err.Error(), "3x.csv")
	// Lists and structs stay errors outside file calls.
	_, err = e.Exec(context.Background(), "SELECT [1, 2]")
	require.ErrorIs(t, err, sqlerr.ErrNotSupported)
	_, err = e.Exec(context.Background(), "SELECT {'a': 1}")
	require.ErrorIs(t, err, sqlerr.ErrSyntax)
}

// TestReadCSVOptionsCancel: a large CSV read through read_csv with options
// (skip, delim, escape, all_varchar: the re-opened, adjusted schema) stops
// promptly when its query's context is cancelled.
func TestReadCSVOptionsCancel(t *testing.T) {
	e := engine.Open()
	defer e.Close()
	path := filepath.Join(t.TempDir(), "big.csv")
	var b strings.Builder
	b.WriteString("preamble\na|b|c\n")
	for i := range 400_000 {
		fmt.Fprintf(&b, "%d|\"v\\\"%d\"|%d.5\n", i, i%97, i%13)
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	sql := fmt.Sprintf(`SELECT count(DISTINCT a || b), max(c) FROM read_csv('%s', skip=1, delim='|', escape='\', all_varchar=true) x, range(100)`, path)
	ctx, cancel := context.WithCancel(context.Background())
	rows, err := e.Query(ctx, sql)
	require.NoError(t, err)
	defer rows.Close()
	done := make(chan error, 1)
	go func() {
		for rows.Next() {
		}
		done <- rows.Err()
	}()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), 2*time.Second)
	case <-time.After(10 * time.Second):
		t.Fatal("the query did not stop after its context was cancelled")
	}
}
