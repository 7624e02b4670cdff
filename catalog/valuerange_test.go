package catalog_test

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/catalog"
)

func TestParquetValueRange(t *testing.T) {
	p, err := catalog.OpenParquet("orders", "../testdata/tpch/sf0.01/orders.parquet")
	require.NoError(t, err)
	defer p.Close()
	col := func(name string) int { return p.Schema().FieldIndices(name)[0] }
	lo, hi, ok := p.ValueRange(col("o_orderdate"))
	require.True(t, ok)
	assert.Equal(t, []float64{8035, 10440}, []float64{lo, hi}, "1992-01-01 to 1998-08-02, in days")
	lo, hi, ok = p.ValueRange(col("o_totalprice"))
	require.True(t, ok)
	assert.Less(t, lo, 1000.0)
	assert.Greater(t, hi, 400000.0)
	_, _, ok = p.ValueRange(col("o_comment"))
	assert.False(t, ok, "strings have no range")
}

func TestMemTableValueRange(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "m", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}},
		{Name: "s", Type: arrow.BinaryTypes.String},
	}, nil)
	batch := func(ints []int64, valid []bool, cents []int64) arrow.Record {
		b := array.NewRecordBuilder(mem, schema)
		defer b.Release()
		b.Field(0).(*array.Int64Builder).AppendValues(ints, valid)
		for _, c := range cents {
			b.Field(1).(*array.Decimal128Builder).Append(decimal128.FromI64(c))
			b.Field(2).(*array.StringBuilder).Append("x")
		}
		return b.NewRecord()
	}
	m := catalog.NewMemTable("t", schema)
	defer m.Release()
	r := batch([]int64{5, -100, 7}, []bool{true, false, true}, []int64{150, -25, 0})
	require.NoError(t, m.Append(r))
	r.Release()
	for _, tc := range []struct {
		col    int
		lo, hi float64
		ok     bool
	}{{0, 5, 7, true}, {1, -0.25, 1.5, true}, {2, 0, 0, false}} {
		lo, hi, ok := m.ValueRange(tc.col)
		assert.Equal(t, tc.ok, ok, "column %d", tc.col)
		assert.Equal(t, []float64{tc.lo, tc.hi}, []float64{lo, hi}, "column %d (the NULL -100 is not a value)", tc.col)
	}
	r = batch([]int64{42}, nil, []int64{1})
	require.NoError(t, m.Append(r))
	r.Release()
	lo, hi, _ := m.ValueRange(0)
	assert.Equal(t, []float64{5, 42}, []float64{lo, hi}, "an append widens the cached range")
}

func TestRangeTableValueRange(t *testing.T) {
	for _, tc := range []struct {
		name   string
		lo, hi float64
		ok     bool
	}{{"range(1000)", 0, 999, true}, {"range(10, 0, -3)", 1, 10, true}, {"range(5, 5)", 0, 0, false}} {
		r, isRange, err := catalog.ParseRange(tc.name)
		require.NoError(t, err)
		require.True(t, isRange)
		lo, hi, ok := r.ValueRange(0)
		assert.Equal(t, tc.ok, ok, tc.name)
		assert.Equal(t, []float64{tc.lo, tc.hi}, []float64{lo, hi}, tc.name)
	}
}
