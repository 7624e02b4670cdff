package parquetsrc

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/schema"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// conv says how the decoded physical values of a column become the engine's
// Arrow layout. It is chosen once per column at Open.
type conv uint8

const (
	convInt64     conv = iota // INT64 signed: the decoded buffer is the result
	convInt32                 // INT32 signed: widen to int64
	convUint32                // INT32 unsigned (UINT_8/16/32): widen as uint32
	convUint64                // INT64 unsigned: check <= MaxInt64, then as is
	convFloat32               // FLOAT: widen to float64
	convFloat64               // DOUBLE: as is
	convDate32                // DATE on INT32: as is, retyped
	convDecInt32              // DECIMAL on INT32: sign-extend to 128 bits
	convDecInt64              // DECIMAL on INT64: sign-extend to 128 bits
	convDecFixed              // DECIMAL on FIXED_LEN_BYTE_ARRAY: big-endian bytes
	convDecBinary             // DECIMAL on BYTE_ARRAY: big-endian bytes
	convBool                  // BOOLEAN: pack one byte per value into bits
	convString                // BYTE_ARRAY: the builder's String array
	convTsMicros              // TIMESTAMP(MICROS) on INT64: as is, retyped
	convTsMillis              // TIMESTAMP(MILLIS) on INT64: times 1000
	convTsNanos               // TIMESTAMP(NANOS) on INT64: divided by 1000, rounding down
	convInt96                 // legacy INT96 timestamp: Julian day and nanoseconds
)

// column is one top-level column of a file and how to read it.
type column struct {
	name  string
	leaf  int // index of the Parquet leaf column
	descr *schema.Column
	conv  conv
	typ   arrow.DataType // the engine type
}

// mapSchema maps the file's schema to engine columns, or fails with
// ErrNotSupported naming the first column minisql cannot read.
func mapSchema(path string, sc *schema.Schema) ([]column, error) {
	root := sc.Root()
	cols := make([]column, 0, root.NumFields())
	for i := 0; i < root.NumFields(); i++ {
		node := root.Field(i)
		if node.Type() != schema.Primitive || node.RepetitionType() == parquet.Repetitions.Repeated {
			return nil, sqlerr.NotSupported("parquet column %q of type %s in %q", node.Name(), nestedName(node), path)
		}
		// Every top-level node before this one is a primitive leaf, so the
		// field index is also the leaf index.
		descr := sc.Column(i)
		c, err := mapColumn(descr)
		if err != nil {
			return nil, sqlerr.NotSupported("parquet column %q of type %s in %q", node.Name(), err.Error(), path)
		}
		c.name, c.leaf, c.descr = node.Name(), i, descr
		cols = append(cols, c)
	}
	return cols, nil
}

// unsupported is the type name mapColumn reports for a column it cannot map.
type unsupported string

func (u unsupported) Error() string { return string(u) }

// mapColumn picks the engine type and conversion of a primitive column.
func mapColumn(d *schema.Column) (column, error) {
	lt := d.LogicalType()
	switch d.PhysicalType() {
	case parquet.Types.Boolean:
		if isPlain(lt) {
			return column{conv: convBool, typ: types.BoolType.Arrow()}, nil
		}
	case parquet.Types.Int32:
		switch t := lt.(type) {
		case intLogical:
			if t.IsSigned() {
				return column{conv: convInt32, typ: types.Int64Type.Arrow()}, nil
			}
			return column{conv: convUint32, typ: types.Int64Type.Arrow()}, nil
		case schema.DateLogicalType:
			return column{conv: convDate32, typ: types.DateType.Arrow()}, nil
		case decimalLogical:
			return decimalColumn(convDecInt32, t)
		}
		if isPlain(lt) {
			return column{conv: convInt32, typ: types.Int64Type.Arrow()}, nil
		}
	case parquet.Types.Int64:
		switch t := lt.(type) {
		case intLogical:
			if t.IsSigned() {
				return column{conv: convInt64, typ: types.Int64Type.Arrow()}, nil
			}
			return column{conv: convUint64, typ: types.Int64Type.Arrow()}, nil
		case decimalLogical:
			return decimalColumn(convDecInt64, t)
		case *schema.TimestampLogicalType:
			// Instants (isAdjustedToUTC) read as their UTC wall time:
			// minisql has no TIMESTAMP WITH TIME ZONE.
			c := column{typ: types.TimestampType.Arrow()}
			switch t.TimeUnit() {
			case schema.TimeUnitMicros:
				c.conv = convTsMicros
			case schema.TimeUnitMillis:
				c.conv = convTsMillis
			case schema.TimeUnitNanos:
				c.conv = convTsNanos
			default:
				return column{}, unsupported("TIMESTAMP with an unknown unit")
			}
			return c, nil
		}
		if isPlain(lt) {
			return column{conv: convInt64, typ: types.Int64Type.Arrow()}, nil
		}
	case parquet.Types.Int96:
		// INT96 is the legacy encoding of timestamps.
		return column{conv: convInt96, typ: types.TimestampType.Arrow()}, nil
	case parquet.Types.Float:
		if isPlain(lt) {
			return column{conv: convFloat32, typ: types.Float64Type.Arrow()}, nil
		}
	case parquet.Types.Double:
		if isPlain(lt) {
			return column{conv: convFloat64, typ: types.Float64Type.Arrow()}, nil
		}
	case parquet.Types.ByteArray:
		switch t := lt.(type) {
		case decimalLogical:
			return decimalColumn(convDecBinary, t)
		case schema.StringLogicalType, schema.EnumLogicalType, schema.JSONLogicalType, schema.BSONLogicalType:
			return column{conv: convString, typ: types.StringType.Arrow()}, nil
		}
		if isPlain(lt) {
			return column{conv: convString, typ: types.StringType.Arrow()}, nil
		}
	case parquet.Types.FixedLenByteArray:
		if t, ok := lt.(decimalLogical); ok {
			// Wider storage than 16 bytes would need sign-extension checks
			// for no practical gain: no writer produces it for p <= 38.
			if w := d.TypeLength(); w < 1 || w > 16 {
				return column{}, unsupported(fmt.Sprintf("DECIMAL(%d,%d) in %d bytes", t.Precision(), t.Scale(), w))
			}
			return decimalColumn(convDecFixed, t)
		}
	}
	return column{}, unsupported(typeName(d))
}

// intLogical and decimalLogical match the library's logical types whether
// it hands them out as values or pointers.
type intLogical interface {
	schema.LogicalType
	BitWidth() int8
	IsSigned() bool
}

type decimalLogical interface {
	schema.LogicalType
	Precision() int32
	Scale() int32
}

// isPlain reports whether a column has no logical type that changes its
// meaning.
func isPlain(lt schema.LogicalType) bool {
	if lt == nil || lt.IsNone() {
		return true
	}
	_, unknown := lt.(schema.UnknownLogicalType)
	return unknown
}

func decimalColumn(c conv, t decimalLogical) (column, error) {
	dt, err := types.NewDecimal(int(t.Precision()), int(t.Scale()))
	if err != nil {
		return column{}, unsupported(fmt.Sprintf("DECIMAL(%d,%d)", t.Precision(), t.Scale()))
	}
	return column{conv: c, typ: dt.Arrow()}, nil
}

// typeName names a column's type for an error message, in Parquet's terms.
func typeName(d *schema.Column) string {
	switch d.LogicalType().(type) {
	case *schema.TimestampLogicalType:
		return "TIMESTAMP"
	case *schema.TimeLogicalType:
		return "TIME"
	case schema.IntervalLogicalType:
		return "INTERVAL"
	case schema.UUIDLogicalType:
		return "UUID"
	case schema.Float16LogicalType:
		return "FLOAT16"
	case schema.NullLogicalType:
		return "NULL"
	}
	if lt := d.LogicalType(); lt != nil && !lt.IsNone() {
		return fmt.Sprintf("%s (%s)", d.PhysicalType(), lt)
	}
	return d.PhysicalType().String()
}

// nestedName names a group or repeated node for an error message.
func nestedName(n schema.Node) string {
	switch n.LogicalType().(type) {
	case schema.ListLogicalType:
		return "LIST"
	case schema.MapLogicalType:
		return "MAP"
	}
	if n.RepetitionType() == parquet.Repetitions.Repeated {
		return "LIST"
	}
	return "STRUCT"
}
