package vector

import "github.com/apache/arrow/go/v17/arrow/array"

// StringData returns the offsets of a String array (one per row plus one,
// slice offset applied) and its whole data buffer, so that row i is
// data[offs[i]:offs[i+1]]. array.String.ValueBytes cannot be used that way:
// it is re-based on the first offset while ValueOffsets is not.
func StringData(a *array.String) (offs []int32, data []byte) {
	offs = a.ValueOffsets()
	if b := a.Data().Buffers()[2]; b != nil {
		data = b.Bytes()
	}
	return offs, data
}

// StringAt returns row i of a String array without copying.
func StringAt(a *array.String, i int) []byte {
	offs, data := StringData(a)
	return data[offs[i]:offs[i+1]]
}
