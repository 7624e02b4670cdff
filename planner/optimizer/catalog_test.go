package optimizer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/sqlerr"
)

// colSpec describes one generated column: row i holds value i % ndv, so
// the column has exactly ndv distinct values (ndv 0 means one per row).
type colSpec struct {
	name string
	typ  arrow.DataType
	ndv  int
}

// tableSpec describes one generated in-memory table.
type tableSpec struct {
	name string
	rows int
	cols []colSpec
}

var (
	i64  = arrow.PrimitiveTypes.Int64
	str  = arrow.BinaryTypes.String
	date = arrow.FixedWidthTypes.Date32
	dec  = &arrow.Decimal128Type{Precision: 15, Scale: 2}
)

// testCatalog is a catalog.Catalog of generated MemTables with known row
// and distinct counts (MemTable samples its NDVs; below 100k rows the
// sample is the whole table, so the estimates are exact).
type testCatalog struct {
	tables map[string]*catalog.MemTable
}

// Table implements catalog.Catalog.
func (c *testCatalog) Table(name string) (catalog.Table, error) {
	if t, ok := c.tables[strings.ToLower(name)]; ok {
		return t, nil
	}
	return nil, sqlerr.New(sqlerr.ErrUnknownTable, "%q", name)
}

// newCatalog builds the tables; they are released, and the allocator
// checked, when the test ends.
func newCatalog(t *testing.T, specs ...tableSpec) *testCatalog {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	c := &testCatalog{tables: map[string]*catalog.MemTable{}}
	t.Cleanup(func() {
		for _, tb := range c.tables {
			tb.Release()
		}
		mem.AssertSize(t, 0)
	})
	for _, s := range specs {
		fields := make([]arrow.Field, len(s.cols))
		for i, col := range s.cols {
			fields[i] = arrow.Field{Name: col.name, Type: col.typ, Nullable: true}
		}
		schema := arrow.NewSchema(fields, nil)
		tb := catalog.NewMemTable(s.name, schema)
		c.tables[s.name] = tb
		if s.rows == 0 {
			continue
		}
		cols := make([]arrow.Array, len(s.cols))
		for i, col := range s.cols {
			cols[i] = genColumn(mem, col, s.rows)
		}
		rec := array.NewRecord(schema, cols, int64(s.rows))
		for _, a := range cols {
			a.Release()
		}
		err := tb.Append(rec)
		rec.Release()
		require.NoError(t, err)
	}
	return c
}

func genColumn(mem memory.Allocator, c colSpec, rows int) arrow.Array {
	ndv := c.ndv
	if ndv <= 0 {
		ndv = rows
	}
	switch c.typ.ID() {
	case arrow.INT64:
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.Reserve(rows)
		for i := 0; i < rows; i++ {
			b.UnsafeAppend(int64(i % ndv))
		}
		return b.NewArray()
	case arrow.FLOAT64:
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		b.Reserve(rows)
		for i := 0; i < rows; i++ {
			b.UnsafeAppend(float64(i%ndv) / 4)
		}
		return b.NewArray()
	case arrow.STRING:
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.Reserve(rows)
		for i := 0; i < rows; i++ {
			b.Append(fmt.Sprintf("%s_%d", c.name, i%ndv))
		}
		return b.NewArray()
	case arrow.DATE32:
		b := array.NewDate32Builder(mem)
		defer b.Release()
		b.Reserve(rows)
		for i := 0; i < rows; i++ {
			b.UnsafeAppend(arrow.Date32(8035 + i%ndv)) // from 1992-01-01
		}
		return b.NewArray()
	case arrow.DECIMAL128:
		b := array.NewDecimal128Builder(mem, c.typ.(*arrow.Decimal128Type))
		defer b.Release()
		b.Reserve(rows)
		for i := 0; i < rows; i++ {
			b.UnsafeAppend(decimal128.FromI64(int64(i%ndv) * 100))
		}
		return b.NewArray()
	}
	panic("genColumn: unsupported type " + c.typ.String())
}

// basicTables are the tables of the single-rule tests: t (1000 rows), u
// (100 rows) and v (10 rows), plus an empty table e.
func basicTables() []tableSpec {
	return []tableSpec{
		{"t", 1000, []colSpec{{"a", i64, 0}, {"b", i64, 10}, {"c", str, 5}, {"d", date, 100}, {"m", dec, 50}}},
		{"u", 100, []colSpec{{"x", i64, 0}, {"y", i64, 20}, {"z", str, 4}}},
		{"v", 10, []colSpec{{"p", i64, 0}, {"q", i64, 5}}},
		{"e", 0, []colSpec{{"k", i64, 0}}},
	}
}

// tpchTables are the TPC-H tables a tenth of SF0.01 in size (lineitem 6000
// rows, region 5), with the distinct counts of the real data scaled the
// same way, and only the columns the join-order tests' queries read.
func tpchTables() []tableSpec {
	return []tableSpec{
		{"region", 5, []colSpec{{"r_regionkey", i64, 0}, {"r_name", str, 0}}},
		{"nation", 25, []colSpec{{"n_nationkey", i64, 0}, {"n_name", str, 0}, {"n_regionkey", i64, 5}}},
		{"supplier", 10, []colSpec{{"s_suppkey", i64, 0}, {"s_name", str, 0}, {"s_nationkey", i64, 0}}},
		{"customer", 150, []colSpec{
			{"c_custkey", i64, 0}, {"c_name", str, 0}, {"c_address", str, 0}, {"c_nationkey", i64, 25},
			{"c_phone", str, 0}, {"c_acctbal", dec, 0}, {"c_mktsegment", str, 5}, {"c_comment", str, 0}}},
		{"part", 200, []colSpec{{"p_partkey", i64, 0}, {"p_name", str, 0}, {"p_type", str, 150}}},
		{"partsupp", 800, []colSpec{{"ps_partkey", i64, 200}, {"ps_suppkey", i64, 10}, {"ps_supplycost", dec, 0}}},
		{"orders", 1500, []colSpec{
			{"o_orderkey", i64, 0}, {"o_custkey", i64, 100}, {"o_orderdate", date, 0}, {"o_shippriority", i64, 1}}},
		{"lineitem", 6000, []colSpec{
			{"l_orderkey", i64, 1500}, {"l_partkey", i64, 200}, {"l_suppkey", i64, 10}, {"l_quantity", dec, 50},
			{"l_extendedprice", dec, 0}, {"l_discount", dec, 11}, {"l_returnflag", str, 3}, {"l_shipdate", date, 2500}}},
	}
}
