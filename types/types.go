// Package types is minisql's logical type system and its mapping onto Arrow.
//
// Every logical type has exactly one physical Arrow representation, so kernels
// never have to ask which of several layouts a column uses:
//
//	BIGINT   arrow.Int64   (INT, INTEGER, SMALLINT and TINYINT are stored as BIGINT)
//	DOUBLE   arrow.Float64 (FLOAT and REAL too)
//	DECIMAL  arrow.Decimal128(p, s), 1 <= p <= 38, 0 <= s <= p
//	VARCHAR  arrow.String  (CHAR, TEXT, STRING)
//	DATE     arrow.Date32  (days since 1970-01-01)
//	TIMESTAMP arrow.Timestamp(µs, no time zone): microseconds since 1970-01-01 00:00:00
//	BOOLEAN  arrow.Boolean
//
// Sources with narrower or other physical types (Parquet INT32, Arrow
// LargeString, ...) are normalised to these at scan time.
package types

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
)

// Kind is the family of a logical type.
type Kind uint8

const (
	// Null is the type of an untyped NULL literal; it converts to any type.
	Null Kind = iota
	Bool
	Int64
	Float64
	Decimal
	String
	Date
	// Interval is the type of an INTERVAL literal. It exists only inside
	// expressions (date +/- interval) and is never a column type.
	Interval
	// Timestamp is a date and time of day without a time zone, to the
	// microsecond, as DuckDB's TIMESTAMP.
	Timestamp
)

// MaxDecimalPrecision is the widest decimal that fits in 128 bits.
const MaxDecimalPrecision = 38

// T is a logical type. The zero value is the NULL type.
type T struct {
	Kind      Kind
	Precision uint8 // DECIMAL only
	Scale     uint8 // DECIMAL only
}

// timestampArrow is TIMESTAMP's physical type: microseconds, no time zone
// (arrow.FixedWidthTypes.Timestamp_us is in UTC, which is TIMESTAMPTZ).
// Never modified.
var timestampArrow = &arrow.TimestampType{Unit: arrow.Microsecond}

// Commonly used types.
var (
	NullType      = T{Kind: Null}
	BoolType      = T{Kind: Bool}
	Int64Type     = T{Kind: Int64}
	Float64Type   = T{Kind: Float64}
	StringType    = T{Kind: String}
	DateType      = T{Kind: Date}
	IntervalType  = T{Kind: Interval}
	TimestampType = T{Kind: Timestamp}
)

// DecimalType returns DECIMAL(p, s). It panics on an invalid precision or
// scale: callers validate user input with NewDecimal first.
func DecimalType(p, s int) T {
	t, err := NewDecimal(p, s)
	if err != nil {
		panic(err)
	}
	return t
}

// NewDecimal validates and returns DECIMAL(p, s).
func NewDecimal(p, s int) (T, error) {
	if p < 1 || p > MaxDecimalPrecision {
		return T{}, fmt.Errorf("decimal precision %d out of range 1..%d", p, MaxDecimalPrecision)
	}
	if s < 0 || s > p {
		return T{}, fmt.Errorf("decimal scale %d out of range 0..%d", s, p)
	}
	return T{Kind: Decimal, Precision: uint8(p), Scale: uint8(s)}, nil
}

// IsNumeric reports whether t is BIGINT, DOUBLE or DECIMAL.
func (t T) IsNumeric() bool {
	return t.Kind == Int64 || t.Kind == Float64 || t.Kind == Decimal
}

func (t T) String() string {
	switch t.Kind {
	case Null:
		return "NULL"
	case Bool:
		return "BOOLEAN"
	case Int64:
		return "BIGINT"
	case Float64:
		return "DOUBLE"
	case Decimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale)
	case String:
		return "VARCHAR"
	case Date:
		return "DATE"
	case Interval:
		return "INTERVAL"
	case Timestamp:
		return "TIMESTAMP"
	}
	return fmt.Sprintf("Kind(%d)", t.Kind)
}

// Arrow returns the physical Arrow type of t. NULL maps to arrow.Null.
func (t T) Arrow() arrow.DataType {
	switch t.Kind {
	case Bool:
		return arrow.FixedWidthTypes.Boolean
	case Int64:
		return arrow.PrimitiveTypes.Int64
	case Float64:
		return arrow.PrimitiveTypes.Float64
	case Decimal:
		return &arrow.Decimal128Type{Precision: int32(t.Precision), Scale: int32(t.Scale)}
	case String:
		return arrow.BinaryTypes.String
	case Date:
		return arrow.FixedWidthTypes.Date32
	case Interval:
		return arrow.FixedWidthTypes.MonthDayNanoInterval
	case Timestamp:
		return timestampArrow
	}
	return arrow.Null
}

// FromArrow returns the logical type whose physical type is dt. It accepts
// only the canonical physical types listed in the package comment; use
// Normalize for the types a source may produce.
func FromArrow(dt arrow.DataType) (T, error) {
	switch dt.ID() {
	case arrow.NULL:
		return NullType, nil
	case arrow.BOOL:
		return BoolType, nil
	case arrow.INT64:
		return Int64Type, nil
	case arrow.FLOAT64:
		return Float64Type, nil
	case arrow.DECIMAL128:
		d := dt.(*arrow.Decimal128Type)
		return NewDecimal(int(d.Precision), int(d.Scale))
	case arrow.STRING:
		return StringType, nil
	case arrow.DATE32:
		return DateType, nil
	case arrow.INTERVAL_MONTH_DAY_NANO:
		return IntervalType, nil
	case arrow.TIMESTAMP:
		if ts := dt.(*arrow.TimestampType); ts.Unit == arrow.Microsecond && ts.TimeZone == "" {
			return TimestampType, nil
		}
	}
	return T{}, fmt.Errorf("arrow type %s is not a minisql physical type", dt)
}

// MustFromArrow is FromArrow for types the engine itself produced.
func MustFromArrow(dt arrow.DataType) T {
	t, err := FromArrow(dt)
	if err != nil {
		panic(err)
	}
	return t
}
