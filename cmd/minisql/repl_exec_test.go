package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
)

// tpchDir is the bundled TPC-H SF0.01 data, from this package's directory.
const tpchDir = "../../testdata/tpch/sf0.01"

// heavyTestQuery runs for minutes on SF0.01 (about 1.2 billion join pairs),
// so a cancel can never lose the race against the query finishing.
const heavyTestQuery = "SELECT count(*) FROM lineitem a JOIN lineitem b ON a.l_returnflag = b.l_returnflag;"

// testREPL is a shell over the SF0.01 tables with buffers for output and a
// signal channel the test drives.
type testREPL struct {
	*repl
	out, errOut *bytes.Buffer
	sigs        chan os.Signal
	mem         *memory.CheckedAllocator
}

func newTestREPL(t *testing.T) *testREPL {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	eng := engine.Open(engine.WithAllocator(mem))
	t.Cleanup(func() {
		eng.Close()
		mem.AssertSize(t, 0)
	})
	_, err := eng.RegisterDir(tpchDir)
	require.NoError(t, err)
	tr := &testREPL{out: &bytes.Buffer{}, errOut: &bytes.Buffer{}, sigs: make(chan os.Signal, 1), mem: mem}
	tr.repl = newREPL(eng, eng.NewSession(), &options{format: "table"}, tr.out, tr.errOut, tr.sigs)
	return tr
}

// input feeds lines as if typed and returns what they printed.
func (tr *testREPL) input(lines ...string) (stdout, stderr string) {
	tr.out.Reset()
	tr.errOut.Reset()
	for _, l := range lines {
		if e, ok := tr.buf.push(l); ok {
			tr.runInput(e)
		}
	}
	return tr.out.String(), tr.errOut.String()
}

func TestREPLStatements(t *testing.T) {
	tr := newTestREPL(t)

	out, errOut := tr.input("select n_name, n_nationkey", "from nation", "where n_nationkey < 2;")
	assert.Empty(t, errOut)
	assert.Contains(t, out, "│ ALGERIA   │           0 │", "numbers right-aligned in a box")
	assert.Contains(t, out, "(2 rows)")

	out, errOut = tr.input("select 1 as a; select 2 as b;")
	assert.Empty(t, errOut)
	assert.Regexp(t, `(?s)│ a │.*│ 1 │.*│ b │.*│ 2 │`, out, "both statements run, in order")

	out, _ = tr.input("create table t as select n_name from nation;", "drop table t;")
	assert.Equal(t, "CREATE TABLE 25\nDROP TABLE\n", out, "statements without rows print what they did")

	_, errOut = tr.input("select n_nam", "from nation;")
	assert.Contains(t, errOut, "Error: ")
	assert.Contains(t, errOut, "LINE 1: select n_nam\n               ^\n", "the caret points into the statement")

	out, errOut = tr.input("select n_nam from nation; select 7 as after_error;")
	assert.Contains(t, errOut, "Error: ")
	assert.Contains(t, out, "after_error", "an error does not stop the statements after it")

	out, _ = tr.input("explain select count(*) from nation;")
	assert.Contains(t, out, "Physical plan:\n")
	assert.NotContains(t, out, "│ plan", "plans are printed as they are, not in a table")

	out, _ = tr.input("explain analyze select count(*) from nation;")
	assert.Contains(t, out, "Total: ")
}

func TestREPLMetaCommands(t *testing.T) {
	tr := newTestREPL(t)

	out, _ := tr.input(".tables")
	assert.Equal(t, "customer\nlineitem\nnation\norders\npart\npartsupp\nregion\nsupplier\n", out)
	out, _ = tr.input(`\d region`)
	assert.Equal(t, "CREATE TABLE region (\n  r_regionkey BIGINT,\n  r_name VARCHAR,\n  r_comment VARCHAR\n);\n", out)
	_, errOut := tr.input(".schema nope")
	assert.Contains(t, errOut, "Error: ")
	out, _ = tr.input("create view rv (k) as select r_regionkey from region;", `\d rv`)
	assert.Equal(t, "CREATE VIEW\nCREATE VIEW rv (k) AS select r_regionkey from region;\n", out, "a view's schema is its statement")
	out, _ = tr.input(".schema", "drop view rv;")
	assert.Contains(t, out, "CREATE TABLE supplier (", "every table, and the view, once")
	assert.Contains(t, out, "CREATE VIEW rv (k) AS")

	path := filepath.Join(t.TempDir(), "out.csv")
	out, _ = tr.input(".mode csv", ".output "+path, "select r_name from region where r_regionkey < 2;", ".output", ".mode box")
	assert.Empty(t, out, ".output sends results to the file")
	body, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "r_name\nAFRICA\nAMERICA\n", string(body))
	_, errOut = tr.input(".output /nonexistent/dir/x.csv")
	assert.Contains(t, errOut, ".output")

	out, _ = tr.input(".maxrows 3", "select n_nationkey from nation;")
	assert.Contains(t, out, "(25 rows, 3 shown)")
	out, _ = tr.input(".maxrows")
	assert.Equal(t, "3\n", out)

	out, _ = tr.input(".timer on", "select 1 as x;")
	assert.Regexp(t, `Run Time: \d+\.\d{3} s(, peak memory [0-9.]+ ([KMG]iB|bytes))?\n$`, out)
	tr.input(".timer off")

	out, _ = tr.input(".threads 1", ".threads")
	assert.Equal(t, "1\n", out)
	out, _ = tr.input(".timeout 5s", ".timeout")
	assert.Equal(t, "5s\n", out)
	_, errOut = tr.input(".timeout 300ms", heavyTestQuery)
	assert.Contains(t, errOut, "statement timeout", "a statement timeout is an error, not a Ctrl-C")
	tr.input(".timeout 0")

	out, _ = tr.input(".mode csv", "select r_regionkey, r_name from region where r_regionkey < 2;")
	assert.Equal(t, "r_regionkey,r_name\n0,AFRICA\n1,AMERICA\n", out)
	out, _ = tr.input(".mode")
	assert.Equal(t, "csv\n", out)

	dir := t.TempDir()
	script := filepath.Join(dir, "script.sql")
	require.NoError(t, os.WriteFile(script, []byte(".mode json\n-- a comment\nselect r_name\n  from region\n  where r_regionkey = 0;\nselect 'unterminated at the end' as s"), 0o644))
	out, errOut = tr.input(".read " + script)
	assert.Empty(t, errOut)
	assert.Equal(t, "[\n  {\"r_name\": \"AFRICA\"}\n]\n[\n  {\"s\": \"unterminated at the end\"}\n]\n", out)

	self := filepath.Join(dir, "self.sql")
	require.NoError(t, os.WriteFile(self, []byte(".read "+self+"\n"), 0o644))
	_, errOut = tr.input(".read " + self)
	assert.Contains(t, errOut, "nested more than")

	out, errOut = tr.input(".open " + tpchDir)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "Opened 8 tables: customer, lineitem")
	_, errOut = tr.input(".open " + dir)
	assert.Contains(t, errOut, "no .parquet")

	out, _ = tr.input(".help")
	assert.Contains(t, out, ".maxrows N")
	_, errOut = tr.input(".nope")
	assert.Contains(t, errOut, "unknown command .nope")

	tr.input(`\q`)
	assert.True(t, tr.quit)
}

// TestREPLCancel is hazard 20 without a terminal: a SIGINT while a query
// runs stops it, the figures are printed, no rows follow, every buffer is
// released, and the next query works. EXPLAIN ANALYZE runs inside Query,
// before there are Rows to report on: it is cancelled all the same.
func TestREPLCancel(t *testing.T) {
	tests := []struct {
		stmt string
		want string
	}{
		{heavyTestQuery, `^Cancelled after \d+\.\d{3} s; stopped [\d.]+ m?s after Ctrl-C \(\d+ operators, \d+ workers? joined\)\n$`},
		{"EXPLAIN ANALYZE " + heavyTestQuery, `^Cancelled after \d+\.\d{3} s; stopped [\d.]+ m?s after Ctrl-C\n$`},
		{heavyTestQuery + " SELECT 'never run' AS x;", `^Cancelled after [^\n]*\n$`},
	}
	for _, tt := range tests {
		tr := newTestREPL(t)
		interruptWhileRunning(t, tr, tt.stmt)
		assert.Empty(t, tr.out.String(), "no rows after Ctrl-C")
		assert.Regexp(t, regexp.MustCompile(tt.want), tr.errOut.String())
		assert.Zero(t, tr.mem.CurrentAlloc(), "everything released when the message is printed")

		out, errOut := tr.input("select count(*) as n from nation;")
		assert.Empty(t, errOut)
		assert.Contains(t, out, "25")
	}
}

// interruptWhileRunning runs stmt and sends SIGINT while it runs.
func interruptWhileRunning(t *testing.T, tr *testREPL, stmt string) {
	t.Helper()
	tr.out.Reset()
	tr.errOut.Reset()
	e, ok := tr.buf.push(stmt)
	require.True(t, ok)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tr.runInput(e)
	}()
	// The watcher drops signals that come before it is armed, so keep
	// pressing Ctrl-C until the statement returns. The first press waits
	// until the query is well under way.
	time.Sleep(300 * time.Millisecond)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			select {
			case tr.sigs <- os.Interrupt:
			default:
			}
		case <-deadline:
			t.Fatal("the query did not stop within 60 s of Ctrl-C")
		}
	}
}

func TestREPLSurvivesPanic(t *testing.T) {
	tr := newTestREPL(t)
	// A writer that panics stands in for a bug in a renderer: the shell
	// reports it, closes the query and goes on.
	tr.stdout = panicWriter{}
	_, errOut := tr.input("select 1 as x;")
	assert.Contains(t, errOut, "Error: internal error: boom")
	tr.stdout = tr.out
	out, _ := tr.input("select 2 as y;")
	assert.Contains(t, out, "2")
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("boom") }

func TestCancelMessage(t *testing.T) {
	st := &engine.QueryStats{Operators: 4, Workers: 1}
	assert.Equal(t, "Cancelled after 3.214 s; stopped 1.8 ms after Ctrl-C (4 operators, 1 worker joined)",
		cancelMessage(3214*time.Millisecond, 1800*time.Microsecond, st))
	assert.Equal(t, "Cancelled after 0.050 s; stopped 0.25 ms after Ctrl-C",
		cancelMessage(50*time.Millisecond, 250*time.Microsecond, nil))
	assert.Equal(t, "Cancelled after 1.000 s; stopped 12 ms after Ctrl-C (1 operator, 0 workers joined)",
		cancelMessage(time.Second, 12*time.Millisecond, &engine.QueryStats{Operators: 1}))
	assert.True(t, strings.HasPrefix(shortDuration(2*time.Second), "2.000 s"))
}
