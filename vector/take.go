package vector

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Take gathers rows idx of arr into a new array. An index of -1 produces a
// NULL (outer joins use this for the missing side).
func Take(mem memory.Allocator, arr arrow.Array, idx []int32) arrow.Array {
	n := len(idx)
	validity, nulls := takeValidity(mem, arr, idx)
	switch a := arr.(type) {
	case *array.Int64:
		return NewFixedArray(arr.DataType(), n, validity, nulls, takeFixed(mem, a.Int64Values(), idx))
	case *array.Float64:
		return NewFixedArray(arr.DataType(), n, validity, nulls, takeFixed(mem, a.Float64Values(), idx))
	case *array.Date32:
		return NewFixedArray(arr.DataType(), n, validity, nulls, takeFixed(mem, a.Date32Values(), idx))
	case *array.Timestamp:
		return NewFixedArray(arr.DataType(), n, validity, nulls, takeFixed(mem, a.TimestampValues(), idx))
	case *array.Decimal128:
		return NewFixedArray(arr.DataType(), n, validity, nulls, takeFixed(mem, a.Values(), idx))
	case *array.String:
		return takeString(mem, a, idx, validity, nulls)
	case *array.Boolean:
		return takeBool(mem, a, idx, validity, nulls)
	case *array.Null:
		if validity != nil {
			validity.Release()
		}
		return array.NewNull(n)
	}
	panic(fmt.Sprintf("vector.Take: unsupported array type %s", arr.DataType()))
}

func takeFixed[T any](mem memory.Allocator, src []T, idx []int32) *memory.Buffer {
	buf, dst := AllocValuesUninit[T](mem, len(idx))
	if gatherPrefetch(dst, src, idx) {
		return buf
	}
	var zero T
	for i, j := range idx {
		if j >= 0 {
			dst[i] = src[j]
		} else {
			dst[i] = zero
		}
	}
	return buf
}

func takeValidity(mem memory.Allocator, arr arrow.Array, idx []int32) (*memory.Buffer, int) {
	hasNulls := arr.NullN() > 0
	missing := false
	for _, j := range idx {
		if j < 0 {
			missing = true
			break
		}
	}
	if !hasNulls && !missing {
		return nil, 0
	}
	buf, b := AllocBitmap(mem, len(idx))
	off := arr.Data().Offset()
	var src []byte
	if hasNulls {
		src = arr.NullBitmapBytes()
	}
	nulls := 0
	for i, j := range idx {
		if j >= 0 && (src == nil || bitutil.BitIsSet(src, off+int(j))) {
			bitutil.SetBit(b, i)
		} else {
			nulls++
		}
	}
	return buf, nulls
}

func takeString(mem memory.Allocator, a *array.String, idx []int32, validity *memory.Buffer, nulls int) arrow.Array {
	offs, data := StringData(a)
	total := 0
	for _, j := range idx {
		if j >= 0 {
			total += int(offs[j+1] - offs[j])
		}
	}
	obuf, dstOffs := AllocValuesUninit[int32](mem, len(idx)+1)
	dbuf := NewBufferUninit(mem, total)
	dst := dbuf.Bytes()
	pos := int32(0)
	for i, j := range idx {
		dstOffs[i] = pos
		if j < 0 {
			continue
		}
		s, e := offs[j], offs[j+1]
		if e-s <= 8 && int(pos)+8 <= len(dst) && int(s)+8 <= len(data) {
			// A short string as one 8-byte move rather than a call to
			// memmove (flags and codes: Q1's filter copies two per row);
			// the bytes past it are overwritten by the next rows.
			*(*[8]byte)(dst[pos:]) = *(*[8]byte)(data[s:])
			pos += e - s
			continue
		}
		pos += int32(copy(dst[pos:], data[s:e]))
	}
	dstOffs[len(idx)] = pos
	return NewStringArray(len(idx), validity, nulls, obuf, dbuf)
}

func takeBool(mem memory.Allocator, a *array.Boolean, idx []int32, validity *memory.Buffer, nulls int) arrow.Array {
	vbuf, dst := AllocBitmap(mem, len(idx))
	src := BoolBits(a)
	off := a.Data().Offset()
	for i, j := range idx {
		if j >= 0 && bitutil.BitIsSet(src, off+int(j)) {
			bitutil.SetBit(dst, i)
		}
	}
	return NewBoolArray(len(idx), validity, nulls, vbuf)
}

// TakeRecord gathers rows idx of every column of rec.
func TakeRecord(mem memory.Allocator, rec arrow.Record, idx []int32) arrow.Record {
	cols := make([]arrow.Array, rec.NumCols())
	for i, c := range rec.Columns() {
		cols[i] = Take(mem, c, idx)
	}
	return NewRecord(rec.Schema(), cols, len(idx))
}

// NewRecord builds a record from columns, taking over the caller's
// references to them.
func NewRecord(schema *arrow.Schema, cols []arrow.Array, n int) arrow.Record {
	rec := array.NewRecord(schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}
