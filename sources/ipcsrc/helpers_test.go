package ipcsrc

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/float16"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
)

// newMem returns a checked allocator that must be back at zero when the
// test ends.
func newMem(t testing.TB) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

// writeIPC writes recs with the IPC library directly (any Arrow types) and
// returns the path.
func writeIPC(t testing.TB, recs []arrow.Record, opts ...ipc.Option) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.arrow")
	out, err := os.Create(path)
	require.NoError(t, err)
	defer out.Close()
	w, err := ipc.NewFileWriter(out, append([]ipc.Option{ipc.WithSchema(recs[0].Schema())}, opts...)...)
	require.NoError(t, err)
	for _, rec := range recs {
		require.NoError(t, w.Write(rec))
	}
	require.NoError(t, w.Close())
	return path
}

// appendAny appends v (nil for NULL) to a builder of a matching type.
func appendAny(t testing.TB, b array.Builder, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch b := b.(type) {
	case *array.Int8Builder:
		b.Append(int8(v.(int)))
	case *array.Int16Builder:
		b.Append(int16(v.(int)))
	case *array.Int32Builder:
		b.Append(int32(v.(int)))
	case *array.Int64Builder:
		switch v := v.(type) {
		case int:
			b.Append(int64(v))
		case int64:
			b.Append(v)
		}
	case *array.Uint8Builder:
		b.Append(uint8(v.(int)))
	case *array.Uint16Builder:
		b.Append(uint16(v.(int)))
	case *array.Uint32Builder:
		b.Append(uint32(v.(int)))
	case *array.Uint64Builder:
		b.Append(v.(uint64))
	case *array.Float16Builder:
		b.Append(float16.New(float32(v.(float64))))
	case *array.Float32Builder:
		b.Append(float32(v.(float64)))
	case *array.Float64Builder:
		b.Append(v.(float64))
	case *array.Decimal128Builder:
		b.Append(v.(decimal128.Num))
	case *array.Date32Builder:
		b.Append(v.(arrow.Date32))
	case *array.Date64Builder:
		b.Append(v.(arrow.Date64))
	case *array.StringBuilder:
		b.Append(v.(string))
	case *array.LargeStringBuilder:
		b.Append(v.(string))
	case *array.BinaryBuilder:
		b.Append([]byte(v.(string)))
	case *array.BooleanBuilder:
		b.Append(v.(bool))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(v.(int)))
	default:
		t.Fatalf("appendAny: builder %T", b)
	}
}

func makeArray(t testing.TB, mem memory.Allocator, dt arrow.DataType, vals []any) arrow.Array {
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	for _, v := range vals {
		appendAny(t, b, v)
	}
	return b.NewArray()
}

// oneColumn makes a one-column record.
func oneColumn(t testing.TB, mem memory.Allocator, name string, dt arrow.DataType, vals []any) arrow.Record {
	arr := makeArray(t, mem, dt, vals)
	defer arr.Release()
	sc := arrow.NewSchema([]arrow.Field{{Name: name, Type: dt, Nullable: true}}, nil)
	return array.NewRecord(sc, []arrow.Array{arr}, int64(arr.Len()))
}

// readAll reads every batch of r (released at test end).
func readAll(t testing.TB, r *Reader) []arrow.Record {
	t.Helper()
	var recs []arrow.Record
	for {
		rec, err := r.Next(context.Background())
		require.NoError(t, err)
		if rec == nil {
			break
		}
		recs = append(recs, rec)
	}
	t.Cleanup(func() {
		for _, rec := range recs {
			rec.Release()
		}
	})
	return recs
}

// readColumns reads the given columns (all if nil) of every batch of path,
// concatenated per column and released at test end.
func readColumns(t testing.TB, path string, cols []int, batchSize int, mem memory.Allocator) ([]arrow.Array, *arrow.Schema) {
	t.Helper()
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	if cols == nil {
		cols = allColumns(f)
	}
	r, err := f.NewReader(f.AllRecordBatches(), cols, batchSize, mem)
	require.NoError(t, err)
	defer r.Close()
	recs := readAll(t, r)
	out := make([]arrow.Array, len(cols))
	for i := range cols {
		parts := make([]arrow.Array, len(recs))
		for j, rec := range recs {
			parts[j] = rec.Column(i)
		}
		var err error
		if len(parts) == 0 {
			out[i] = array.MakeArrayOfNull(mem, r.Schema().Field(i).Type, 0)
		} else {
			out[i], err = array.Concatenate(parts, mem)
			require.NoError(t, err)
		}
		a := out[i]
		t.Cleanup(a.Release)
	}
	return out, r.Schema()
}

func allColumns(f *File) []int {
	cols := make([]int, f.Schema().NumFields())
	for i := range cols {
		cols[i] = i
	}
	return cols
}

func dec(v int64) decimal128.Num { return decimal128.FromI64(v) }
