package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// sliceArray returns rows [from, to) of a without copying.
func sliceArray(a arrow.Array, from, to int) arrow.Array {
	return array.NewSlice(a, int64(from), int64(to))
}
