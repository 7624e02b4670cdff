package operators

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// batchRows drains op and returns the row count of every batch.
func batchRows(t *testing.T, task *Task, op Operator) []int {
	t.Helper()
	require.NoError(t, op.Open(task))
	var out []int
	for {
		rec, err := op.Next(task)
		require.NoError(t, err)
		if rec == nil {
			break
		}
		out = append(out, int(rec.NumRows()))
		rec.Release()
	}
	require.NoError(t, op.Close())
	return out
}

// TestGatherBatches: operators that build output by gathering rows from
// all over their state emit at most gatherRows rows a batch, whatever the
// session's batch size; an aggregate with fixed-width keys keeps it.
func TestGatherBatches(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	var recs []arrow.Record
	for start := 0; start < 10000; start += 1000 {
		rec := buildTestRecord(mem, sc, start, 1000)
		recs = append(recs, rec)
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	task := NewTask(context.Background(), mem)
	count := []AggSpec{{Kind: AggCountStar, Out: types.Int64Type}}
	outSc := func(key arrow.Field) *arrow.Schema {
		return arrow.NewSchema([]arrow.Field{key, {Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	}

	sorted := batchRows(t, task, NewSort(NewRecords(sc, recs, "t"), []SortKey{{Col: 0, Desc: true}}, 8192))
	assert.Equal(t, []int{2048, 2048, 2048, 2048, 1808}, sorted)

	byString, err := NewHashAggregate(NewRecords(sc, recs, "t"), []int{1}, count, outSc(sc.Field(1)), 8192)
	require.NoError(t, err)
	assert.Equal(t, []int{2048, 2048, 2048, 2048, 1808}, batchRows(t, task, byString))

	byInt, err := NewHashAggregate(NewRecords(sc, recs, "t"), []int{0}, count, outSc(sc.Field(0)), 8192)
	require.NoError(t, err)
	assert.Equal(t, []int{8192, 1808}, batchRows(t, task, byInt))
}

// buildTestRecord makes rows start.. start+n-1 of (k BIGINT, s VARCHAR),
// every key distinct.
func buildTestRecord(mem memory.Allocator, sc *arrow.Schema, start, n int) arrow.Record {
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	for i := start; i < start+n; i++ {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("key %d", i))
	}
	return b.NewRecord()
}
