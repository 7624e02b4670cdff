package vector

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// RowRef addresses row Row of batch Batch in a list of batches. A
// negative Batch takes a NULL.
type RowRef struct {
	Batch int32
	Row   int32
}

// TakeMulti gathers rows from several arrays of the same type (one per
// batch) in the order of refs. Sort merges and top-k use it. Like Take, it
// writes the buffers directly: the per-batch value slices and bitmaps are
// looked up once, not per row.
func TakeMulti(mem memory.Allocator, arrs []arrow.Array, refs []RowRef) arrow.Array {
	if len(arrs) == 1 {
		idx := make([]int32, len(refs))
		for i, r := range refs {
			idx[i] = r.Row
			if r.Batch < 0 {
				idx[i] = -1
			}
		}
		return Take(mem, arrs[0], idx)
	}
	n := len(refs)
	dt := arrs[0].DataType()
	if _, ok := arrs[0].(*array.Null); ok {
		return array.NewNull(n)
	}
	validity, nulls := takeMultiValidity(mem, arrs, refs)
	switch arrs[0].(type) {
	case *array.Int64:
		return NewFixedArray(dt, n, validity, nulls, takeMultiFixed(mem, arrs, refs, func(a arrow.Array) []int64 { return a.(*array.Int64).Int64Values() }))
	case *array.Float64:
		return NewFixedArray(dt, n, validity, nulls, takeMultiFixed(mem, arrs, refs, func(a arrow.Array) []float64 { return a.(*array.Float64).Float64Values() }))
	case *array.Date32:
		return NewFixedArray(dt, n, validity, nulls, takeMultiFixed(mem, arrs, refs, func(a arrow.Array) []arrow.Date32 { return a.(*array.Date32).Date32Values() }))
	case *array.Decimal128:
		return NewFixedArray(dt, n, validity, nulls, takeMultiFixed(mem, arrs, refs, func(a arrow.Array) []decimal128.Num { return a.(*array.Decimal128).Values() }))
	case *array.String:
		return takeMultiString(mem, arrs, refs, validity, nulls)
	case *array.Boolean:
		return takeMultiBool(mem, arrs, refs, validity, nulls)
	}
	if validity != nil {
		validity.Release()
	}
	panic(fmt.Sprintf("vector.TakeMulti: unsupported array type %s", dt))
}

// bitmapView is one batch's bitmap and the bit where its row 0 is.
type bitmapView struct {
	bits []byte // nil: no bitmap
	off  int
}

// takeMultiValidity returns the validity of the gathered rows, or (nil, 0)
// when no batch has a NULL.
func takeMultiValidity(mem memory.Allocator, arrs []arrow.Array, refs []RowRef) (*memory.Buffer, int) {
	views := make([]bitmapView, len(arrs))
	hasNulls := false
	for i, a := range arrs {
		if a.NullN() > 0 {
			views[i] = bitmapView{a.NullBitmapBytes(), a.Data().Offset()}
			hasNulls = true
		}
	}
	for _, r := range refs {
		hasNulls = hasNulls || r.Batch < 0
	}
	if !hasNulls {
		return nil, 0
	}
	buf, b := AllocBitmap(mem, len(refs))
	nulls := 0
	for i, r := range refs {
		if r.Batch < 0 {
			nulls++
			continue
		}
		v := views[r.Batch]
		if v.bits == nil || bitutil.BitIsSet(v.bits, v.off+int(r.Row)) {
			bitutil.SetBit(b, i)
		} else {
			nulls++
		}
	}
	return buf, nulls
}

func takeMultiFixed[T any](mem memory.Allocator, arrs []arrow.Array, refs []RowRef, values func(arrow.Array) []T) *memory.Buffer {
	src := make([][]T, len(arrs))
	for i, a := range arrs {
		src[i] = values(a)
	}
	buf, dst := AllocValues[T](mem, len(refs))
	var zero T
	for i, r := range refs {
		if r.Batch < 0 {
			dst[i] = zero
			continue
		}
		dst[i] = src[r.Batch][r.Row]
	}
	return buf
}

// takeMultiString copies the bytes of valid rows; a NULL row gets no bytes.
func takeMultiString(mem memory.Allocator, arrs []arrow.Array, refs []RowRef, validity *memory.Buffer, nulls int) arrow.Array {
	offs := make([][]int32, len(arrs))
	data := make([][]byte, len(arrs))
	for i, a := range arrs {
		offs[i], data[i] = StringData(a.(*array.String))
	}
	var valid []byte
	if validity != nil {
		valid = validity.Bytes()
	}
	total := 0
	for i, r := range refs {
		if valid == nil || bitutil.BitIsSet(valid, i) {
			o := offs[r.Batch]
			total += int(o[r.Row+1] - o[r.Row])
		}
	}
	obuf, dstOffs := AllocValuesUninit[int32](mem, len(refs)+1)
	dbuf := NewBufferUninit(mem, total)
	dst := dbuf.Bytes()
	pos := int32(0)
	for i, r := range refs {
		dstOffs[i] = pos
		if valid == nil || bitutil.BitIsSet(valid, i) {
			o, src := offs[r.Batch], data[r.Batch]
			s, e := o[r.Row], o[r.Row+1]
			if e-s <= 16 && int(pos)+16 <= len(dst) && int(s)+16 <= len(src) {
				// A short string (a name carried through a join, Q9's
				// nation) as one 16-byte move rather than a call to
				// memmove; the bytes past it are overwritten by the next.
				*(*[16]byte)(dst[pos:]) = *(*[16]byte)(src[s:])
				pos += e - s
				continue
			}
			pos += int32(copy(dst[pos:], src[s:e]))
		}
	}
	dstOffs[len(refs)] = pos
	return NewStringArray(len(refs), validity, nulls, obuf, dbuf)
}

func takeMultiBool(mem memory.Allocator, arrs []arrow.Array, refs []RowRef, validity *memory.Buffer, nulls int) arrow.Array {
	views := make([]bitmapView, len(arrs))
	for i, a := range arrs {
		views[i] = bitmapView{BoolBits(a), a.Data().Offset()}
	}
	vbuf, dst := AllocBitmap(mem, len(refs))
	for i, r := range refs {
		if r.Batch < 0 {
			continue
		}
		if v := views[r.Batch]; bitutil.BitIsSet(v.bits, v.off+int(r.Row)) {
			bitutil.SetBit(dst, i)
		}
	}
	return NewBoolArray(len(refs), validity, nulls, vbuf)
}

// TakeMultiRecord gathers rows of several records with one schema.
func TakeMultiRecord(mem memory.Allocator, schema *arrow.Schema, recs []arrow.Record, refs []RowRef) arrow.Record {
	cols := make([]arrow.Array, schema.NumFields())
	arrs := make([]arrow.Array, len(recs))
	for c := range cols {
		for i, r := range recs {
			arrs[i] = r.Column(c)
		}
		cols[c] = TakeMulti(mem, arrs, refs)
	}
	return NewRecord(schema, cols, len(refs))
}
