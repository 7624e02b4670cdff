package parquetsrc

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// FuzzOpenRead opens arbitrary bytes as a Parquet file and reads it whole,
// then a projection of some row groups, at a batch size the fuzzer picks:
// it must fail with a typed error naming the file, or give records of the
// engine's canonical types that keep their shape; never panic or leak.
// The seeds are small valid files (the library's encodings and this
// package's own writer), so mutations reach the pages, not just the footer.
func FuzzOpenRead(f *testing.F) {
	for _, opts := range [][]parquet.WriterProperty{
		nil,
		{parquet.WithCompression(compress.Codecs.Uncompressed)},
		{parquet.WithDictionaryDefault(false), parquet.WithDataPageSize(64)},
		{parquet.WithCompression(compress.Codecs.Gzip), parquet.WithStats(false)},
	} {
		path, _ := writeGen(f, 40, 16, opts...)
		data, err := os.ReadFile(path)
		require.NoError(f, err)
		f.Add(data, uint8(3))
	}
	f.Add(ownWriterFile(f), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		// A file of a few KB that takes seconds is a reader that trusts a
		// count it should have checked: fail, so the fuzzer keeps the input.
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 10*time.Second {
				t.Fatalf("reading a %d-byte file took %v", len(data), d)
			}
		}()
		path := filepath.Join(t.TempDir(), "f.parquet")
		require.NoError(t, os.WriteFile(path, data, 0o644))
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		file, err := Open(path)
		if err != nil {
			checkFileError(t, path, err)
			return
		}
		defer file.Close()
		for _, fld := range file.Schema().Fields() {
			_, err := types.FromArrow(fld.Type)
			require.NoError(t, err, "non-canonical type %s", fld.Type)
		}
		for rg := 0; rg < file.NumRowGroups(); rg++ {
			for c := range file.Schema().Fields() {
				_ = file.Stats(rg, c) // decoded at Open; must be there
			}
		}
		batch := int(mode%8)*7 + 1
		if err := readFile(t, file, file.AllRowGroups(), allColumns(file), batch, mem); err != nil {
			checkFileError(t, path, err)
		}
		// Every other column of every other row group, in reverse.
		var cols, rgs []int
		for c := file.Schema().NumFields() - 1; c >= 0; c -= 2 {
			cols = append(cols, c)
		}
		for rg := int(mode/8) % 2; rg < file.NumRowGroups(); rg += 2 {
			rgs = append(rgs, rg)
		}
		if err := readFile(t, file, rgs, cols, batch, mem); err != nil {
			checkFileError(t, path, err)
		}
	})
}

// readFile reads the given row groups and columns, checking each record's
// shape, and returns the first error.
func readFile(t *testing.T, f *File, rgs, cols []int, batch int, mem memory.Allocator) error {
	r, err := f.NewReader(rgs, cols, batch, mem)
	if err != nil {
		return err
	}
	defer r.Close()
	require.Equal(t, len(cols), r.Schema().NumFields())
	for {
		rec, err := r.Next(context.Background())
		if err != nil || rec == nil {
			return err
		}
		ok := rec.Schema().Equal(r.Schema())
		for _, c := range rec.Columns() {
			ok = ok && c.Len() == int(rec.NumRows())
		}
		rec.Release()
		require.True(t, ok, "record of the wrong shape")
	}
}

// checkFileError fails unless err is a typed error that names the file.
func checkFileError(t *testing.T, path string, err error) {
	t.Helper()
	var se *sqlerr.Error
	require.True(t, errors.As(err, &se), "untyped error %T: %v", err, err)
	require.False(t, errors.Is(err, sqlerr.ErrInternal), "internal error: %v", err)
	require.Contains(t, err.Error(), path)
}

// ownWriterFile is a small file from this package's writer, with the
// engine's six types: decimals as INT32, INT64 and fixed-length bytes.
func ownWriterFile(t testing.TB) []byte {
	mem := memory.NewGoAllocator()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "d9", Type: &arrow.Decimal128Type{Precision: 9, Scale: 2}, Nullable: true},
		{Name: "d18", Type: &arrow.Decimal128Type{Precision: 18, Scale: 4}, Nullable: true},
		{Name: "d38", Type: &arrow.Decimal128Type{Precision: 38, Scale: 10}, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "dt", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	rec := buildRecord(mem, sc, func(b *array.RecordBuilder) {
		for i := 0; i < 30; i++ {
			if i%7 == 3 {
				for c := range sc.Fields() {
					b.Field(c).AppendNull()
				}
				continue
			}
			b.Field(0).(*array.Int64Builder).Append(int64(i * 1000003))
			b.Field(1).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i * 101)))
			b.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i) * 123456789))
			b.Field(3).(*array.Decimal128Builder).Append(decimal128.New(int64(i), uint64(i)*977))
			b.Field(4).(*array.StringBuilder).Append(string(rune('a' + i%26)))
			b.Field(5).(*array.Date32Builder).Append(arrow.Date32(i * 400))
			b.Field(6).(*array.BooleanBuilder).Append(i%2 == 0)
			b.Field(7).(*array.Float64Builder).Append(float64(i) / 3)
		}
	})
	defer rec.Release()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, sc, WriterOptions{RowGroupRows: 11})
	require.NoError(t, err)
	require.NoError(t, w.Write(context.Background(), rec))
	require.NoError(t, w.Close())
	return buf.Bytes()
}
