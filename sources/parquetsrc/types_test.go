package parquetsrc

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/float16"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

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

func dec(v int64) decimal128.Num { return decimal128.FromI64(v) }

func TestTypeMapping(t *testing.T) {
	bigDec := decimal128.New(12345, 6789) // needs more than 64 bits
	cases := []struct {
		name     string
		in       arrow.DataType
		nullable bool
		decInt   bool // store decimals as INT32/INT64
		vals     []any
		phys     parquet.Type
		want     arrow.DataType
		wantVals []any // nil: same as vals
	}{
		{"int8", arrow.PrimitiveTypes.Int8, true, false, []any{1, -128, nil, 127}, parquet.Types.Int32, types.Int64Type.Arrow(), nil},
		{"int16", arrow.PrimitiveTypes.Int16, true, false, []any{-32768, nil, 32767}, parquet.Types.Int32, types.Int64Type.Arrow(), nil},
		{"int32", arrow.PrimitiveTypes.Int32, true, false, []any{math.MinInt32, 0, nil, math.MaxInt32}, parquet.Types.Int32, types.Int64Type.Arrow(), nil},
		{"int32 required", arrow.PrimitiveTypes.Int32, false, false, []any{5, -5, 7}, parquet.Types.Int32, types.Int64Type.Arrow(), nil},
		{"int64", arrow.PrimitiveTypes.Int64, true, false, []any{int64(math.MinInt64), nil, int64(math.MaxInt64)}, parquet.Types.Int64, types.Int64Type.Arrow(), nil},
		{"uint8", arrow.PrimitiveTypes.Uint8, true, false, []any{0, 255, nil}, parquet.Types.Int32, types.Int64Type.Arrow(), nil},
		{"uint16", arrow.PrimitiveTypes.Uint16, true, false, []any{65535, nil, 1}, parquet.Types.Int32, types.Int64Type.Arrow(), nil},
		{"uint32", arrow.PrimitiveTypes.Uint32, true, false, []any{math.MaxUint32, nil, 0}, parquet.Types.Int32, types.Int64Type.Arrow(),
			[]any{int64(math.MaxUint32), nil, 0}},
		{"uint64", arrow.PrimitiveTypes.Uint64, true, false, []any{uint64(math.MaxInt64), nil, uint64(3)}, parquet.Types.Int64, types.Int64Type.Arrow(),
			[]any{int64(math.MaxInt64), nil, 3}},
		{"float32", arrow.PrimitiveTypes.Float32, true, false, []any{1.5, nil, -0.25}, parquet.Types.Float, types.Float64Type.Arrow(), nil},
		{"float64", arrow.PrimitiveTypes.Float64, true, false, []any{1e300, nil, math.Inf(-1)}, parquet.Types.Double, types.Float64Type.Arrow(), nil},
		// Negative INT32 decimals: see TestDecimalInt32Negative.
		{"decimal int32", &arrow.Decimal128Type{Precision: 7, Scale: 2}, true, true, []any{dec(12345), nil, dec(9999999)}, parquet.Types.Int32,
			types.DecimalType(7, 2).Arrow(), nil},
		{"decimal int64", &arrow.Decimal128Type{Precision: 15, Scale: 2}, true, true, []any{dec(123456789012345), nil, dec(-1)}, parquet.Types.Int64,
			types.DecimalType(15, 2).Arrow(), nil},
		{"decimal fixed small", &arrow.Decimal128Type{Precision: 5, Scale: 1}, true, false, []any{dec(-12345), nil, dec(99999)}, parquet.Types.FixedLenByteArray,
			types.DecimalType(5, 1).Arrow(), nil},
		{"decimal fixed wide", &arrow.Decimal128Type{Precision: 38, Scale: 10}, true, false, []any{bigDec, bigDec.Negate(), nil, dec(0)}, parquet.Types.FixedLenByteArray,
			types.DecimalType(38, 10).Arrow(), nil},
		{"date32", arrow.FixedWidthTypes.Date32, true, false, []any{arrow.Date32(0), nil, arrow.Date32(-719162), arrow.Date32(10957)}, parquet.Types.Int32,
			types.DateType.Arrow(), nil},
		{"timestamp us", &arrow.TimestampType{Unit: arrow.Microsecond}, true, false, []any{1704164645123456, nil, -1, 0}, parquet.Types.Int64,
			types.TimestampType.Arrow(), nil},
		{"timestamp ms", &arrow.TimestampType{Unit: arrow.Millisecond}, true, false, []any{1704164645123, nil, -1}, parquet.Types.Int64,
			types.TimestampType.Arrow(), []any{1704164645123000, nil, -1000}},
		{"timestamp ns", &arrow.TimestampType{Unit: arrow.Nanosecond}, true, false, []any{1704164645123456789, nil, -1, -1000}, parquet.Types.Int64,
			types.TimestampType.Arrow(), []any{1704164645123456, nil, -1, -1}},
		{"timestamp utc", &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, true, false, []any{86400000000, nil}, parquet.Types.Int64,
			types.TimestampType.Arrow(), nil},
		{"string", arrow.BinaryTypes.String, true, false, []any{"", "héllo", nil, "x"}, parquet.Types.ByteArray, types.StringType.Arrow(), nil},
		{"large string", arrow.BinaryTypes.LargeString, true, false, []any{"a", nil}, parquet.Types.ByteArray, types.StringType.Arrow(), nil},
		{"binary", arrow.BinaryTypes.Binary, true, false, []any{"raw", nil}, parquet.Types.ByteArray, types.StringType.Arrow(), nil},
		{"bool", arrow.FixedWidthTypes.Boolean, true, false, []any{true, false, nil, true, true, false, false, true, true, nil}, parquet.Types.Boolean,
			types.BoolType.Arrow(), nil},
		{"all null", arrow.PrimitiveTypes.Int32, true, false, []any{nil, nil}, parquet.Types.Int32, types.Int64Type.Arrow(), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := newMem(t)
			sc := arrow.NewSchema([]arrow.Field{{Name: "c", Type: tc.in, Nullable: tc.nullable}}, nil)
			in := makeArray(t, mem, tc.in, tc.vals)
			rec := array.NewRecord(sc, []arrow.Array{in}, int64(in.Len()))
			in.Release()
			path := writeArrow(t, rec, parquet.WithStoreDecimalAsInteger(tc.decInt))
			rec.Release()

			f, err := Open(path)
			require.NoError(t, err)
			assert.Equal(t, tc.phys, f.cols[0].descr.PhysicalType(), "physical type written")
			assert.True(t, arrow.TypeEqual(tc.want, f.Schema().Field(0).Type), "schema type %s", f.Schema().Field(0).Type)
			assert.False(t, f.Schema().Field(0).HasMetadata())
			assert.Equal(t, tc.nullable, f.Schema().Field(0).Nullable, "REQUIRED columns are not nullable")
			require.NoError(t, f.Close())

			got, gotSchema := readColumns(t, path, nil, mem)
			assert.True(t, arrow.TypeEqual(tc.want, gotSchema.Field(0).Type))
			wantVals := tc.wantVals
			if wantVals == nil {
				wantVals = tc.vals
			}
			want := makeArray(t, mem, tc.want, wantVals)
			defer want.Release()
			assert.True(t, arrow.TypeEqual(tc.want, got[0].DataType()), "array type %s", got[0].DataType())
			assert.True(t, array.Equal(want, got[0]), "want %v\ngot  %v", want, got[0])
		})
	}
}

func TestUint64Overflow(t *testing.T) {
	mem := newMem(t)
	sc := arrow.NewSchema([]arrow.Field{{Name: "big", Type: arrow.PrimitiveTypes.Uint64, Nullable: true}}, nil)
	in := makeArray(t, mem, arrow.PrimitiveTypes.Uint64, []any{uint64(1), nil, uint64(math.MaxInt64) + 1})
	rec := array.NewRecord(sc, []arrow.Array{in}, 3)
	in.Release()
	path := writeArrow(t, rec)
	rec.Release()

	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := f.NewReader(f.AllRowGroups(), []int{0}, 0, mem)
	require.NoError(t, err)
	defer r.Close()
	_, err = r.Next(t.Context())
	require.Error(t, err)
	assert.ErrorIs(t, err, sqlerr.ErrOverflow)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), `"big"`)
	// The error is sticky.
	_, err2 := r.Next(t.Context())
	assert.Equal(t, err, err2)
}

func TestTimestampMillisOverflow(t *testing.T) {
	mem := newMem(t)
	dt := &arrow.TimestampType{Unit: arrow.Millisecond}
	sc := arrow.NewSchema([]arrow.Field{{Name: "ts", Type: dt, Nullable: true}}, nil)
	in := makeArray(t, mem, dt, []any{1, nil, math.MaxInt64 / 999})
	rec := array.NewRecord(sc, []arrow.Array{in}, 3)
	in.Release()
	for _, dict := range []bool{true, false} {
		path := writeArrow(t, rec, parquet.WithDictionaryDefault(dict))
		f, err := Open(path)
		require.NoError(t, err)
		r, err := f.NewReader(f.AllRowGroups(), []int{0}, 0, mem)
		require.NoError(t, err)
		_, err = r.Next(t.Context())
		require.Error(t, err)
		assert.ErrorIs(t, err, sqlerr.ErrOverflow)
		assert.Contains(t, err.Error(), path)
		assert.Contains(t, err.Error(), `"ts"`)
		r.Close()
		require.NoError(t, f.Close())
	}
	rec.Release()
}

// lowLevelFile writes one column with parquet/file directly, for physical
// layouts pqarrow does not produce.
func lowLevelFile(t testing.TB, node schema.Node, write func(cw file.ColumnChunkWriter)) string {
	t.Helper()
	return lowLevelFileWith(t, node, nil, write)
}

// lowLevelFileWith is lowLevelFile with writer properties.
func lowLevelFileWith(t testing.TB, node schema.Node, opts []parquet.WriterProperty, write func(cw file.ColumnChunkWriter)) string {
	t.Helper()
	root, err := schema.NewGroupNode("schema", parquet.Repetitions.Required, schema.FieldList{node}, -1)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "low.parquet")
	out, err := os.Create(path)
	require.NoError(t, err)
	defer out.Close()
	fw := file.NewParquetWriter(out, root, file.WithWriterProps(parquet.NewWriterProperties(opts...)))
	rgw := fw.AppendRowGroup()
	cw, err := rgw.NextColumn()
	require.NoError(t, err)
	write(cw)
	require.NoError(t, cw.Close())
	require.NoError(t, rgw.Close())
	require.NoError(t, fw.Close())
	return path
}

func byteArrays(vals ...string) []parquet.ByteArray {
	out := make([]parquet.ByteArray, len(vals))
	for i, v := range vals {
		out[i] = parquet.ByteArray(v)
	}
	return out
}

func TestByteArrayForms(t *testing.T) {
	cases := []struct {
		name    string
		logical schema.LogicalType
		vals    []parquet.ByteArray
		defs    []int16
		want    arrow.DataType
		wantAny []any
	}{
		{"enum", schema.EnumLogicalType{}, byteArrays("A", "B"), []int16{1, 0, 1}, types.StringType.Arrow(), []any{"A", nil, "B"}},
		{"json", schema.JSONLogicalType{}, byteArrays(`{"a":1}`), []int16{1}, types.StringType.Arrow(), []any{`{"a":1}`}},
		{"plain", schema.NoLogicalType{}, byteArrays("x", "yz"), []int16{0, 1, 1}, types.StringType.Arrow(), []any{nil, "x", "yz"}},
		{"decimal", schema.NewDecimalLogicalType(20, 3),
			[]parquet.ByteArray{{0x01}, {0xff}, {0x00, 0x80}, {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}},
			[]int16{1, 1, 0, 1, 1}, types.DecimalType(20, 3).Arrow(),
			[]any{dec(1), dec(-1), nil, dec(128), decimal128.New(1, 0)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := newMem(t)
			node, err := schema.NewPrimitiveNodeLogical("b", parquet.Repetitions.Optional, tc.logical, parquet.Types.ByteArray, 0, -1)
			require.NoError(t, err)
			path := lowLevelFile(t, node, func(cw file.ColumnChunkWriter) {
				_, err := cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(tc.vals, tc.defs, nil)
				require.NoError(t, err)
			})
			got, sc := readColumns(t, path, nil, mem)
			assert.True(t, arrow.TypeEqual(tc.want, sc.Field(0).Type))
			want := makeArray(t, mem, tc.want, tc.wantAny)
			defer want.Release()
			assert.True(t, array.Equal(want, got[0]), "want %v\ngot  %v", want, got[0])
		})
	}
}

func TestUnsupportedTypes(t *testing.T) {
	mem := memory.NewGoAllocator()
	cases := []struct {
		name string
		dt   arrow.DataType
		opts []parquet.WriterProperty
		want string
	}{
		{"time", arrow.FixedWidthTypes.Time32ms, nil, "of type TIME"},
		{"float16", arrow.FixedWidthTypes.Float16, nil, "of type FLOAT16"},
		{"list", arrow.ListOf(arrow.PrimitiveTypes.Int64), nil, "of type LIST"},
		{"struct", arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int64}), nil, "of type STRUCT"},
		{"decimal256", &arrow.Decimal256Type{Precision: 40, Scale: 2}, nil, "DECIMAL(40,2)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := arrow.NewSchema([]arrow.Field{
				{Name: "ok", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
				{Name: "bad", Type: tc.dt, Nullable: true},
			}, nil)
			b := array.NewRecordBuilder(mem, sc)
			b.Field(0).AppendNull()
			b.Field(1).AppendNull()
			rec := b.NewRecord()
			b.Release()
			path := writeArrow(t, rec, tc.opts...)
			rec.Release()
			f, err := Open(path)
			require.Error(t, err)
			assert.Nil(t, f)
			assert.ErrorIs(t, err, sqlerr.ErrNotSupported)
			assert.Contains(t, err.Error(), `parquet column "bad"`)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), path)
		})
	}
}

// Legacy INT96 timestamps: Julian day and nanoseconds of the day, read
// by both decoders (readBoth) to microseconds.
func TestInt96Timestamps(t *testing.T) {
	at := func(julian uint32, nanos int64) parquet.Int96 {
		var v parquet.Int96
		v.SetNanoSeconds(nanos)
		binary.LittleEndian.PutUint32(v[8:], julian)
		return v
	}
	vals := []parquet.Int96{at(2_440_588, 0), at(2_440_587, 86_399_999_999_999), at(2_460_312, 11_045_123_456_789)}
	want := []any{0, -1, 1704164645123456} // 1970-01-01, 1969-12-31 23:59:59.999999, 2024-01-02 03:04:05.123456
	for _, dict := range []bool{false, true} {
		node := schema.NewInt96Node("legacy_ts", parquet.Repetitions.Optional, -1)
		path := lowLevelFileWith(t, node, []parquet.WriterProperty{parquet.WithDictionaryDefault(dict)}, func(cw file.ColumnChunkWriter) {
			_, err := cw.(*file.Int96ColumnChunkWriter).WriteBatch(vals, []int16{1, 0, 1, 1}, nil)
			require.NoError(t, err)
		})
		mem := newMem(t)
		got, sc := readColumns(t, path, nil, mem)
		require.True(t, arrow.TypeEqual(types.TimestampType.Arrow(), sc.Field(0).Type))
		wantArr := makeArray(t, mem, types.TimestampType.Arrow(), []any{want[0], nil, want[1], want[2]})
		assert.True(t, array.Equal(wantArr, got[0]), "want %v\ngot  %v", wantArr, got[0])
		wantArr.Release()
		readBoth(t, path, 2)
	}
}

// TestDecimalInt32Negative writes negative INT32 decimals with parquet/file
// directly: pqarrow built with -tags assert rejects them (a false positive
// of its debug assertion).
func TestDecimalInt32Negative(t *testing.T) {
	mem := newMem(t)
	node, err := schema.NewPrimitiveNodeLogical("d", parquet.Repetitions.Optional, schema.NewDecimalLogicalType(7, 2), parquet.Types.Int32, 0, -1)
	require.NoError(t, err)
	path := lowLevelFile(t, node, func(cw file.ColumnChunkWriter) {
		_, err := cw.(*file.Int32ColumnChunkWriter).WriteBatch([]int32{-9999999, -1, 5}, []int16{1, 0, 1, 1}, nil)
		require.NoError(t, err)
	})
	got, sc := readColumns(t, path, nil, mem)
	assert.True(t, arrow.TypeEqual(types.DecimalType(7, 2).Arrow(), sc.Field(0).Type))
	want := makeArray(t, mem, types.DecimalType(7, 2).Arrow(), []any{dec(-9999999), nil, dec(-1), dec(5)})
	defer want.Release()
	assert.True(t, array.Equal(want, got[0]), "want %v\ngot  %v", want, got[0])
}
