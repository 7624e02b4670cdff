package types

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTypeName(t *testing.T) {
	cases := []struct {
		in   string
		want T
		err  string // substring of the error; "" when valid
	}{
		{in: "BIGINT", want: Int64Type},
		{in: "bigint", want: Int64Type},
		{in: "  Integer  ", want: Int64Type},
		{in: "INT", want: Int64Type},
		{in: "smallint", want: Int64Type},
		{in: "TINYINT", want: Int64Type},
		{in: "HUGEINT", want: Int64Type},
		{in: "signed   integer", want: Int64Type},
		{in: "DOUBLE", want: Float64Type},
		{in: "double precision", want: Float64Type},
		{in: "FLOAT", want: Float64Type},
		{in: "float(24)", want: Float64Type},
		{in: "REAL", want: Float64Type},
		{in: "DECIMAL", want: DecimalType(18, 3)},
		{in: "decimal(15,2)", want: DecimalType(15, 2)},
		{in: "decimal ( 15 , 2 )", want: DecimalType(15, 2)},
		{in: "NUMERIC(10)", want: DecimalType(10, 0)},
		{in: "dec(38,38)", want: DecimalType(38, 38)},
		{in: "DECIMAL(1,0)", want: DecimalType(1, 0)},
		{in: "VARCHAR", want: StringType},
		{in: "varchar(25)", want: StringType},
		{in: "CHAR(1)", want: StringType},
		{in: "TEXT", want: StringType},
		{in: "character varying(10)", want: StringType},
		{in: "STRING", want: StringType},
		{in: "DATE", want: DateType},
		{in: "TIMESTAMP", want: TimestampType},
		{in: "datetime(6)", want: TimestampType},
		{in: "BOOLEAN", want: BoolType},
		{in: "bool", want: BoolType},

		{in: "", err: "missing type name"},
		{in: "   ", err: "missing type name"},
		{in: "(10)", err: "missing type name"},
		{in: "TIMESTAMPTZ", err: "unknown type"},
		{in: "TIMESTAMP WITH TIME ZONE", err: "unknown type"},
		{in: "INTERVAL", err: "unknown type"},
		{in: "VARCHAR2", err: "unknown type"},
		{in: "BIGINT(20)", err: "takes no arguments"},
		{in: "DATE(3)", err: "takes no arguments"},
		{in: "DECIMAL(1,2,3)", err: "at most two arguments"},
		{in: "DECIMAL(39,2)", err: "precision 39"},
		{in: "DECIMAL(0)", err: "precision 0"},
		{in: "DECIMAL(5,6)", err: "scale 6"},
		{in: "DECIMAL(15,2", err: "missing ')'"},
		{in: "DECIMAL(", err: "missing ')'"},
		{in: "DECIMAL()", err: "bad argument"},
		{in: "DECIMAL(a,2)", err: "bad argument"},
		{in: "DECIMAL(-1,2)", err: "bad argument"},
		{in: "DECIMAL(15,)", err: "bad argument"},
		{in: "DECIMAL(15)(2)", err: "bad argument"},
		{in: "DECIMAL(99999999999999999999)", err: "bad argument"},
		{in: "DECIMAL(15,2) x", err: "missing ')'"},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if c.err != "" {
			require.Error(t, err, "%q", c.in)
			assert.Contains(t, err.Error(), c.err, "%q", c.in)
			continue
		}
		require.NoError(t, err, "%q", c.in)
		assert.Equal(t, c.want, got, "%q", c.in)
	}
}

// The name a type prints parses back to the same type.
func TestTypeStringParsesBack(t *testing.T) {
	all := []T{Int64Type, Float64Type, StringType, DateType, BoolType, DecimalType(1, 0), DecimalType(15, 2), DecimalType(38, 38)}
	for _, typ := range all {
		got, err := Parse(typ.String())
		require.NoError(t, err, typ.String())
		assert.Equal(t, typ, got)
	}
}

func TestArrowMapping(t *testing.T) {
	cases := []struct {
		t  T
		dt arrow.DataType
	}{
		{NullType, arrow.Null},
		{BoolType, arrow.FixedWidthTypes.Boolean},
		{Int64Type, arrow.PrimitiveTypes.Int64},
		{Float64Type, arrow.PrimitiveTypes.Float64},
		{DecimalType(15, 2), &arrow.Decimal128Type{Precision: 15, Scale: 2}},
		{StringType, arrow.BinaryTypes.String},
		{DateType, arrow.FixedWidthTypes.Date32},
		{IntervalType, arrow.FixedWidthTypes.MonthDayNanoInterval},
	}
	for _, c := range cases {
		assert.True(t, arrow.TypeEqual(c.dt, c.t.Arrow()), "%s -> %s", c.t, c.t.Arrow())
		back, err := FromArrow(c.dt)
		require.NoError(t, err, "%s", c.dt)
		assert.Equal(t, c.t, back)
		assert.Equal(t, c.t, MustFromArrow(c.dt))
	}
	for _, dt := range []arrow.DataType{
		arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Float32, arrow.BinaryTypes.LargeString,
		arrow.BinaryTypes.Binary, arrow.FixedWidthTypes.Date64, &arrow.Decimal128Type{Precision: 39, Scale: 0},
		&arrow.Decimal256Type{Precision: 40, Scale: 2},
	} {
		_, err := FromArrow(dt)
		assert.Error(t, err, "%s", dt)
	}
	assert.Panics(t, func() { MustFromArrow(arrow.PrimitiveTypes.Int32) })
}

func TestDecimalConstructors(t *testing.T) {
	for p := 1; p <= MaxDecimalPrecision; p++ {
		for s := 0; s <= p; s++ {
			d, err := NewDecimal(p, s)
			require.NoError(t, err)
			assert.Equal(t, T{Kind: Decimal, Precision: uint8(p), Scale: uint8(s)}, d)
		}
	}
	for _, c := range [][2]int{{0, 0}, {39, 0}, {-1, 0}, {10, 11}, {10, -1}, {300, 2}} {
		_, err := NewDecimal(c[0], c[1])
		assert.Error(t, err, "DECIMAL(%d,%d)", c[0], c[1])
	}
	assert.Panics(t, func() { DecimalType(39, 0) })
}

func TestTypeStringAndNumeric(t *testing.T) {
	cases := []struct {
		t       T
		name    string
		numeric bool
	}{
		{NullType, "NULL", false},
		{BoolType, "BOOLEAN", false},
		{Int64Type, "BIGINT", true},
		{Float64Type, "DOUBLE", true},
		{DecimalType(15, 2), "DECIMAL(15,2)", true},
		{StringType, "VARCHAR", false},
		{DateType, "DATE", false},
		{IntervalType, "INTERVAL", false},
		{T{Kind: 99}, "Kind(99)", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.name, c.t.String())
		assert.Equal(t, c.numeric, c.t.IsNumeric(), c.name)
	}
}
