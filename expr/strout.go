package expr

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/vector"
)

// strOut builds a String array row by row into reusable Go memory and
// copies it into the query's allocator once at the end.
type strOut struct {
	offs []int32
	data []byte
}

func newStrOut(n, sizeHint int) *strOut {
	return &strOut{offs: make([]int32, 1, n+1), data: make([]byte, 0, sizeHint)}
}

func (o *strOut) add(b []byte) {
	o.data = append(o.data, b...)
	o.offs = append(o.offs, int32(len(o.data)))
}

func (o *strOut) addString(s string) {
	o.data = append(o.data, s...)
	o.offs = append(o.offs, int32(len(o.data)))
}

// finish returns the array; validity is taken over as in NewStringArray.
func (o *strOut) finish(mem memory.Allocator, validity *memory.Buffer, nulls int) arrow.Array {
	n := len(o.offs) - 1
	obuf, offs := vector.AllocValues[int32](mem, n+1)
	copy(offs, o.offs)
	dbuf := vector.NewBuffer(mem, len(o.data))
	copy(dbuf.Bytes(), o.data)
	return vector.NewStringArray(n, validity, nulls, obuf, dbuf)
}
