package csvsrc

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatDecimal(t *testing.T) {
	tests := []struct {
		num   decimal128.Num
		scale int32
		want  string
	}{
		{decimal128.FromI64(1250), 2, "12.50"},
		{decimal128.FromI64(-5), 2, "-0.05"},
		{decimal128.FromI64(5), 3, "0.005"},
		{decimal128.FromI64(0), 2, "0.00"},
		{decimal128.FromI64(7), 0, "7"},
		{decimal128.FromI64(-7), 0, "-7"},
		{decimal128.FromI64(7), -2, "700"},
		{decimal128.FromI64(math.MinInt64), 0, "-9223372036854775808"},
		{decimal128.New(0, math.MaxUint64), 1, "1844674407370955161.5"},
		{decimal128.GetMaxValue(38), 2, "999999999999999999999999999999999999.99"},
		{decimal128.GetMaxValue(38).Negate(), 38, "-0.99999999999999999999999999999999999999"},
		{decimal128.GetScaleMultiplier(19), 0, "10000000000000000000"},
		{decimal128.GetScaleMultiplier(19).Negate(), 19, "-1.0000000000000000000"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FormatDecimal(tt.num, tt.scale))
	}
}

func TestAppendFloat(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-2.5, "-2.5"}, {0.1, "0.1"}, {1234567, "1234567"},
		{0.0001, "0.0001"}, {0.00001, "1e-05"}, {1e20, "100000000000000000000"}, {1e21, "1e+21"},
		{123456789.125, "123456789.125"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
		{1.0 / 3, "0.3333333333333333"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(AppendFloat(nil, tt.v)))
	}
}

func TestFormatDate(t *testing.T) {
	assert.Equal(t, "1970-01-01", FormatDate(0))
	assert.Equal(t, "1969-12-31", FormatDate(-1))
	assert.Equal(t, "2000-02-29", FormatDate(11016))
	assert.Equal(t, "0001-01-01", FormatDate(-719162))
	assert.Equal(t, "10000-01-01", FormatDate(2932897))
}

// sampleRecord builds a record with every type, NULLs and awkward strings.
func sampleRecord(mem memory.Allocator) arrow.Record {
	schema := schemaOf("i", types.Int64Type, "f", types.Float64Type, "d", types.DecimalType(15, 2),
		"s", types.StringType, "day", types.DateType, "b", types.BoolType, "at", types.TimestampType)
	bld := array.NewRecordBuilder(mem, schema)
	defer bld.Release()
	ib := bld.Field(0).(*array.Int64Builder)
	fb := bld.Field(1).(*array.Float64Builder)
	db := bld.Field(2).(*array.Decimal128Builder)
	sb := bld.Field(3).(*array.StringBuilder)
	tb := bld.Field(4).(*array.Date32Builder)
	bb := bld.Field(5).(*array.BooleanBuilder)
	ab := bld.Field(6).(*array.TimestampBuilder)
	ib.AppendValues([]int64{1, -2, math.MaxInt64, 0}, []bool{true, true, true, false})
	fb.AppendValues([]float64{1.5, 1e-7, 1e300, 0}, []bool{true, true, true, false})
	db.AppendValues([]decimal128.Num{decimal128.FromI64(1250), decimal128.FromI64(-5), decimal128.FromI64(999999999999999), {}}, []bool{true, true, true, false})
	sb.AppendValues([]string{"plain", "", "a,b \"q\"\nline2\r\n", ""}, []bool{true, true, true, false})
	tb.AppendValues([]arrow.Date32{0, 19782, -1, 0}, []bool{true, true, true, false})
	bb.AppendValues([]bool{true, false, true, false}, []bool{true, true, true, false})
	ab.AppendValues([]arrow.Timestamp{0, 1709208245123456, -500000, 0}, []bool{true, true, true, false})
	return bld.NewRecord()
}

func TestWriterOutput(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := sampleRecord(mem)
	defer rec.Release()
	var out bytes.Buffer
	w, err := NewWriter(&out, rec.Schema(), WriterOptions{})
	require.NoError(t, err)
	require.NoError(t, w.Write(context.Background(), rec))
	require.NoError(t, w.Flush())
	want := "i,f,d,s,day,b,at\n" +
		"1,1.5,12.50,plain,1970-01-01,true,1970-01-01 00:00:00\n" +
		"-2,1e-07,-0.05,\"\",2024-02-29,false,2024-02-29 12:04:05.123456\n" +
		"9223372036854775807,1e+300,9999999999999.99,\"a,b \"\"q\"\"\nline2\r\n\",1969-12-31,true,1969-12-31 23:59:59.5\n" +
		",,,,,,\n"
	assert.Equal(t, want, out.String())

	out.Reset()
	w, err = NewWriter(&out, rec.Schema(), WriterOptions{Delimiter: '|', NoHeader: true, CRLF: true})
	require.NoError(t, err)
	slice := rec.NewSlice(1, 2)
	require.NoError(t, w.Write(context.Background(), slice))
	slice.Release()
	require.NoError(t, w.Flush())
	assert.Equal(t, "-2|1e-07|-0.05|\"\"|2024-02-29|false|2024-02-29 12:04:05.123456\r\n", out.String())

	// A delimiter that occurs in numbers and dates forces quoting them.
	out.Reset()
	w, err = NewWriter(&out, rec.Schema(), WriterOptions{Delimiter: '-', NoHeader: true})
	require.NoError(t, err)
	slice = rec.NewSlice(1, 2)
	require.NoError(t, w.Write(context.Background(), slice))
	slice.Release()
	require.NoError(t, w.Flush())
	assert.Equal(t, `"-2"-"1e-07"-"-0.05"-""-"2024-02-29"-false-"2024-02-29 12:04:05.123456"`+"\n", out.String())

	// So does one in timestamps.
	out.Reset()
	w, err = NewWriter(&out, rec.Schema(), WriterOptions{Delimiter: ':', NoHeader: true})
	require.NoError(t, err)
	slice = rec.NewSlice(1, 2)
	require.NoError(t, w.Write(context.Background(), slice))
	slice.Release()
	require.NoError(t, w.Flush())
	assert.Equal(t, `-2:1e-07:-0.05:"":2024-02-29:false:"2024-02-29 12:04:05.123456"`+"\n", out.String())
}

func TestWriterRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := sampleRecord(mem)
	defer rec.Release()
	for _, o := range []WriterOptions{{}, {Delimiter: '|', CRLF: true}, {Delimiter: '\t'}} {
		path := filepath.Join(t.TempDir(), "rt.csv")
		fd, err := os.Create(path)
		require.NoError(t, err)
		w, err := NewWriter(fd, rec.Schema(), o)
		require.NoError(t, err)
		require.NoError(t, w.Write(context.Background(), rec))
		require.NoError(t, w.Write(context.Background(), rec))
		require.NoError(t, w.Flush())
		require.NoError(t, fd.Close())

		f, err := Open(context.Background(), path, Options{Schema: rec.Schema(), Delimiter: o.Delimiter})
		require.NoError(t, err)
		assert.True(t, f.HasHeader())
		got, err := readAll(t, f, nil)
		require.NoError(t, err)
		want := append(recordRows(rec), recordRows(rec)...)
		assert.Equal(t, want, got)
		// Inference reads it back too (types may differ: 1.5 and 1e-07 make DOUBLE).
		f, err = Open(context.Background(), path, Options{Delimiter: o.Delimiter})
		require.NoError(t, err)
		assert.Equal(t, "i:BIGINT, f:DOUBLE, d:DECIMAL(18,2), s:VARCHAR, day:DATE, b:BOOLEAN, at:TIMESTAMP", schemaString(f.Schema()))
		got, err = readAll(t, f, nil)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
}

func TestWriterHeaderOnlyAndErrors(t *testing.T) {
	schema := schemaOf("a b", types.StringType, "c,d", types.Int64Type)
	var out bytes.Buffer
	w, err := NewWriter(&out, schema, WriterOptions{})
	require.NoError(t, err)
	require.NoError(t, w.Flush())
	assert.Equal(t, "a b,\"c,d\"\n", out.String())

	_, err = NewWriter(&out, arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int32}}, nil), WriterOptions{})
	assert.ErrorIs(t, err, sqlerr.ErrNotSupported)

	w, err = NewWriter(failWriter{}, schema, WriterOptions{})
	require.NoError(t, err)
	err = w.Flush()
	assert.ErrorIs(t, err, sqlerr.ErrIO)
	assert.ErrorIs(t, w.Flush(), sqlerr.ErrIO)
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterCancel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewInt64Builder(mem)
	for i := 0; i < 10000; i++ {
		b.Append(int64(i))
	}
	arr := b.NewArray()
	b.Release()
	schema := schemaOf("x", types.Int64Type)
	rec := array.NewRecord(schema, []arrow.Array{arr}, 10000)
	arr.Release()
	defer rec.Release()
	w, err := NewWriter(&bytes.Buffer{}, schema, WriterOptions{})
	require.NoError(t, err)
	ctx := &countdownCtx{Context: context.Background()}
	ctx.left.Store(1)
	assert.ErrorIs(t, w.Write(ctx, rec), context.Canceled)
}

func TestAppendValue(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := sampleRecord(mem)
	defer rec.Release()
	assert.Equal(t, [][]string{
		{"1", "1.5", "12.50", "plain", "1970-01-01", "true", "1970-01-01 00:00:00"},
		{"-2", "1e-07", "-0.05", "", "2024-02-29", "false", "2024-02-29 12:04:05.123456"},
		{"9223372036854775807", "1e+300", "9999999999999.99", "a,b \"q\"\nline2\r\n", "1969-12-31", "true", "1969-12-31 23:59:59.5"},
		{"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
	}, recordRows(rec))
	n := array.NewNull(2)
	defer n.Release()
	assert.Equal(t, "", string(AppendValue(nil, n, 0)))
}
