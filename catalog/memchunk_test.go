package catalog_test

import (
	"context"
	"fmt"
	"testing"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/operators"
)

var chunkSchema = arrow.NewSchema([]arrow.Field{
	{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "d", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean},
}, nil)

// chunkBatch returns rows [from, from+n) of a table whose every value is
// derived from its row number, NULLs included.
func chunkBatch(mem memory.Allocator, from, n int) arrow.Record {
	b := array.NewRecordBuilder(mem, chunkSchema)
	defer b.Release()
	for r := from; r < from+n; r++ {
		if r%7 == 0 {
			b.Field(0).AppendNull()
			b.Field(2).AppendNull()
		} else {
			b.Field(0).(*array.Int64Builder).Append(int64(r))
			b.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("row %d", r))
		}
		b.Field(1).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(r) * 3))
		b.Field(3).(*array.BooleanBuilder).Append(r%3 == 0)
	}
	return b.NewRecord()
}

// TestMemTableChunks appends batches of various sizes, one append at a
// time or all at once, and reads the table back through its source.
func TestMemTableChunks(t *testing.T) {
	const chunk = catalog.MemChunkRows
	tests := []struct {
		name    string
		batches []int
		oneCall bool // all batches in one Append
	}{
		{"smaller than a chunk", []int{3, 5, 1000}, false},
		{"exactly a chunk", []int{chunk}, false},
		{"small batches across chunks", repeat(8192, 2*chunk/8192+3), false},
		{"one large batch", []int{2*chunk + 17}, false},
		{"uneven batches in one call", []int{chunk - 1, 2, chunk + 5, 9}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			m := catalog.NewMemTable("t", chunkSchema)
			var recs []arrow.Record
			total := 0
			for _, n := range tt.batches {
				recs = append(recs, chunkBatch(mem, total, n))
				total += n
			}
			if tt.oneCall {
				require.NoError(t, m.Append(recs...))
			} else {
				for _, r := range recs {
					require.NoError(t, m.Append(r))
				}
			}
			for _, r := range recs {
				r.Release()
			}
			if total%chunk == 0 {
				require.Zero(t, mem.CurrentAlloc(), "every row was copied into chunks; the batches are gone")
			} else {
				require.NotZero(t, mem.CurrentAlloc(), "the rows past the last chunk stay as they came")
			}
			requireRows(t, m, total)
			m.Release()
		})
	}
}

// requireRows checks that m holds rows [0, total) of chunkBatch's table,
// in order.
func requireRows(t *testing.T, m *catalog.MemTable, total int) {
	t.Helper()
	require.Equal(t, int64(total), m.Stats().RowCount)
	want := chunkBatch(memory.DefaultAllocator, 0, total)
	defer want.Release()
	for c, col := range readTable(t, m) {
		require.True(t, array.Equal(want.Column(c), col), "column %s", chunkSchema.Field(c).Name)
		col.Release()
	}
}

func repeat(n, times int) []int {
	out := make([]int, times)
	for i := range out {
		out[i] = n
	}
	return out
}

// readTable reads every unit of m's source in order and returns each
// column whole.
func readTable(t *testing.T, m *catalog.MemTable) []arrow.Array {
	cols := make([][]arrow.Array, 4)
	eachBatch(t, m, []int{0, 1, 2, 3}, 5000, func(rec arrow.Record) {
		for c := range cols {
			rec.Column(c).Retain()
			cols[c] = append(cols[c], rec.Column(c))
		}
	})
	out := make([]arrow.Array, len(cols))
	for c, parts := range cols {
		whole, err := array.Concatenate(parts, memory.DefaultAllocator)
		require.NoError(t, err)
		out[c] = whole
		for _, p := range parts {
			p.Release()
		}
	}
	return out
}

// AppendFrom takes the other table's chunks as they are when the table
// has no tail (INSERT ... SELECT into an empty or chunk-aligned table),
// and copies rows through Append otherwise; either way the rows read back
// in order.
func TestMemTableAppendFromSharesChunks(t *testing.T) {
	const chunk = catalog.MemChunkRows
	for _, tc := range []struct {
		name   string
		before int // rows the table has before
		shared bool
	}{
		{"empty table", 0, true},
		{"a whole chunk before", chunk, true},
		{"a tail before", 100, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			m := catalog.NewMemTable("t", chunkSchema)
			defer m.Release()
			if tc.before > 0 {
				r := chunkBatch(mem, 0, tc.before)
				require.NoError(t, m.Append(r))
				r.Release()
			}
			o := catalog.NewMemTable("tmp", chunkSchema)
			defer o.Release()
			r := chunkBatch(mem, tc.before, 2*chunk+9)
			require.NoError(t, o.Append(r))
			r.Release()
			require.NoError(t, m.AppendFrom(o))
			total := tc.before + 2*chunk + 9
			requireRows(t, m, total)
			mine, theirs := valueBuffers(t, m), valueBuffers(t, o)
			shared := 0
			for b := range theirs {
				if mine[b] {
					shared++
				}
			}
			if tc.shared {
				require.Equal(t, 2, shared, "both of o's chunks are m's, not copies")
			} else {
				require.Zero(t, shared, "m copied the rows after its tail")
			}
		})
	}
}

// valueBuffers returns the addresses of the buffers holding column 0's
// values in m's whole chunks, as its source reads them a chunk at a time
// (a slice of a chunk left in a tail shares its buffer too: not counted).
func valueBuffers(t *testing.T, m *catalog.MemTable) map[uintptr]bool {
	out := map[uintptr]bool{}
	eachBatch(t, m, []int{0}, catalog.MemChunkRows, func(rec arrow.Record) {
		col := rec.Column(0)
		if col.Data().Offset() == 0 && col.Len() == catalog.MemChunkRows {
			buf := col.Data().Buffers()[1]
			out[uintptr(unsafe.Pointer(unsafe.SliceData(buf.Buf())))] = true
		}
	})
	return out
}

// eachBatch calls fn on every batch of m's source, unit after unit, in
// order, and releases the batch after it.
func eachBatch(t *testing.T, m *catalog.MemTable, cols []int, batchSize int, fn func(arrow.Record)) {
	src, err := m.Source(catalog.ScanRequest{Columns: cols, BatchSize: batchSize})
	require.NoError(t, err)
	defer src.Close()
	task := operators.NewTask(context.Background(), memory.DefaultAllocator)
	for u := range src.Units() {
		r, err := src.OpenUnit(task, u)
		require.NoError(t, err)
		for {
			rec, err := r.Next(task)
			require.NoError(t, err)
			if rec == nil {
				break
			}
			fn(rec)
			rec.Release()
		}
		require.NoError(t, r.Close())
	}
}
