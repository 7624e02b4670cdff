package ipcsrc

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

func engineSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: types.Int64Type.Arrow(), Nullable: true},
		{Name: "f", Type: types.Float64Type.Arrow(), Nullable: true},
		{Name: "d", Type: types.DecimalType(20, 4).Arrow(), Nullable: true},
		{Name: "s", Type: types.StringType.Arrow(), Nullable: true},
		{Name: "dt", Type: types.DateType.Arrow(), Nullable: true},
		{Name: "b", Type: types.BoolType.Arrow(), Nullable: true},
	}, nil)
}

func engineRecord(t testing.TB, mem memory.Allocator, start, n int) arrow.Record {
	b := array.NewRecordBuilder(mem, engineSchema())
	defer b.Release()
	for k := start; k < start+n; k++ {
		if k%5 == 2 {
			for c := range b.Fields() {
				b.Field(c).AppendNull()
			}
			continue
		}
		appendAny(t, b.Field(0), int64(k))
		appendAny(t, b.Field(1), float64(k)/8)
		appendAny(t, b.Field(2), dec(int64(k)*12345))
		appendAny(t, b.Field(3), string(rune('A'+k%26)))
		appendAny(t, b.Field(4), arrow.Date32(k))
		appendAny(t, b.Field(5), k%3 == 0)
	}
	return b.NewRecord()
}

func TestWriterRoundTrip(t *testing.T) {
	for _, lz4 := range []bool{false, true} {
		mem := newMem(t)
		path := filepath.Join(t.TempDir(), "out.arrow")
		out, err := os.Create(path)
		require.NoError(t, err)
		w, err := NewWriter(out, engineSchema(), WriterOptions{BatchRows: 40, LZ4: lz4, Mem: mem})
		require.NoError(t, err)
		var want []arrow.Record
		for _, n := range []int{10, 100, 5} {
			rec := engineRecord(t, mem, len(want)*1000, n)
			want = append(want, rec)
			require.NoError(t, w.Write(t.Context(), rec))
		}
		require.NoError(t, w.Close())
		require.NoError(t, w.Close())
		require.NoError(t, out.Close(), "the writer must not close the destination")

		f, err := Open(path)
		require.NoError(t, err)
		assert.True(t, engineSchema().Equal(f.Schema()))
		// 10 | 40 40 20 | 5
		assert.Equal(t, 5, f.NumRecordBatches())
		require.NoError(t, f.Close())

		got, _ := readColumns(t, path, nil, 0, mem)
		for c := range got {
			parts := make([]arrow.Array, len(want))
			for i, rec := range want {
				parts[i] = rec.Column(c)
			}
			all, err := array.Concatenate(parts, mem)
			require.NoError(t, err)
			assert.True(t, array.Equal(all, got[c]), "lz4=%v column %d", lz4, c)
			all.Release()
		}
		for _, rec := range want {
			rec.Release()
		}
	}
}

func TestWriterErrors(t *testing.T) {
	mem := newMem(t)
	path := filepath.Join(t.TempDir(), "e.arrow")
	out, err := os.Create(path)
	require.NoError(t, err)
	defer out.Close()

	sc := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int32}}, nil)
	_, err = NewWriter(out, sc, WriterOptions{Mem: mem})
	assert.ErrorIs(t, err, sqlerr.ErrNotSupported)

	w, err := NewWriter(out, engineSchema(), WriterOptions{BatchRows: 10, Mem: mem})
	require.NoError(t, err)
	other := arrow.NewSchema([]arrow.Field{{Name: "i", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewRecordBuilder(mem, other)
	b.Field(0).AppendNull()
	bad := b.NewRecord()
	b.Release()
	defer bad.Release()
	assert.Error(t, w.Write(t.Context(), bad))

	rec := engineRecord(t, mem, 0, 50)
	defer rec.Release()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, w.Write(ctx, rec), context.Canceled)
	require.NoError(t, w.Close())
	assert.Error(t, w.Write(t.Context(), rec))
}
