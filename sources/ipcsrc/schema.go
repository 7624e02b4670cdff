package ipcsrc

import (
	"github.com/apache/arrow/go/v17/arrow"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// conv says how a column of the file becomes the engine's layout.
type conv uint8

const (
	convSame      conv = iota // already canonical: handed over as is
	convInt                   // Int8/16/32 and Uint8/16/32: widen
	convUint64                // check <= MaxInt64, then retype
	convFloat                 // Float16/32: widen
	convDate64                // milliseconds -> days
	convBinary                // Binary: retype as String
	convLargeText             // LargeString/LargeBinary: 32-bit offsets
	convTimestamp             // Timestamp of any unit or zone: microseconds, no zone
)

// column is one column of the file and how to read it.
type column struct {
	name     string
	nullable bool
	idx      int // index in the file's schema
	conv     conv
	typ      arrow.DataType // the engine type
}

// mapSchema maps the file's fields to engine columns or fails with
// ErrNotSupported naming the first column that has no engine type.
func mapSchema(path string, sc *arrow.Schema) ([]column, error) {
	cols := make([]column, sc.NumFields())
	for i, fld := range sc.Fields() {
		c, ok := mapType(fld.Type)
		if !ok {
			return nil, sqlerr.NotSupported("arrow column %q of type %s in %q", fld.Name, fld.Type, path)
		}
		c.name, c.idx, c.nullable = fld.Name, i, fld.Nullable
		cols[i] = c
	}
	return cols, nil
}

func mapType(dt arrow.DataType) (column, bool) {
	switch dt.ID() {
	case arrow.INT64, arrow.FLOAT64, arrow.DATE32, arrow.STRING, arrow.BOOL:
		return column{conv: convSame, typ: dt}, true
	case arrow.DECIMAL128:
		d := dt.(*arrow.Decimal128Type)
		t, err := types.NewDecimal(int(d.Precision), int(d.Scale))
		if err != nil {
			return column{}, false
		}
		return column{conv: convSame, typ: t.Arrow()}, true
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.UINT8, arrow.UINT16, arrow.UINT32:
		return column{conv: convInt, typ: types.Int64Type.Arrow()}, true
	case arrow.UINT64:
		return column{conv: convUint64, typ: types.Int64Type.Arrow()}, true
	case arrow.FLOAT16, arrow.FLOAT32:
		return column{conv: convFloat, typ: types.Float64Type.Arrow()}, true
	case arrow.DATE64:
		return column{conv: convDate64, typ: types.DateType.Arrow()}, true
	case arrow.TIMESTAMP:
		// Zoned instants read as their UTC time: minisql has no TIMESTAMPTZ.
		return column{conv: convTimestamp, typ: types.TimestampType.Arrow()}, true
	case arrow.BINARY:
		return column{conv: convBinary, typ: types.StringType.Arrow()}, true
	case arrow.LARGE_STRING, arrow.LARGE_BINARY:
		return column{conv: convLargeText, typ: types.StringType.Arrow()}, true
	}
	return column{}, false
}
