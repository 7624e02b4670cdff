package catalog

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// arrowSlice returns rows [from, to) of the given columns as a record,
// without copying.
func arrowSlice(schema *arrow.Schema, cols []arrow.Array, from, to int64) arrow.Record {
	out := make([]arrow.Array, len(cols))
	for i, c := range cols {
		out[i] = array.NewSlice(c, from, to)
	}
	rec := array.NewRecord(schema, out, to-from)
	for _, c := range out {
		c.Release()
	}
	return rec
}

// sliceArray returns the first n rows of a.
func sliceArray(a arrow.Array, n int) arrow.Array {
	return array.NewSlice(a, 0, int64(n))
}
