package binder_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/binder"
	"github.com/minisql/minisql/planner/optimizer"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/physical"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// fuzzCatalog is the small schema the front-end fuzz targets query:
//
//	t(a BIGINT, b VARCHAR, c DECIMAL(10,2), d DATE, e DOUBLE, f BOOLEAN)  7 rows
//	u(k BIGINT, s VARCHAR, m DECIMAL(15,2))                               4 rows
//	empty(x BIGINT, y VARCHAR)                                            no rows
//
// with NULLs in every column and some extreme values.
type fuzzCatalog map[string]catalog.Table

func (c fuzzCatalog) Table(name string) (catalog.Table, error) {
	if t, ok := c[strings.ToLower(name)]; ok {
		return t, nil
	}
	return nil, sqlerr.New(sqlerr.ErrUnknownTable, "%q", name)
}

var (
	fuzzCatOnce sync.Once
	fuzzCat     fuzzCatalog
)

// fuzzSchema returns the catalog, built once per process (its data lives in
// Go memory: the checked allocator of each run sees only the query's own
// buffers).
func fuzzSchema() fuzzCatalog {
	fuzzCatOnce.Do(func() { fuzzCat = newFuzzCatalog() })
	return fuzzCat
}

// newFuzzCatalog builds the fuzz schema's tables afresh.
func newFuzzCatalog() fuzzCatalog {
	mem := memory.NewGoAllocator()
	dec := func(p, s int32) arrow.DataType { return &arrow.Decimal128Type{Precision: p, Scale: s} }
	return fuzzCatalog{
		"t": memTable(mem, "t", []arrow.Field{
			{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
			{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true},
			{Name: "c", Type: dec(10, 2), Nullable: true},
			{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
			{Name: "e", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
			{Name: "f", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
			{Name: "z", Type: types.TimestampType.Arrow(), Nullable: true},
		}, [][]any{
			{int64(1), "a", "1.50", "1995-03-15", 0.5, true, "1995-03-15 10:30:00"},
			{int64(2), "b", "-2.25", "1970-01-01", -1.0, false, "1969-12-31 23:59:59.5"},
			{int64(2), "", "0.00", "2000-02-29", 0.0, true, "2000-02-29 23:59:59.999999"},
			{nil, nil, nil, nil, nil, nil, nil},
			{int64(-9223372036854775808), "é%_", "99999999.99", "9999-12-31", 1e308, false, "9999-12-31 23:59:59"},
			{int64(9223372036854775807), "abc", "-99999999.99", "0001-01-01", -1e-308, nil, "0001-01-01 00:00:00"},
			{int64(0), "1995-03-15", "3.00", "1995-03-16", 3.0, true, "1995-03-15 10:30:00"},
		}),
		"u": memTable(mem, "u", []arrow.Field{
			{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
			{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
			{Name: "m", Type: dec(15, 2), Nullable: true},
		}, [][]any{
			{int64(1), "x", "10.00"},
			{int64(2), "y", nil},
			{nil, "z", "-1.00"},
			{int64(1), nil, "0.01"},
		}),
		"empty": memTable(mem, "empty", []arrow.Field{
			{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
			{Name: "y", Type: arrow.BinaryTypes.String, Nullable: true},
		}, nil),
	}
}

// memTable builds an in-memory table from rows of Go values (nil is NULL;
// decimals and dates are given as text).
func memTable(mem memory.Allocator, name string, fields []arrow.Field, rows [][]any) *catalog.MemTable {
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, row := range rows {
		for i, v := range row {
			fb := b.Field(i)
			if v == nil {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.Int64Builder:
				fb.Append(v.(int64))
			case *array.Float64Builder:
				fb.Append(v.(float64))
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.BooleanBuilder:
				fb.Append(v.(bool))
			case *array.Date32Builder:
				days, err := types.ParseDate(v.(string))
				if err != nil {
					panic(err)
				}
				fb.Append(arrow.Date32(days))
			case *array.TimestampBuilder:
				us, err := types.ParseTimestamp(v.(string))
				if err != nil {
					panic(err)
				}
				fb.Append(arrow.Timestamp(us))
			case *array.Decimal128Builder:
				n, err := decimal128.FromString(v.(string), 38, fields[i].Type.(*arrow.Decimal128Type).Scale)
				if err != nil {
					panic(err)
				}
				fb.Append(n)
			}
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	t := catalog.NewMemTable(name, schema)
	if err := t.Append(rec); err != nil {
		panic(err)
	}
	return t
}

// maxFuzzRows bounds what one fuzz query may return (cross joins of
// cross joins grow fast).
const maxFuzzRows = 20000

// checkQuery runs one statement through the whole front end and, for a
// query, the optimizer, the physical planner and the operators, on a
// checked allocator. It fails the test on a panic, an untyped or internal
// error, a record that breaks the type conventions, or a leak.
func checkQuery(t *testing.T, sql string) error {
	t.Helper()
	return checkQueryWithin(t, sql, 5*time.Second)
}

// checkQueryWithin is checkQuery with a deadline for the execution: the
// fuzz targets keep it short (a slow cross join is no finding), the
// bad-input tests long (they run under the race detector too).
func checkQueryWithin(t *testing.T, sql string, limit time.Duration) error {
	t.Helper()
	st, err := parse.Parse(sql)
	if err != nil {
		checkError(t, sql, err)
		return err
	}
	bound, err := binder.Bind(fuzzSchema(), st)
	if err != nil {
		checkError(t, sql, err)
		return err
	}
	q, ok := bound.(*binder.Query)
	if !ok {
		return nil // DDL, SET, COPY ...: bound, but not run here
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	err = runPlan(t, q, mem, limit)
	if err != nil {
		checkError(t, sql, err)
	}
	require.Zero(t, mem.CurrentAlloc(), "leak after %q (error %v)", sql, err)
	return err
}

// runPlan optimizes, builds and runs q, as the engine does, and checks
// every record against the plan's output names and minisql's types.
func runPlan(t *testing.T, q *binder.Query, mem memory.Allocator, limit time.Duration) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	node := optimizer.Optimize(q.Plan)
	p, err := physical.Build(node, physical.Options{BatchSize: 3, Mem: mem})
	if err != nil {
		return err
	}
	g := operators.NewGroup(ctx)
	task := operators.NewTask(g.Context(), mem, operators.WithGroup(g))
	defer func() {
		cerr := p.Root.Close()
		g.Cancel(nil)
		gerr := g.Wait()
		if err == nil {
			err = cerr
		}
		if err == nil && gerr != nil && !errors.Is(gerr, context.Canceled) {
			err = gerr
		}
	}()
	if err := p.Root.Open(task); err != nil {
		return err
	}
	schema := p.Root.Schema()
	require.Equal(t, len(q.Names), schema.NumFields(), "output names and schema disagree")
	for _, f := range schema.Fields() {
		_, terr := types.FromArrow(f.Type)
		require.NoError(t, terr, "non-canonical output type")
	}
	rows := 0
	for rows < maxFuzzRows {
		rec, err := p.Root.Next(task)
		if err != nil {
			return err
		}
		if rec == nil {
			return nil
		}
		rows += int(rec.NumRows())
		ok := rec.NumRows() > 0 && rec.Schema().Equal(schema)
		for _, c := range rec.Columns() {
			ok = ok && c.Len() == int(rec.NumRows())
		}
		rec.Release()
		require.True(t, ok, "record breaks the operator contract (empty, or schema %v, want %v)", rec.Schema(), schema)
	}
	return nil
}

// checkError fails unless err is a typed minisql error of a kind a user
// may see: an internal error or a bare error is a bug.
func checkError(t *testing.T, sql string, err error) {
	t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		return // a slow query (a big cross join): not a finding in itself
	}
	var e *sqlerr.Error
	require.True(t, errors.As(err, &e), "untyped error %T for %q: %v", err, sql, err)
	require.False(t, errors.Is(err, sqlerr.ErrInternal), "internal error for %q: %v", sql, err)
	require.True(t, e.Pos >= sqlerr.NoPos && e.Pos <= len(sql), "position %d outside %q", e.Pos, sql)
}

// watchdog crashes the process when an input runs for more than 20
// seconds, so that the fuzzer records a hang as a failure with its input.
func watchdog(input string) func() {
	timer := time.AfterFunc(20*time.Second, func() {
		panic(fmt.Sprintf("input ran for more than 20s: %q", input))
	})
	return func() { timer.Stop() }
}

// fuzzSeeds are queries over the fuzz schema covering the binder's
// features; the corpus in testdata/fuzz/FuzzBind adds more.
var fuzzSeeds = []string{
	"SELECT a, b FROM t WHERE a > 1 ORDER BY b DESC NULLS LAST LIMIT 2 OFFSET 1",
	"SELECT b, count(*), sum(c), avg(e), min(d), max(a) FROM t GROUP BY b HAVING count(*) > 0 ORDER BY 1",
	"SELECT count(DISTINCT b), sum(DISTINCT a) FROM t",
	"SELECT t.a, u.s FROM t JOIN u ON t.a = u.k LEFT JOIN empty ON empty.x = t.a",
	"SELECT * FROM t WHERE a IN (SELECT k FROM u) AND NOT EXISTS (SELECT 1 FROM u WHERE u.k = t.a + 1)",
	"SELECT a, (SELECT max(m) FROM u WHERE u.k = t.a) FROM t",
	"SELECT a FROM t WHERE a NOT IN (SELECT k FROM u)",
	"WITH w (x, y) AS (SELECT a, b FROM t) SELECT y, sum(x) FROM w GROUP BY y",
	"SELECT * FROM (SELECT a, b FROM t) AS s (x, y) WHERE x > 1",
	"SELECT a FROM t UNION SELECT k FROM u UNION ALL SELECT x FROM empty ORDER BY 1",
	"SELECT CASE WHEN a = 1 THEN 'one' WHEN a > 1 THEN b ELSE NULL END, coalesce(b, 'none'), nullif(a, 2) FROM t",
	"SELECT extract(year FROM d), d + INTERVAL '1' MONTH, d - 3, date_trunc('month', d), d - DATE '1995-01-01' FROM t",
	"SELECT substring(b FROM 1 FOR 2), upper(b), length(b), b || 'x', trim(both 'x' FROM b), b LIKE 'a%' FROM t",
	"SELECT CAST(a AS DOUBLE), CAST(c AS BIGINT), CAST(b AS DATE), CAST(e AS DECIMAL(38,10)), CAST(f AS VARCHAR) FROM t",
	"SELECT a / 2, a DIV 2, a % 3, c * c, c + 1, e * 2, -a, abs(c), round(c, 1), greatest(a, 1), least(e, 0) FROM t",
	"SELECT a BETWEEN 1 AND 2, a IS NULL, f IS NOT TRUE, b IN ('a', 'b', NULL) FROM t",
	"SELECT 1, 'x', NULL, DATE '2000-01-01', true, 1.5, 1e10",
	"SELECT * FROM t, u WHERE t.a = u.k AND u.m > 0",
	"SELECT a, count(*) FROM t RIGHT JOIN u ON t.a = u.k GROUP BY a",
	"EXPLAIN SELECT a FROM t WHERE a = 1",
	"SELECT DISTINCT b FROM t ORDER BY b",
	"SELECT regexp_replace(b, '(a)', '\\1x', 'g'), regexp_extract(b, '[a-z]+', 0), regexp_matches(b, b), split_part(b, 'a', -1), lpad(b, 5, 'xy'), translate(b, 'ab', 'c'), md5(b), chr(a), ascii(b) FROM t",
	"SELECT mod(a, 3), trunc(c, 1), log(2, e), gcd(a, 6), even(e), random() < 2, now() = current_timestamp, current_date, last_day(d), make_date(a, 1, 1), isodow(d) FROM t",
	"CREATE TABLE n (a INT, b VARCHAR)", "INSERT INTO t SELECT * FROM t", "DROP TABLE t", "SET threads = 1",
	"SELECT sum(a) FROM t", "SELECT a + 1 FROM t", "SELECT 9223372036854775807 + 1", "SELECT 1 / 0",
	"SELECT a, b, count(*), grouping(a, b) FROM t GROUP BY ROLLUP (a, b) HAVING grouping(a) = 0 ORDER BY 4 DESC",
	"SELECT a, d, sum(c), grouping_id(d) FROM t GROUP BY a, CUBE (d, (b, f)) ORDER BY ALL",
	"SELECT b, count(DISTINCT a) FROM t GROUP BY GROUPING SETS ((b), (), ROLLUP (e)), b WITH ROLLUP",
	"WITH RECURSIVE r (n, s) AS (SELECT a, b FROM t WHERE a = 1 UNION ALL SELECT r.n + 1, r.s || u.s FROM r JOIN u ON u.k = r.n WHERE r.n < 5) SELECT n, s FROM r ORDER BY n",
	"WITH RECURSIVE r (n) AS (SELECT k FROM u UNION SELECT (n * 7 + 1) % 10 FROM r), w AS (SELECT n FROM r) SELECT count(*) FROM w, r AS r2 WHERE w.n = r2.n",
}

// FuzzBind runs arbitrary text through parse, bind, optimize, build and
// execute over the small schema.
func FuzzBind(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		defer watchdog(sql)()
		checkQuery(t, sql)
	})
}

// FuzzPlanGen runs random queries written by sqlGen from the fuzzer's
// bytes: mostly valid SQL, so the binder, the decorrelation, the optimizer
// rules and the operators all get exercised, not only the syntax errors.
func FuzzPlanGen(f *testing.F) {
	for _, s := range []string{"", "\x01", "\x05\x03\x07\x01\x02", "\x0b\x02\x09\x04\x01\x03\x03", "\xff\xfe\xfd\xfc"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &sqlGen{data: data}
		sql := g.query()
		defer watchdog(sql)()
		checkQuery(t, sql)
	})
}

// TestBindBadInput is the binder's part of the bad-input catalogue and the
// regression tests of what fuzzing found: each statement gives a clear
// error of the right kind, quickly, without a panic.
func TestBindBadInput(t *testing.T) {
	list := func(item string, n int) string { return strings.TrimSuffix(strings.Repeat(item+", ", n), ", ") }
	cases := []struct {
		name string
		sql  string
		kind error  // nil: must succeed
		msg  string // expected message fragment
	}{
		{"unknown table", "SELECT * FROM nosuch", sqlerr.ErrUnknownTable, "nosuch"},
		{"unknown column", "SELECT nosuch FROM t", sqlerr.ErrUnknownColumn, "nosuch"},
		{"ambiguous column", "SELECT a FROM t, t AS t2", sqlerr.ErrAmbiguous, "a"},
		{"unknown function", "SELECT nosuch(a) FROM t", sqlerr.ErrUnknownFunc, "nosuch"},
		{"type mismatch", "SELECT a + b FROM t", sqlerr.ErrType, ""},
		{"not a boolean", "SELECT a FROM t WHERE a", sqlerr.ErrType, "boolean"},
		{"compare date and number", "SELECT d = 1 FROM t", sqlerr.ErrType, "compare"},
		{"bad date literal", "SELECT DATE '2021-02-30'", sqlerr.ErrInvalidValue, "2021-02-30"},
		{"bad cast literal", "SELECT CAST('abc' AS INTEGER)", sqlerr.ErrInvalidValue, "abc"},
		{"unknown type", "SELECT CAST(a AS BLOB) FROM t", sqlerr.ErrType, "BLOB"},
		{"decimal precision", "SELECT CAST(a AS DECIMAL(39, 2)) FROM t", sqlerr.ErrType, "precision"},
		{"aggregate in WHERE", "SELECT a FROM t WHERE sum(a) > 1", sqlerr.ErrSyntax, "sum"},
		{"nested aggregate", "SELECT sum(max(a)) FROM t", sqlerr.ErrSyntax, "inside another aggregate"},
		{"ungrouped column", "SELECT a, count(*) FROM t", sqlerr.ErrSyntax, "GROUP BY"},
		{"union arity", "SELECT a FROM t UNION SELECT a, b FROM t", sqlerr.ErrSyntax, "columns"},
		{"huge integer literal", "SELECT 1" + strings.Repeat("0", 400), sqlerr.ErrInvalidValue, "out of range"},
		{"interval amount", "SELECT d + INTERVAL 'x' DAY FROM t", sqlerr.ErrInvalidValue, "interval"},
		// Found by FuzzPlanGen: sqlparser folds the minus into the literal,
		// and the ordinal's digits were read with '-' as a digit.
		{"negative ORDER BY position", "SELECT a FROM t ORDER BY -1", sqlerr.ErrSyntax, "ORDER BY position -1 is not"},
		{"huge ORDER BY position", "SELECT a FROM t ORDER BY 99999999999999999999", sqlerr.ErrSyntax, "position 99999999999999999999"},
		{"negative GROUP BY position", "SELECT a FROM t GROUP BY -2", sqlerr.ErrSyntax, "GROUP BY position -2 is not"},
		// Found by the bad-input catalogue: the pre-lexer's internal CAST
		// name, written by hand, indexed a missing argument.
		{"__cast with one argument", "SELECT __cast(1)", sqlerr.ErrUnknownFunc, "__cast"},
		{"__cast with a column type", "SELECT __cast(1, b) FROM t", sqlerr.ErrUnknownFunc, "__cast"},
		{"__cast written by hand", "SELECT __cast('1', 'INTEGER') + 1", nil, ""},
		// Found by FuzzPlanGen: subqueries of an aggregating SELECT join
		// above the Aggregate, but a GROUP BY key naming one, or a join
		// condition naming a column that is not grouped, failed in the
		// physical planner with an internal error.
		{"IN subquery inside a GROUP BY key", "SELECT CASE WHEN x IN (SELECT a FROM t) THEN 1 ELSE x END FROM empty GROUP BY 1", sqlerr.ErrNotSupported, "GROUP BY key"},
		{"IN subquery over an ungrouped column", "SELECT a IN (SELECT k FROM u), count(*) FROM t GROUP BY b", sqlerr.ErrSyntax, `column "a" must appear in the GROUP BY`},
		{"IN subquery over a grouped expression", "SELECT (b || 'x') IN (SELECT s FROM u), count(*) FROM t GROUP BY b || 'x'", nil, ""},
		{"scalar subquery over a grouped column", "SELECT a, (SELECT max(k) FROM u WHERE u.k = t.a) FROM t GROUP BY a", nil, ""},
		// Found by FuzzPlanGen: in "a, b JOIN c ON ...", ON saw a's columns,
		// and the plan then failed with an internal error; as in standard
		// SQL, ON and USING see only the join's own operands.
		{"ON naming an earlier FROM item", "SELECT 1 FROM t AS q1, t AS q2 LEFT OUTER JOIN t AS q3 ON (q1.a = 1)", sqlerr.ErrUnknownTable, "q1"},
		{"USING naming an earlier FROM item", "SELECT 1 FROM u AS u0, t JOIN u USING (k)", sqlerr.ErrUnknownColumn, "USING"},
		{"ON over the join's operands after a comma", "SELECT count(*) FROM u AS u0, t JOIN u ON t.a = u.k", nil, ""},
		// Found by FuzzBind: a subquery's select list naming the same outer
		// column as its WHERE clause was not seen as correlated outside
		// WHERE (the check counted distinct outer columns).
		{"outer column in a subquery's select list and WHERE", "SELECT (SELECT (a) FROM u WHERE 0 = a) FROM t", sqlerr.ErrNotSupported, "outside the subquery's WHERE"},
		{"outer column in a subquery's HAVING and WHERE", "SELECT (SELECT count(*) FROM u WHERE k = a HAVING a > 0) FROM t", sqlerr.ErrNotSupported, "outside the subquery's WHERE"},
		// Found by the 10-minute FuzzPlanGen run: a subquery naming a column
		// two queries out became a join condition one level in, where the
		// column does not exist (internal error in the physical planner).
		{"IN correlated two levels out", "SELECT k FROM u WHERE k IN (SELECT x FROM empty WHERE u.k IN (SELECT a FROM t))", sqlerr.ErrNotSupported, "more than one level out"},
		{"EXISTS correlated two levels out", "SELECT k FROM u WHERE EXISTS (SELECT 1 FROM empty WHERE EXISTS (SELECT 1 FROM t WHERE t.a = u.k))", sqlerr.ErrNotSupported, "more than one level out"},
		{"scalar subquery correlated two levels out", "SELECT (SELECT max(x) FROM empty WHERE x = (SELECT max(a) FROM t WHERE t.a = u.k)) FROM u", sqlerr.ErrNotSupported, "level"},
		{"nested subqueries correlated one level each", "SELECT k FROM u WHERE EXISTS (SELECT 1 FROM t WHERE t.a = u.k AND t.b IN (SELECT s FROM u AS u2))", nil, ""},
		// Deep and large expressions: an error or a result, never a stack
		// overflow or an exponential blow-up.
		{"5,000-term sum", "SELECT a" + strings.Repeat("+a", 5000) + " FROM t", sqlerr.ErrNotSupported, "nesting deeper than 1000"},
		{"999-term sum", "SELECT a" + strings.Repeat("+a", 998) + " FROM t", sqlerr.ErrOverflow, ""},
		{"10,000 NOTs", "SELECT " + strings.Repeat("NOT ", 10000) + "true", sqlerr.ErrNotSupported, "nesting"},
		{"nested CASE", "SELECT " + strings.Repeat("CASE WHEN true THEN ", 2000) + "1" + strings.Repeat(" END", 2000), sqlerr.ErrNotSupported, "nesting"},
		{"5,000-term OR", "SELECT a FROM t WHERE " + strings.Repeat("a = 1 OR ", 5000) + "a = 2", nil, ""},
		{"5,000-term AND", "SELECT a FROM t WHERE " + strings.Repeat("a = 1 AND ", 5000) + "a = 2", nil, ""},
		{"5,000-term OR in SELECT", "SELECT " + strings.Repeat("f OR ", 5000) + "f FROM t", nil, ""},
		{"20,000-item IN list", "SELECT a IN (" + list("1", 20000) + ") FROM t", nil, ""},
		// Each SELECT of a UNION lexed the whole statement up to six times
		// to find its clauses: 2,000 branches took 30 seconds to bind.
		{"200-branch UNION ALL", "SELECT a FROM t" + strings.Repeat(" UNION ALL SELECT a FROM t WHERE a > 0", 200), nil, ""},
		// || used to bind to a CASE naming its left operand twice: a chain
		// of n grew as 2^n.
		{"500 concatenations", "SELECT b" + strings.Repeat(" || b", 500) + " FROM t", nil, ""},
		// greatest and least were CASEs naming the running result three
		// times: 12 arguments took seconds, 20 never finished.
		{"greatest of 1,000", "SELECT greatest(" + list("a", 1000) + ", NULL) FROM t", nil, ""},
		{"least of 1,000", "SELECT least(" + list("e", 1000) + ") FROM t", nil, ""},
		// nullif and simple CASE still name an operand twice: nested, they
		// hit the size limit instead of running for ever.
		{"nested nullif", "SELECT " + strings.Repeat("nullif(", 100) + "a" + strings.Repeat(", 1)", 100) + " FROM t", sqlerr.ErrNotSupported, "larger than"},
		{"nested simple CASE", "SELECT " + strings.Repeat("CASE ", 60) + "a" + strings.Repeat(" WHEN 1 THEN 1 WHEN 2 THEN 2 END", 60) + " FROM t", sqlerr.ErrNotSupported, "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			err := checkQueryWithin(t, tc.sql, 2*time.Minute)
			// Generous for the race detector on a shared machine; what it
			// catches is the quadratic or exponential blow-up (minutes).
			require.Less(t, time.Since(start), 60*time.Second, "took too long")
			if tc.kind == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			t.Log(err)
			require.ErrorIs(t, err, tc.kind)
			require.Contains(t, err.Error(), tc.msg)
		})
	}
}

// TestBindLongUnion: each SELECT of a UNION lexed the whole statement up to
// six times to find its clauses, so binding 2,000 branches took 30 s.
func TestBindLongUnion(t *testing.T) {
	sql := "SELECT a FROM t" + strings.Repeat(" UNION ALL SELECT a FROM t WHERE a > 0", 2000) + " ORDER BY 1"
	st, err := parse.Parse(sql)
	require.NoError(t, err)
	start := time.Now()
	_, err = binder.Bind(fuzzSchema(), st)
	require.NoError(t, err)
	require.Less(t, time.Since(start), 10*time.Second)
}
