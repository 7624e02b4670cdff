package tpchgen

import (
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/minisql/minisql/sqlerr"
)

// table identifies one of the eight TPC-H tables, in canonical order.
type table int

const (
	tRegion table = iota
	tNation
	tSupplier
	tCustomer
	tPart
	tPartsupp
	tOrders
	tLineitem
	numTables
)

// colKind is the logical type of a column; each has one Arrow layout.
type colKind uint8

const (
	kInt  colKind = iota // BIGINT, arrow.Int64
	kDec                 // DECIMAL(15,2), arrow.Decimal128
	kDate                // DATE, arrow.Date32
	kStr                 // VARCHAR, arrow.String
)

// decimalType is the type of every money, quantity, discount and tax column.
var decimalType = &arrow.Decimal128Type{Precision: 15, Scale: 2}

func (k colKind) arrowType() arrow.DataType {
	switch k {
	case kInt:
		return arrow.PrimitiveTypes.Int64
	case kDec:
		return decimalType
	case kDate:
		return arrow.FixedWidthTypes.Date32
	default:
		return arrow.BinaryTypes.String
	}
}

type column struct {
	name string
	kind colKind
}

type tableDef struct {
	name   string
	cols   []column
	schema *arrow.Schema
}

func newTableDef(name string, cols ...column) tableDef {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.kind.arrowType(), Nullable: false}
	}
	return tableDef{name: name, cols: cols, schema: arrow.NewSchema(fields, nil)}
}

// tableDefs is indexed by table. The column order is the spec's.
var tableDefs = [numTables]tableDef{
	tRegion: newTableDef("region",
		column{"r_regionkey", kInt}, column{"r_name", kStr}, column{"r_comment", kStr}),
	tNation: newTableDef("nation",
		column{"n_nationkey", kInt}, column{"n_name", kStr}, column{"n_regionkey", kInt},
		column{"n_comment", kStr}),
	tSupplier: newTableDef("supplier",
		column{"s_suppkey", kInt}, column{"s_name", kStr}, column{"s_address", kStr},
		column{"s_nationkey", kInt}, column{"s_phone", kStr}, column{"s_acctbal", kDec},
		column{"s_comment", kStr}),
	tCustomer: newTableDef("customer",
		column{"c_custkey", kInt}, column{"c_name", kStr}, column{"c_address", kStr},
		column{"c_nationkey", kInt}, column{"c_phone", kStr}, column{"c_acctbal", kDec},
		column{"c_mktsegment", kStr}, column{"c_comment", kStr}),
	tPart: newTableDef("part",
		column{"p_partkey", kInt}, column{"p_name", kStr}, column{"p_mfgr", kStr},
		column{"p_brand", kStr}, column{"p_type", kStr}, column{"p_size", kInt},
		column{"p_container", kStr}, column{"p_retailprice", kDec}, column{"p_comment", kStr}),
	tPartsupp: newTableDef("partsupp",
		column{"ps_partkey", kInt}, column{"ps_suppkey", kInt}, column{"ps_availqty", kInt},
		column{"ps_supplycost", kDec}, column{"ps_comment", kStr}),
	tOrders: newTableDef("orders",
		column{"o_orderkey", kInt}, column{"o_custkey", kInt}, column{"o_orderstatus", kStr},
		column{"o_totalprice", kDec}, column{"o_orderdate", kDate}, column{"o_orderpriority", kStr},
		column{"o_clerk", kStr}, column{"o_shippriority", kInt}, column{"o_comment", kStr}),
	tLineitem: newTableDef("lineitem",
		column{"l_orderkey", kInt}, column{"l_partkey", kInt}, column{"l_suppkey", kInt},
		column{"l_linenumber", kInt}, column{"l_quantity", kDec}, column{"l_extendedprice", kDec},
		column{"l_discount", kDec}, column{"l_tax", kDec}, column{"l_returnflag", kStr},
		column{"l_linestatus", kStr}, column{"l_shipdate", kDate}, column{"l_commitdate", kDate},
		column{"l_receiptdate", kDate}, column{"l_shipinstruct", kStr}, column{"l_shipmode", kStr},
		column{"l_comment", kStr}),
}

// Tables returns the eight TPC-H table names in canonical order: region,
// nation, supplier, customer, part, partsupp, orders, lineitem.
func Tables() []string {
	names := make([]string, numTables)
	for i := range tableDefs {
		names[i] = tableDefs[i].name
	}
	return names
}

// lookupTable resolves a table name, ignoring case.
func lookupTable(name string) (table, error) {
	for i := range tableDefs {
		if strings.EqualFold(tableDefs[i].name, name) {
			return table(i), nil
		}
	}
	return 0, sqlerr.New(sqlerr.ErrUnknownTable, "TPC-H has no table %q", name)
}

// Schema returns the Arrow schema of a table. Keys and integers are Int64,
// money, quantities, discounts and taxes Decimal128(15,2), dates Date32,
// strings String; no column is nullable. The schema is shared and must not
// be modified.
func Schema(tableName string) (*arrow.Schema, error) {
	t, err := lookupTable(tableName)
	if err != nil {
		return nil, err
	}
	return tableDefs[t].schema, nil
}
