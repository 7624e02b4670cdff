package vector

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// Int64View returns the values of a BIGINT or TIMESTAMP array as int64s,
// without copying: both are 64-bit integers, and kernels that only order
// or hash them need not tell them apart. It returns nil for other arrays.
func Int64View(a arrow.Array) []int64 {
	switch a := a.(type) {
	case *array.Int64:
		return a.Int64Values()
	case *array.Timestamp:
		vals := a.TimestampValues()
		if len(vals) == 0 {
			return nil
		}
		return arrow.Int64Traits.CastFromBytes(arrow.TimestampTraits.CastToBytes(vals))
	}
	return nil
}
