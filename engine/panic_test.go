package engine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/sqlerr"
)

// Panics in query execution must come back as errors that name the
// operator, with the engine still usable and nothing leaked. boomTable is
// a test-only table whose scan panics at a chosen point.

// Where boomTable panics.
const (
	boomInNext     = "Next"     // a unit reader's Next, after a few batches
	boomInOpenUnit = "OpenUnit" // the source opening a unit of work
	boomInClose    = "Close"    // a unit reader's Close
	boomInSource   = "Source"   // the table making its scan source (planning)
)

// boomMessage is the panic value, so the test can find it in the error.
const boomMessage = "boom: test-only panic"

var boomSchema = arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

// boomTable has one BIGINT column x: 4 units of 4 batches of 100 rows
// each (x = 0, 1, 2, ...), and panics where `at` says.
type boomTable struct{ at string }

func (b *boomTable) Name() string          { return "boom" }
func (b *boomTable) Schema() *arrow.Schema { return boomSchema }
func (b *boomTable) Stats() catalog.Stats  { return catalog.Stats{RowCount: 1600} }
func (b *boomTable) Source(catalog.ScanRequest) (operators.Source, error) {
	if b.at == boomInSource {
		panic(boomMessage)
	}
	return &boomSource{at: b.at}, nil
}

type boomSource struct{ at string }

func (s *boomSource) Schema() *arrow.Schema { return boomSchema }
func (s *boomSource) Units() int            { return 4 }
func (s *boomSource) Describe() string      { return "boom" }
func (s *boomSource) Close() error          { return nil }
func (s *boomSource) OpenUnit(_ *operators.Task, i int) (operators.UnitReader, error) {
	if s.at == boomInOpenUnit && i == 1 {
		panic(boomMessage)
	}
	return &boomUnit{at: s.at, unit: i}, nil
}

type boomUnit struct {
	at   string
	unit int
	done int
}

func (u *boomUnit) Next(t *operators.Task) (arrow.Record, error) {
	if u.at == boomInNext && u.unit == 1 && u.done == 2 {
		panic(boomMessage)
	}
	if u.done == 4 {
		return nil, nil
	}
	b := array.NewInt64Builder(t.Alloc())
	defer b.Release()
	for i := 0; i < 100; i++ {
		b.Append(int64(u.unit*400 + u.done*100 + i))
	}
	u.done++
	col := b.NewArray()
	defer col.Release()
	return array.NewRecord(boomSchema, []arrow.Array{col}, 100), nil
}

func (u *boomUnit) Close() error {
	if u.at == boomInClose {
		panic(boomMessage)
	}
	return nil
}

// runBoom runs sql to the end and returns its error; a panic that escaped
// the engine (a bug) is recovered and returned as escaped, so the test can
// report it instead of crashing.
func runBoom(e *engine.Engine, sql string) (escaped any, err error) {
	defer func() {
		if r := recover(); r != nil {
			escaped = r
		}
	}()
	rows, err := e.Query(context.Background(), sql)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
	}
	err = rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return nil, err
}

// stillAnswers checks the engine still runs a query correctly.
func stillAnswers(t *testing.T, e *engine.Engine) {
	t.Helper()
	rows, err := e.Query(context.Background(), "SELECT count(*), sum(a) FROM plain")
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "no row: %v", rows.Err())
	require.Equal(t, "1000", rows.Record().Column(0).ValueStr(0))
	require.Equal(t, "499500", rows.Record().Column(1).ValueStr(0))
	require.False(t, rows.Next())
	require.NoError(t, rows.Err())
}

// boomQueries put the panicking scan under each kind of operator.
var boomQueries = []string{
	"SELECT count(*) FROM boom",
	"SELECT x FROM boom WHERE x % 3 = 0 ORDER BY x DESC LIMIT 5",
	"SELECT plain.a, boom.x FROM plain JOIN boom ON plain.a = boom.x",
	"SELECT boom.x, plain.a FROM boom LEFT JOIN plain ON plain.a = boom.x",
	"SELECT x % 7, count(*) FROM boom GROUP BY 1",
	"SELECT x FROM boom UNION ALL SELECT a FROM plain",
	"SELECT a FROM plain WHERE a IN (SELECT x FROM boom)",
}

// checkBoom runs sql over a boomTable panicking at `at` and checks the
// outcome: an internal error naming the operator (Scan) and the panic,
// nothing leaked (buffers, goroutines, admission slots), the engine still
// answering.
func checkBoom(t *testing.T, threads int, at, sql string) {
	ignore := goleak.IgnoreCurrent()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	settings := engine.DefaultSettings()
	settings.Threads = threads
	e := engine.Open(engine.WithAllocator(mem), engine.WithSettings(settings))
	defer e.Close()
	_, err := e.Exec(context.Background(), "CREATE TABLE plain AS SELECT range AS a FROM range(1000)")
	require.NoError(t, err)
	require.NoError(t, e.Register(&boomTable{at: at}, false))
	base, slots := mem.CurrentAlloc(), e.FreeSlots()

	escaped, err := runBoom(e, sql)
	require.Nil(t, escaped, "the panic escaped the engine")
	require.Error(t, err)
	t.Log(strings.SplitN(err.Error(), "\n", 2)[0])
	require.True(t, errors.Is(err, sqlerr.ErrInternal), "got %v", err)
	require.Contains(t, err.Error(), "panic in Scan", "the error must name the operator")
	require.Contains(t, err.Error(), boomMessage)

	require.Equal(t, base, mem.CurrentAlloc(), "buffers leaked")
	require.Equal(t, slots, e.FreeSlots(), "admission slot leaked")
	require.NoError(t, goleak.Find(ignore), "goroutines leaked")
	stillAnswers(t, e)
}

// TestPanicInOperatorIsAnError makes a scan panic in its unit reader's
// Next and in its source's OpenUnit, under every kind of operator, with
// one and two threads.
func TestPanicInOperatorIsAnError(t *testing.T) {
	for _, threads := range []int{1, 2} {
		for _, at := range []string{boomInNext, boomInOpenUnit} {
			for _, sql := range boomQueries {
				t.Run(fmt.Sprintf("threads=%d/%s/%s", threads, at, sql), func(t *testing.T) {
					checkBoom(t, threads, at, sql)
				})
			}
		}
	}
}

// TestPanicInCloseIsAnError: a panic in a unit reader's Close.
func TestPanicInCloseIsAnError(t *testing.T) {
	t.Skip("BUG: a panic in a scan's Close is not recovered into an error naming the operator. " +
		"threads=1: the first panic (the Close at the end of a unit, inside Scan.Next) becomes 'panic in Scan', " +
		"but Rows.Close then closes the plan, Scan.Close calls the reader's Close again, and that panic escapes " +
		"Rows.Close. threads=2: the worker's teardown reports 'panic in gather worker N'. " +
		"operators.Instrumented recovers only in Next, not in Open or Close, and Rows.Close has no recover")
	for _, threads := range []int{1, 2} {
		for _, sql := range boomQueries {
			t.Run(fmt.Sprintf("threads=%d/%s", threads, sql), func(t *testing.T) {
				checkBoom(t, threads, boomInClose, sql)
			})
		}
	}
}

// TestPanicWhilePlanningIsAnError: a panic in catalog.Table.Source, which
// the physical planner calls while it builds the scan.
func TestPanicWhilePlanningIsAnError(t *testing.T) {
	t.Skip("BUG: a panic in catalog.Table.Source (called by physical.Build from Session.run) escapes " +
		"Engine.Query and would crash the process: planning is not covered by any recover")
	for _, sql := range boomQueries {
		t.Run(sql, func(t *testing.T) { checkBoom(t, 1, boomInSource, sql) })
	}
}

// A bug that panics while binding must fail the statement, not the
// program: the engine and its tables stay usable. (The binder once read
// extract()'s first argument before counting them.)
func TestPanicWhileBindingIsAnError(t *testing.T) {
	e := engine.Open()
	defer e.Close()
	_, err := e.Exec(context.Background(), "CREATE TABLE kept AS SELECT 1 AS x")
	require.NoError(t, err)
	// No query panics the binder on purpose any more; call the recovery
	// the way the engine does, with a panic standing for such a bug.
	err = engine.RecoverPlanningForTest(func() { panic("binder bug") })
	require.ErrorIs(t, err, sqlerr.ErrInternal)
	require.Contains(t, err.Error(), "panic while planning: binder bug")
	_, err = e.Exec(context.Background(), "SELECT extract()")
	require.ErrorIs(t, err, sqlerr.ErrType)
	_, err = e.Exec(context.Background(), "SELECT x FROM kept")
	require.NoError(t, err)
}
