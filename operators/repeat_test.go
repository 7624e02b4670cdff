package operators

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
)

var repeatIn = arrow.NewSchema([]arrow.Field{
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)

var repeatOut = arrow.NewSchema([]arrow.Field{repeatIn.Field(0), repeatIn.Field(2)}, nil)

// repeatRow is one input row of a Repeat test; a nil pointer is NULL.
type repeatRow struct {
	s     *string
	count *int64
	k     int64
}

func strp(s string) *string { return &s }
func intp(v int64) *int64   { return &v }

// repeatBatch builds one input batch (count in the middle column).
func repeatBatch(mem memory.Allocator, rows []repeatRow) arrow.Record {
	sb := array.NewStringBuilder(mem)
	nb := array.NewInt64Builder(mem)
	kb := array.NewInt64Builder(mem)
	defer sb.Release()
	defer nb.Release()
	defer kb.Release()
	for _, r := range rows {
		if r.s == nil {
			sb.AppendNull()
		} else {
			sb.Append(*r.s)
		}
		if r.count == nil {
			nb.AppendNull()
		} else {
			nb.Append(*r.count)
		}
		kb.Append(r.k)
	}
	cols := []arrow.Array{sb.NewArray(), nb.NewArray(), kb.NewArray()}
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	return array.NewRecord(repeatIn, cols, int64(len(rows)))
}

// drainRepeat runs a Repeat and returns its rows in order, as "s,k", and
// the size of each batch.
func drainRepeat(t *testing.T, task *Task, op Operator) ([]string, []int) {
	t.Helper()
	require.NoError(t, op.Open(task))
	var rows []string
	var sizes []int
	for {
		rec, err := op.Next(task)
		require.NoError(t, err)
		if rec == nil {
			break
		}
		require.True(t, rec.Schema().Equal(repeatOut))
		sizes = append(sizes, int(rec.NumRows()))
		for i := range int(rec.NumRows()) {
			rows = append(rows, rec.Column(0).ValueStr(i)+","+rec.Column(1).ValueStr(i))
		}
		rec.Release()
	}
	require.NoError(t, op.Close())
	require.NoError(t, op.Close(), "Close is idempotent")
	return rows, sizes
}

func TestRepeat(t *testing.T) {
	a, b := strp("a"), strp("b")
	cases := []struct {
		name    string
		batches [][]repeatRow
		batch   int
		want    []string
		sizes   []int
	}{
		{"counts", [][]repeatRow{{{a, intp(2), 1}, {b, intp(1), 2}, {nil, intp(3), 3}}}, 100,
			[]string{"a,1", "a,1", "b,2", "(null),3", "(null),3", "(null),3"}, []int{6}},
		{"null, zero and negative counts emit nothing", [][]repeatRow{{{a, nil, 1}, {b, intp(0), 2}, {a, intp(-5), 3}, {b, intp(1), 4}}}, 100,
			[]string{"b,4"}, []int{1}},
		{"a batch that emits nothing is skipped", [][]repeatRow{{{a, intp(0), 1}}, {{b, intp(2), 2}}}, 100,
			[]string{"b,2", "b,2"}, []int{2}},
		{"no rows at all", [][]repeatRow{{{a, intp(0), 1}, {b, nil, 2}}}, 100, nil, nil},
		{"a count spans batches", [][]repeatRow{{{a, intp(5), 1}, {b, intp(1), 2}}}, 2,
			[]string{"a,1", "a,1", "a,1", "a,1", "a,1", "b,2"}, []int{2, 2, 2}},
		{"an output batch never spans input batches", [][]repeatRow{{{a, intp(1), 1}}, {{b, intp(1), 2}}}, 100,
			[]string{"a,1", "b,2"}, []int{1, 1}},
		{"batch of one", [][]repeatRow{{{a, intp(2), 1}, {b, intp(1), 2}}}, 1,
			[]string{"a,1", "a,1", "b,2"}, []int{1, 1, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			var recs []arrow.Record
			for _, rows := range c.batches {
				recs = append(recs, repeatBatch(mem, rows))
			}
			op, err := NewRepeat(NewRecords(repeatIn, recs, "in"), 1, repeatOut, c.batch)
			require.NoError(t, err)
			for _, r := range recs {
				r.Release()
			}
			rows, sizes := drainRepeat(t, NewTask(context.Background(), mem), op)
			assert.Equal(t, c.want, rows)
			assert.Equal(t, c.sizes, sizes)
		})
	}
}

// TestRepeatBoundsStringBytes: long strings repeated come in batches of
// at most repeatBytes (but at least one row each), not a batch of rows.
func TestRepeatBoundsStringBytes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	long := strings.Repeat("x", 1<<20)
	huge := strings.Repeat("y", 5<<20)
	rec := repeatBatch(mem, []repeatRow{{strp(long), intp(10), 1}, {strp(huge), intp(2), 2}, {strp("z"), intp(3), 3}})
	op, err := NewRepeat(NewRecords(repeatIn, []arrow.Record{rec}, "in"), 1, repeatOut, 8192)
	require.NoError(t, err)
	rec.Release()
	rows, sizes := drainRepeat(t, NewTask(context.Background(), mem), op)
	require.Len(t, rows, 15)
	// 4 x 1 MiB fit in 4 MiB; the 5 MiB string comes alone, one row a
	// batch; the short strings follow it.
	assert.Equal(t, []int{4, 4, 2, 1, 1, 3}, sizes)
}

func TestNewRepeatRejectsABadCountColumn(t *testing.T) {
	for _, c := range []struct {
		name   string
		count  int
		schema *arrow.Schema
	}{
		{"a string count", 0, repeatOut},
		{"out of range", 3, repeatOut},
		{"negative", -1, repeatOut},
		{"wrong output width", 1, repeatIn},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewRepeat(NewRecords(repeatIn, nil, "in"), c.count, c.schema, 10)
			require.ErrorIs(t, err, sqlerr.ErrInternal)
		})
	}
}

// TestRepeatHugeCountCancels: a row repeated 10^15 times is emitted a
// batch at a time, and a cancel stops it promptly with nothing leaked
// (TestMain checks goroutines, the allocator every buffer).
func TestRepeatHugeCountCancels(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := repeatBatch(mem, []repeatRow{{strp("a"), intp(1e15), 1}})
	op, err := NewRepeat(NewRecords(repeatIn, []arrow.Record{rec}, "in"), 1, repeatOut, 1024)
	require.NoError(t, err)
	rec.Release()
	maxBatch := int64(0)
	cancelDuring(t, op, 20*time.Millisecond, func(task *Task) error {
		err := op.Open(task)
		for err == nil {
			var out arrow.Record
			if out, err = op.Next(task); out != nil {
				maxBatch = max(maxBatch, out.NumRows())
				out.Release()
			} else if err == nil {
				err = errGen // the end: 10^15 rows cannot have gone by
			}
		}
		return err
	}, mem)
	assert.Equal(t, int64(1024), maxBatch)
}
