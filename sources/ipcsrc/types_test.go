package ipcsrc

import (
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

func TestTypeMapping(t *testing.T) {
	const day = 86_400_000
	cases := []struct {
		name     string
		in       arrow.DataType
		vals     []any
		want     arrow.DataType
		wantVals []any // nil: same as vals
	}{
		{"int8", arrow.PrimitiveTypes.Int8, []any{-128, nil, 127}, types.Int64Type.Arrow(), nil},
		{"int16", arrow.PrimitiveTypes.Int16, []any{-32768, nil}, types.Int64Type.Arrow(), nil},
		{"int32", arrow.PrimitiveTypes.Int32, []any{math.MinInt32, nil, math.MaxInt32}, types.Int64Type.Arrow(), nil},
		{"int64", arrow.PrimitiveTypes.Int64, []any{int64(math.MinInt64), nil}, types.Int64Type.Arrow(), nil},
		{"uint8", arrow.PrimitiveTypes.Uint8, []any{255, nil}, types.Int64Type.Arrow(), nil},
		{"uint16", arrow.PrimitiveTypes.Uint16, []any{65535, nil}, types.Int64Type.Arrow(), nil},
		{"uint32", arrow.PrimitiveTypes.Uint32, []any{math.MaxUint32, nil}, types.Int64Type.Arrow(), []any{int64(math.MaxUint32), nil}},
		{"uint64", arrow.PrimitiveTypes.Uint64, []any{uint64(math.MaxInt64), nil}, types.Int64Type.Arrow(), []any{int64(math.MaxInt64), nil}},
		{"float16", arrow.FixedWidthTypes.Float16, []any{1.5, nil}, types.Float64Type.Arrow(), nil},
		{"float32", arrow.PrimitiveTypes.Float32, []any{-0.25, nil}, types.Float64Type.Arrow(), nil},
		{"float64", arrow.PrimitiveTypes.Float64, []any{1e300, nil}, types.Float64Type.Arrow(), nil},
		{"decimal", &arrow.Decimal128Type{Precision: 15, Scale: 2}, []any{dec(12345), nil}, types.DecimalType(15, 2).Arrow(), nil},
		{"date32", arrow.FixedWidthTypes.Date32, []any{arrow.Date32(-1), nil}, types.DateType.Arrow(), nil},
		{"date64", arrow.FixedWidthTypes.Date64, []any{arrow.Date64(3 * day), arrow.Date64(-1), nil, arrow.Date64(day - 1)}, types.DateType.Arrow(),
			[]any{arrow.Date32(3), arrow.Date32(-1), nil, arrow.Date32(0)}},
		{"timestamp us", &arrow.TimestampType{Unit: arrow.Microsecond}, []any{1704164645123456, nil, -1}, types.TimestampType.Arrow(), nil},
		{"timestamp s utc", &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}, []any{1704164645, nil, -1}, types.TimestampType.Arrow(),
			[]any{1704164645000000, nil, -1000000}},
		{"timestamp ms", &arrow.TimestampType{Unit: arrow.Millisecond}, []any{1704164645123, nil}, types.TimestampType.Arrow(), []any{1704164645123000, nil}},
		{"timestamp ns", &arrow.TimestampType{Unit: arrow.Nanosecond}, []any{1704164645123456789, nil, -1}, types.TimestampType.Arrow(),
			[]any{1704164645123456, nil, -1}},
		{"string", arrow.BinaryTypes.String, []any{"", "héllo", nil}, types.StringType.Arrow(), nil},
		{"large string", arrow.BinaryTypes.LargeString, []any{"a", nil, "bc"}, types.StringType.Arrow(), nil},
		{"binary", arrow.BinaryTypes.Binary, []any{"raw", nil}, types.StringType.Arrow(), nil},
		{"large binary", arrow.BinaryTypes.LargeBinary, []any{"raw", nil, ""}, types.StringType.Arrow(), nil},
		{"bool", arrow.FixedWidthTypes.Boolean, []any{true, nil, false}, types.BoolType.Arrow(), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := newMem(t)
			rec := oneColumn(t, mem, "c", tc.in, tc.vals)
			path := writeIPC(t, []arrow.Record{rec})
			rec.Release()
			got, sc := readColumns(t, path, nil, 0, mem)
			assert.True(t, arrow.TypeEqual(tc.want, sc.Field(0).Type), "schema type %s", sc.Field(0).Type)
			assert.False(t, sc.Field(0).HasMetadata())
			assert.True(t, arrow.TypeEqual(tc.want, got[0].DataType()))
			wantVals := tc.wantVals
			if wantVals == nil {
				wantVals = tc.vals
			}
			want := makeArray(t, mem, tc.want, wantVals)
			defer want.Release()
			assert.True(t, array.Equal(want, got[0]), "want %v\ngot  %v", want, got[0])
		})
	}
}

func TestSlicedInput(t *testing.T) {
	// Arrays with an offset (a writer may store slices) convert correctly,
	// bitmaps included: slices of 1..9 rows from every start.
	mem := newMem(t)
	vals := []any{1, nil, 3, 4, nil, 6, 7, 8, nil, 10, 11}
	for _, dt := range []arrow.DataType{arrow.PrimitiveTypes.Int32, arrow.BinaryTypes.LargeString} {
		src := vals
		if dt.ID() == arrow.LARGE_STRING {
			src = make([]any, len(vals))
			for i, v := range vals {
				if v != nil {
					src[i] = string(rune('a' + v.(int)))
				}
			}
		}
		full := oneColumn(t, mem, "c", dt, src)
		for start := int64(0); start < 3; start++ {
			part := full.NewSlice(start, start+7)
			path := writeIPC(t, []arrow.Record{part})
			got, _ := readColumns(t, path, nil, 0, mem)
			assert.Equal(t, part.Column(0).NullN(), got[0].NullN())
			for i := 0; i < 7; i++ {
				assert.Equal(t, part.Column(0).IsNull(i), got[0].IsNull(i))
				if part.Column(0).IsValid(i) {
					assert.Equal(t, part.Column(0).ValueStr(i), got[0].ValueStr(i))
				}
			}
			part.Release()
		}
		full.Release()
	}
}

func TestUint64Overflow(t *testing.T) {
	mem := newMem(t)
	rec := oneColumn(t, mem, "big", arrow.PrimitiveTypes.Uint64, []any{uint64(1), nil, uint64(math.MaxUint64)})
	path := writeIPC(t, []arrow.Record{rec})
	rec.Release()
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := f.NewReader(f.AllRecordBatches(), []int{0}, 0, mem)
	require.NoError(t, err)
	defer r.Close()
	_, err = r.Next(t.Context())
	assert.ErrorIs(t, err, sqlerr.ErrOverflow)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), `"big"`)
}

func TestUnsupportedTypes(t *testing.T) {
	mem := memory.NewGoAllocator()
	cases := []struct {
		name string
		dt   arrow.DataType
	}{
		{"duration", arrow.FixedWidthTypes.Duration_s},
		{"time", arrow.FixedWidthTypes.Time32s},
		{"list", arrow.ListOf(arrow.PrimitiveTypes.Int64)},
		{"struct", arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int64})},
		{"dictionary", &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}},
		{"decimal256", &arrow.Decimal256Type{Precision: 40, Scale: 2}},
		{"null", arrow.Null},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := arrow.NewSchema([]arrow.Field{{Name: "ok", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
				{Name: "bad", Type: tc.dt, Nullable: true}}, nil)
			b := array.NewRecordBuilder(mem, sc)
			b.Field(0).AppendNull()
			b.Field(1).AppendNull()
			rec := b.NewRecord()
			b.Release()
			path := writeIPC(t, []arrow.Record{rec})
			rec.Release()
			_, err := Open(path)
			require.Error(t, err)
			assert.ErrorIs(t, err, sqlerr.ErrNotSupported)
			assert.Contains(t, err.Error(), `arrow column "bad"`)
			assert.Contains(t, err.Error(), path)
		})
	}
}

func TestCompressedInput(t *testing.T) {
	for _, opt := range []ipc.Option{ipc.WithLZ4(), ipc.WithZstd()} {
		mem := newMem(t)
		rec := oneColumn(t, mem, "s", arrow.BinaryTypes.String, []any{"aaaaaaaa", nil, "aaaaaaaa", "b"})
		path := writeIPC(t, []arrow.Record{rec}, opt)
		got, _ := readColumns(t, path, nil, 0, mem)
		assert.True(t, array.Equal(rec.Column(0), got[0]))
		rec.Release()
	}
}
