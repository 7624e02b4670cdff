package parquetsrc

import (
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Columns of the statistics test file, 300 rows in 3 row groups of 100.
const (
	colI  = iota // BIGINT row
	colS         // VARCHAR "k%03d"
	colD         // DECIMAL(9,2) on INT32: row*10 (row/10 units)
	colDt        // DATE row
	colF         // DOUBLE row/2
	colB         // BOOLEAN row >= 150
	colN         // BIGINT: odd rows in rg 0, NULL in rg 1, row in rg 2
	colU         // UINT32 4e9 + row
)

func writeStatsFile(t testing.TB, opts ...parquet.WriterProperty) string {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "d", Type: &arrow.Decimal128Type{Precision: 9, Scale: 2}, Nullable: true},
		{Name: "dt", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "u", Type: arrow.PrimitiveTypes.Uint32, Nullable: true},
	}, nil)
	rec := buildRecord(memory.NewGoAllocator(), sc, func(b *array.RecordBuilder) {
		for row := 0; row < 300; row++ {
			b.Field(colI).(*array.Int64Builder).Append(int64(row))
			b.Field(colS).(*array.StringBuilder).Append(fmt.Sprintf("k%03d", row))
			b.Field(colD).(*array.Decimal128Builder).Append(dec(int64(row) * 10))
			b.Field(colDt).(*array.Date32Builder).Append(arrow.Date32(row))
			b.Field(colF).(*array.Float64Builder).Append(float64(row) / 2)
			b.Field(colB).(*array.BooleanBuilder).Append(row >= 150)
			switch {
			case row < 100 && row%2 == 1, row >= 200:
				b.Field(colN).(*array.Int64Builder).Append(int64(row))
			default:
				b.Field(colN).AppendNull()
			}
			b.Field(colU).(*array.Uint32Builder).Append(uint32(4_000_000_000 + row))
		}
	})
	defer rec.Release()
	return writeArrow(t, rec, append([]parquet.WriterProperty{
		parquet.WithMaxRowGroupLength(100), parquet.WithStoreDecimalAsInteger(true)}, opts...)...)
}

func TestStats(t *testing.T) {
	f, err := Open(writeStatsFile(t))
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, 3, f.NumRowGroups())

	cases := []struct {
		rg, col  int
		min, max any
		nulls    int64
	}{
		{0, colI, int64(0), int64(99), 0},
		{2, colI, int64(200), int64(299), 0},
		{1, colS, "k100", "k199", 0},
		{1, colD, dec(1000), dec(1990), 0},
		{2, colDt, arrow.Date32(200), arrow.Date32(299), 0},
		{0, colF, 0.0, 49.5, 0},
		{1, colB, false, true, 0},
		{2, colB, true, true, 0},
		{0, colN, int64(1), int64(99), 50},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("rg%d col%d", tc.rg, tc.col), func(t *testing.T) {
			s := f.Stats(tc.rg, tc.col)
			assert.EqualValues(t, 100, s.Rows)
			require.True(t, s.HasMinMax)
			assert.Equal(t, tc.min, s.Min)
			assert.Equal(t, tc.max, s.Max)
			assert.True(t, s.HasNullCount)
			assert.Equal(t, tc.nulls, s.NullCount)
		})
	}
	// arrow-go writes a wrong max for unsigned columns: never trusted.
	assert.False(t, f.Stats(2, colU).HasMinMax)
	allNull := f.Stats(1, colN)
	assert.False(t, allNull.HasMinMax)
	assert.True(t, allNull.HasNullCount)
	assert.EqualValues(t, 100, allNull.NullCount)
}

func TestPrune(t *testing.T) {
	f, err := Open(writeStatsFile(t))
	require.NoError(t, err)
	defer f.Close()
	noStats, err := Open(writeStatsFile(t, parquet.WithStats(false)))
	require.NoError(t, err)
	defer noStats.Close()
	assert.False(t, noStats.Stats(0, colI).HasMinMax)
	assert.False(t, noStats.Stats(0, colI).HasNullCount)

	p := func(col int, op Op, vals ...any) Predicate { return Predicate{Col: col, Op: op, Values: vals} }
	cases := []struct {
		name  string
		preds []Predicate
		want  []int
	}{
		{"none", nil, []int{0, 1, 2}},
		{"eq", []Predicate{p(colI, Eq, int64(150))}, []int{1}},
		{"eq outside", []Predicate{p(colI, Eq, int64(1000))}, []int{}},
		{"lt", []Predicate{p(colI, Lt, int64(100))}, []int{0}},
		{"le", []Predicate{p(colI, Le, int64(100))}, []int{0, 1}},
		{"gt", []Predicate{p(colI, Gt, int64(199))}, []int{2}},
		{"ge", []Predicate{p(colI, Ge, int64(199))}, []int{1, 2}},
		{"between", []Predicate{p(colI, Between, int64(150), int64(250))}, []int{1, 2}},
		{"between inside one", []Predicate{p(colI, Between, int64(10), int64(20))}, []int{0}},
		{"in", []Predicate{p(colI, In, int64(5), int64(250))}, []int{0, 2}},
		{"in empty", []Predicate{p(colI, In)}, []int{}},
		{"in with null", []Predicate{p(colI, In, nil, int64(120))}, []int{1}},
		{"eq null", []Predicate{p(colI, Eq, nil)}, []int{}},
		{"conjunction", []Predicate{p(colI, Ge, int64(50)), p(colI, Lt, int64(150))}, []int{0, 1}},
		{"conjunction empty", []Predicate{p(colI, Lt, int64(50)), p(colS, Eq, "k250")}, []int{}},
		{"string", []Predicate{p(colS, Eq, "k150")}, []int{1}},
		{"string prefix range", []Predicate{p(colS, Between, "k2", "k3")}, []int{2}},
		{"decimal", []Predicate{p(colD, Between, dec(500), dec(1000))}, []int{0, 1}},
		{"date", []Predicate{p(colDt, Gt, arrow.Date32(250))}, []int{2}},
		{"double", []Predicate{p(colF, Lt, 10.0)}, []int{0}},
		{"bool", []Predicate{p(colB, Eq, true)}, []int{1, 2}},
		{"unsigned has no bounds", []Predicate{p(colU, Ge, int64(4_000_000_250))}, []int{0, 1, 2}},
		{"all-null group", []Predicate{p(colN, Gt, int64(0))}, []int{0, 2}},
		{"nulls and range", []Predicate{p(colN, Eq, int64(10))}, []int{0}},
		{"wrong value type keeps", []Predicate{p(colI, Eq, "150")}, []int{0, 1, 2}},
		{"wrong arity keeps", []Predicate{p(colI, Between, int64(1))}, []int{0, 1, 2}},
		{"bad column keeps", []Predicate{p(99, Eq, int64(1))}, []int{0, 1, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, f.Prune(tc.preds))
			// Without statistics nothing can be proven. (NULL literals
			// still match nothing.)
			got := noStats.Prune(tc.preds)
			if tc.name == "eq null" || tc.name == "in empty" {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, []int{0, 1, 2}, got)
			}
		})
	}
}
