package operators

import (
	"context"
	"errors"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
)

// keptRows is the (k, s) rows of recs in order.
func keptRows(recs []arrow.Record) (ks []int64, ss []string) {
	for _, r := range recs {
		k, s := r.Column(0).(*array.Int64), r.Column(1).(*array.String)
		for i := 0; i < int(r.NumRows()); i++ {
			ks = append(ks, k.Value(i))
			ss = append(ss, s.Value(i))
		}
	}
	return ks, ss
}

func TestKeptBatchesJoinSmallBatches(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "s", Type: arrow.BinaryTypes.String}}, nil)
	for _, tc := range []struct {
		name  string
		loose int   // records kept as they came before joining
		sizes []int // rows of each batch added
		want  []int // rows of each kept record
	}{
		{"fewer rows than a chunk: kept as they came", 0, []int{1000, 2000, 5}, []int{1000, 2000, 5}},
		{"joined once there is a chunk", 0, []int{keptChunkRows / 2, keptChunkRows / 2, 7}, []int{keptChunkRows, 7}},
		{"a chunk may run over", 0, []int{keptChunkRows - 1, 3, 10, 10}, []int{keptChunkRows + 2, 10, 10}},
		{"a large batch alone is kept", 0, []int{2 * keptChunkRows, 100, keptChunkRows}, []int{2 * keptChunkRows, keptChunkRows + 100}},
		{"empty batches", 0, []int{0, 0, 3}, []int{0, 0, 3}},
		{"the first records are kept loose", 2, []int{keptChunkRows / 2, keptChunkRows / 2, keptChunkRows / 2, keptChunkRows / 2, 9}, []int{keptChunkRows / 2, keptChunkRows / 2, keptChunkRows, 9}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			task := NewTask(context.Background(), mem)
			k := newKeptBatches(sc)
			k.loose = tc.loose
			var want []arrow.Record
			start := 0
			for _, n := range tc.sizes {
				rec := buildTestRecord(mem, sc, start, n)
				start += n
				rec.Retain()
				want = append(want, rec)
				require.NoError(t, k.add(task, rec))
			}
			got := k.done()
			var rows []int
			var bytes int64
			for _, r := range got {
				rows = append(rows, int(r.NumRows()))
				bytes += recordBytes(r)
			}
			require.Equal(t, tc.want, rows)
			require.Equal(t, bytes, k.bytes, "the memory of what is kept")
			wk, ws := keptRows(want)
			gk, gs := keptRows(got)
			require.Equal(t, wk, gk)
			require.Equal(t, ws, gs)
			for _, r := range want {
				r.Release()
			}
			k.release()
		})
	}
}

func TestKeptBatchesKeepTypesThatCannotBeJoined(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{{Name: "i", Type: arrow.FixedWidthTypes.MonthDayNanoInterval}}, nil)
	k := newKeptBatches(sc)
	k.loose = 0
	task := NewTask(context.Background(), mem)
	for range 3 {
		b := array.NewRecordBuilder(mem, sc)
		for range keptChunkRows / 2 {
			b.Field(0).AppendNull()
		}
		require.NoError(t, k.add(task, b.NewRecord()))
		b.Release()
	}
	require.Len(t, k.done(), 3)
	k.release()
}

// A cancel while batches are being joined leaves them kept, and release
// frees them: nothing leaks.
func TestKeptBatchesCancelledWhileJoining(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "s", Type: arrow.BinaryTypes.String}}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	task := NewTask(ctx, mem)
	k := newKeptBatches(sc)
	k.loose = 0
	require.NoError(t, k.add(task, buildTestRecord(mem, sc, 0, keptChunkRows-1)))
	cancel()
	err := k.add(task, buildTestRecord(mem, sc, keptChunkRows, 10))
	require.True(t, errors.Is(err, context.Canceled), "got %v", err)
	k.release()
}
