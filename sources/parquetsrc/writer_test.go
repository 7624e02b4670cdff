package parquetsrc

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// engineSchema has one column of every engine type.
func engineSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: types.Int64Type.Arrow(), Nullable: true},
		{Name: "f", Type: types.Float64Type.Arrow(), Nullable: true},
		{Name: "d9", Type: types.DecimalType(9, 2).Arrow(), Nullable: true},
		{Name: "d15", Type: types.DecimalType(15, 2).Arrow(), Nullable: true},
		{Name: "d38", Type: types.DecimalType(38, 4).Arrow(), Nullable: true},
		{Name: "s", Type: types.StringType.Arrow(), Nullable: true},
		{Name: "dt", Type: types.DateType.Arrow(), Nullable: true},
		{Name: "b", Type: types.BoolType.Arrow(), Nullable: true},
	}, nil)
}

func engineRecord(t testing.TB, start, n int) arrow.Record {
	return buildRecord(newMemFree(), engineSchema(), func(b *array.RecordBuilder) {
		for k := start; k < start+n; k++ {
			if k%7 == 3 {
				for c := 0; c < b.Schema().NumFields(); c++ {
					b.Field(c).AppendNull()
				}
				continue
			}
			appendAny(t, b.Field(0), int64(k)-100)
			appendAny(t, b.Field(1), float64(k)*1.5)
			appendAny(t, b.Field(2), dec(int64(k)*3))
			appendAny(t, b.Field(3), dec(int64(k)*1_000_003))
			appendAny(t, b.Field(4), dec(int64(k)).Mul(dec(1_000_000_000_000)).Mul(dec(1_000_000_000_000)))
			appendAny(t, b.Field(5), string(rune('a'+k%26))+"x")
			appendAny(t, b.Field(6), arrow.Date32(k))
			appendAny(t, b.Field(7), k%2 == 0)
		}
	})
}

func TestWriterRoundTrip(t *testing.T) {
	mem := newMem(t)
	path := filepath.Join(t.TempDir(), "out.parquet")
	out, err := os.Create(path)
	require.NoError(t, err)
	w, err := NewWriter(out, engineSchema(), WriterOptions{RowGroupRows: 100, Mem: mem})
	require.NoError(t, err)
	var want []arrow.Record
	for start := 0; start < 250; start += 30 {
		rec := engineRecord(t, start, min(30, 250-start))
		want = append(want, rec)
		require.NoError(t, w.Write(t.Context(), rec))
	}
	require.NoError(t, w.Close())
	require.NoError(t, w.Close())
	require.NoError(t, out.Close(), "the writer must not close the destination")

	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	assert.True(t, engineSchema().Equal(f.Schema()), "schema %s", f.Schema())
	require.Equal(t, 3, f.NumRowGroups())
	for rg, rows := range []int64{100, 100, 50} {
		assert.Equal(t, rows, f.RowGroupRows(rg))
	}
	phys := []parquet.Type{parquet.Types.Int64, parquet.Types.Double, parquet.Types.Int32, parquet.Types.Int64,
		parquet.Types.FixedLenByteArray, parquet.Types.ByteArray, parquet.Types.Int32, parquet.Types.Boolean}
	for c, p := range phys {
		assert.Equal(t, p, f.cols[c].descr.PhysicalType(), "column %d", c)
	}
	cc, err := f.meta.RowGroup(0).ColumnChunk(0)
	require.NoError(t, err)
	assert.Equal(t, compress.Codecs.Snappy, cc.Compression())
	assert.True(t, f.Stats(0, 0).HasMinMax)

	got, _ := readColumns(t, path, nil, mem)
	for c := range got {
		parts := make([]arrow.Array, len(want))
		for i, rec := range want {
			parts[i] = rec.Column(c)
		}
		all, err := array.Concatenate(parts, mem)
		require.NoError(t, err)
		assert.True(t, array.Equal(all, got[c]), "column %d\nwant %v\ngot  %v", c, all, got[c])
		all.Release()
	}
	for _, rec := range want {
		rec.Release()
	}
}

func TestWriterErrors(t *testing.T) {
	mem := newMem(t)
	t.Run("non-engine type", func(t *testing.T) {
		sc := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int32}}, nil)
		_, err := NewWriter(&bytes.Buffer{}, sc, WriterOptions{Mem: mem})
		assert.ErrorIs(t, err, sqlerr.ErrNotSupported)
		assert.Contains(t, err.Error(), `"x"`)
	})
	t.Run("record of other types", func(t *testing.T) {
		w, err := NewWriter(&bytes.Buffer{}, engineSchema(), WriterOptions{Mem: mem})
		require.NoError(t, err)
		sc := arrow.NewSchema([]arrow.Field{{Name: "i", Type: arrow.PrimitiveTypes.Int64}}, nil)
		rec := buildRecord(mem, sc, func(b *array.RecordBuilder) { b.Field(0).AppendNull() })
		defer rec.Release()
		assert.Error(t, w.Write(t.Context(), rec))
		require.NoError(t, w.Close())
		assert.Error(t, w.Write(t.Context(), rec), "write after close")
	})
	t.Run("cancelled", func(t *testing.T) {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, engineSchema(), WriterOptions{Mem: mem})
		require.NoError(t, err)
		rec := engineRecord(t, 0, 3*writeChunkRows)
		defer rec.Release()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		assert.ErrorIs(t, w.Write(ctx, rec), context.Canceled)
		require.NoError(t, w.Close())
	})
}

func TestWriterLargeRecordChunks(t *testing.T) {
	// A record larger than a write chunk is written whole, in row groups
	// of the configured size.
	mem := newMem(t)
	var buf bytes.Buffer
	w, err := NewWriter(&buf, engineSchema(), WriterOptions{RowGroupRows: 20000, Mem: mem})
	require.NoError(t, err)
	rec := engineRecord(t, 0, 50000)
	defer rec.Release()
	require.NoError(t, w.Write(context.Background(), rec))
	require.NoError(t, w.Close())

	path := filepath.Join(t.TempDir(), "big.parquet")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	assert.EqualValues(t, 50000, f.NumRows())
	assert.Equal(t, 3, f.NumRowGroups())
	got, _ := readColumns(t, path, []int{0, 5}, mem)
	assert.True(t, array.Equal(rec.Column(0), got[0]))
	assert.True(t, array.Equal(rec.Column(5), got[1]))
}
