package expr

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/vector"
)

// maxStringBytes bounds the text of one string column of a batch: Arrow's
// String has int32 offsets.
const maxStringBytes = math.MaxInt32

// strOut builds a String array row by row into reusable Go memory and
// copies it into the query's allocator once at the end.
type strOut struct {
	offs []int32
	data []byte
	// tooBig is set once the text outgrew maxStringBytes: finish fails.
	tooBig bool
}

func newStrOut(n, sizeHint int) *strOut {
	return &strOut{offs: make([]int32, 1, n+1), data: make([]byte, 0, sizeHint)}
}

func (o *strOut) add(b []byte) {
	if len(o.data)+len(b) > maxStringBytes {
		o.tooBig = true
	} else {
		o.data = append(o.data, b...)
	}
	o.offs = append(o.offs, int32(len(o.data)))
}

func (o *strOut) addString(s string) {
	if len(o.data)+len(s) > maxStringBytes {
		o.tooBig = true
	} else {
		o.data = append(o.data, s...)
	}
	o.offs = append(o.offs, int32(len(o.data)))
}

// endRow ends a row whose bytes the caller appended to data itself.
func (o *strOut) endRow() {
	if len(o.data) > maxStringBytes {
		o.tooBig = true
		o.data = o.data[:o.offs[len(o.offs)-1]] // the result is an error anyway
	}
	o.offs = append(o.offs, int32(len(o.data)))
}

// finish returns the array; validity is taken over as in NewStringArray
// (and released on error).
func (o *strOut) finish(mem memory.Allocator, validity *memory.Buffer, nulls int) (arrow.Array, error) {
	if o.tooBig {
		if validity != nil {
			validity.Release()
		}
		return nil, errStringTooBig()
	}
	n := len(o.offs) - 1
	obuf, offs := vector.AllocValues[int32](mem, n+1)
	copy(offs, o.offs)
	dbuf := vector.NewBuffer(mem, len(o.data))
	copy(dbuf.Bytes(), o.data)
	return vector.NewStringArray(n, validity, nulls, obuf, dbuf), nil
}

func errStringTooBig() error {
	return sqlerr.New(sqlerr.ErrInvalidValue, "string results of one batch larger than %d bytes (a smaller batch_size may help)", maxStringBytes)
}
