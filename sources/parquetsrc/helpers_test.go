package parquetsrc

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/stretchr/testify/require"
)

// newMem returns a checked allocator that must be back at zero when the
// test ends.
func newMem(t testing.TB) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

// writeArrow writes rec with pqarrow (not with this package's Writer, so
// the reader is tested against the library's own encodings) and returns
// the path. Options tune the physical layout.
func writeArrow(t testing.TB, rec arrow.Record, opts ...parquet.WriterProperty) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.parquet")
	out, err := os.Create(path)
	require.NoError(t, err)
	defer out.Close()
	props := parquet.NewWriterProperties(append([]parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Snappy),
	}, opts...)...)
	fw, err := pqarrow.NewFileWriter(rec.Schema(), out, props, pqarrow.DefaultWriterProps())
	require.NoError(t, err)
	require.NoError(t, fw.WriteBuffered(rec))
	require.NoError(t, fw.Close())
	return path
}

// buildRecord makes a record from a schema and one builder callback per
// column.
func buildRecord(mem memory.Allocator, sc *arrow.Schema, fill func(b *array.RecordBuilder)) arrow.Record {
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	fill(b)
	return b.NewRecord()
}

// readAll reads every batch of r, returning them (released at test end).
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

// readTable opens path and reads all columns of all row groups into a single
// record per column (concatenated), released at test end.
func readColumns(t testing.TB, path string, cols []int, mem memory.Allocator) ([]arrow.Array, *arrow.Schema) {
	t.Helper()
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	if cols == nil {
		cols = allColumns(f)
	}
	r, err := f.NewReader(f.AllRowGroups(), cols, 0, mem)
	require.NoError(t, err)
	defer r.Close()
	recs := readAll(t, r)
	out := make([]arrow.Array, len(cols))
	for i := range cols {
		parts := make([]arrow.Array, len(recs))
		for j, rec := range recs {
			parts[j] = rec.Column(i)
		}
		if len(parts) == 0 {
			out[i] = array.MakeArrayOfNull(mem, r.Schema().Field(i).Type, 0)
		} else {
			var err error
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

// newMemFree is an unchecked allocator for test inputs whose lifetime the
// test does not track.
func newMemFree() memory.Allocator { return memory.NewGoAllocator() }
