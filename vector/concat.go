package vector

import (
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
)

// Concat joins arrays of one type into one. It calls spend as it copies
// (every concatPiece bytes of fixed-width values, after each array of
// others), so that concatenating a very large build side of a join can be
// cancelled part way; on error nothing is leaked.
func Concat(mem memory.Allocator, arrs []arrow.Array, spend func(int) error) (arrow.Array, error) {
	if len(arrs) == 0 {
		// Without an input there is no type to build; ConcatRecords knows
		// the schema and handles zero records itself.
		return nil, sqlerr.New(sqlerr.ErrInternal, "vector.Concat: no arrays")
	}
	n, nulls := 0, 0
	for _, a := range arrs {
		n += a.Len()
		nulls += a.NullN()
	}
	var validity *memory.Buffer
	var vb []byte
	if nulls > 0 {
		validity, vb = AllocBitmap(mem, n)
	}
	release := func() {
		if validity != nil {
			validity.Release()
		}
	}
	pos := 0
	copyValidity := func(a arrow.Array) {
		if vb == nil {
			return
		}
		if a.NullN() == 0 {
			bitutil.SetBitsTo(vb, int64(pos), int64(a.Len()), true)
			return
		}
		bitutil.CopyBitmap(a.NullBitmapBytes(), a.Data().Offset(), a.Len(), vb, pos)
	}
	dt := arrs[0].DataType()
	switch arrs[0].(type) {
	case *array.Int64:
		return concatFixed(mem, arrs, spend, validity, nulls, copyValidity, &pos, func(a arrow.Array) []int64 { return a.(*array.Int64).Int64Values() })
	case *array.Float64:
		return concatFixed(mem, arrs, spend, validity, nulls, copyValidity, &pos, func(a arrow.Array) []float64 { return a.(*array.Float64).Float64Values() })
	case *array.Date32:
		return concatFixed(mem, arrs, spend, validity, nulls, copyValidity, &pos, func(a arrow.Array) []arrow.Date32 { return a.(*array.Date32).Date32Values() })
	case *array.Timestamp:
		return concatFixed(mem, arrs, spend, validity, nulls, copyValidity, &pos, func(a arrow.Array) []arrow.Timestamp { return a.(*array.Timestamp).TimestampValues() })
	case *array.Decimal128:
		return concatFixed(mem, arrs, spend, validity, nulls, copyValidity, &pos, func(a arrow.Array) []decimal128.Num { return a.(*array.Decimal128).Values() })
	case *array.String:
		return concatStrings(mem, arrs, spend, validity, nulls, copyValidity, &pos)
	case *array.Boolean:
		vbuf, dst := AllocBitmap(mem, n)
		for _, a := range arrs {
			bitutil.CopyBitmap(BoolBits(a), a.Data().Offset(), a.Len(), dst, pos)
			copyValidity(a)
			pos += a.Len()
			if err := spend(a.Len()); err != nil {
				vbuf.Release()
				release()
				return nil, err
			}
		}
		return NewBoolArray(n, validity, nulls, vbuf), nil
	case *array.Null:
		release()
		return array.NewNull(n), nil
	}
	release()
	return nil, sqlerr.New(sqlerr.ErrInternal, "vector.Concat: unsupported type %s", dt)
}

// concatPiece is the bytes concatFixed copies between two spends, and
// concatBytesPerUnit the bytes a unit of budget stands for (a row of
// narrower values stands for one): a piece of values of 4 bytes or more
// is a quantum (operators.DefaultQuantum), so it ends in a check. The
// new array is fresh memory, and its page faults, 15 µs each on a PVM VM
// and now and then 60-200, made a whole input array's copy (64-128 KiB)
// a stretch of 1-2 ms.
const (
	concatPiece        = 16 << 10
	concatBytesPerUnit = 4
)

// concatStrings copies offsets and bytes concatPiece bytes at a time
// between spends, as concatFixed copies values: one batch of long strings
// (a comment column) is hundreds of KiB of fresh pages.
func concatStrings(mem memory.Allocator, arrs []arrow.Array, spend func(int) error, validity *memory.Buffer, nulls int,
	copyValidity func(arrow.Array), pos *int) (arrow.Array, error) {
	n, total := 0, 0
	for _, a := range arrs {
		offs, _ := StringData(a.(*array.String))
		n += a.Len()
		total += int(offs[a.Len()] - offs[0])
	}
	obuf, dstOffs := AllocValuesUninit[int32](mem, n+1)
	dbuf := NewBufferUninit(mem, total)
	fail := func(err error) (arrow.Array, error) {
		obuf.Release()
		dbuf.Release()
		if validity != nil {
			validity.Release()
		}
		return nil, err
	}
	dst := dbuf.Bytes()
	rows := concatPiece / 4 // offsets are 4 bytes
	at := int32(0)
	for _, a := range arrs {
		offs, data := StringData(a.(*array.String))
		base := offs[0]
		copyValidity(a)
		for i := 0; i < a.Len(); i += rows {
			end := min(a.Len(), i+rows)
			for j := i; j < end; j++ {
				dstOffs[*pos+j] = at + offs[j] - base
			}
			if err := spend(end - i); err != nil {
				return fail(err)
			}
		}
		for src := data[base:offs[a.Len()]]; len(src) > 0; {
			k := copy(dst[at:], src[:min(len(src), concatPiece)])
			src, at = src[k:], at+int32(k)
			if err := spend(k / concatBytesPerUnit); err != nil {
				return fail(err)
			}
		}
		*pos += a.Len()
	}
	dstOffs[n] = at
	return NewStringArray(n, validity, nulls, obuf, dbuf), nil
}

func concatFixed[T any](mem memory.Allocator, arrs []arrow.Array, spend func(int) error, validity *memory.Buffer, nulls int,
	copyValidity func(arrow.Array), pos *int, values func(arrow.Array) []T) (arrow.Array, error) {
	n := 0
	for _, a := range arrs {
		n += a.Len()
	}
	buf, dst := AllocValuesUninit[T](mem, n) // every value is copied in
	var zero T
	piece := max(1, concatPiece/int(unsafe.Sizeof(zero)))
	for _, a := range arrs {
		copyValidity(a)
		for src := values(a); len(src) > 0; {
			k := copy(dst[*pos:], src[:min(len(src), piece)])
			src, *pos = src[k:], *pos+k
			if err := spend(k * max(1, int(unsafe.Sizeof(zero))/concatBytesPerUnit)); err != nil {
				buf.Release()
				if validity != nil {
					validity.Release()
				}
				return nil, err
			}
		}
	}
	return NewFixedArray(arrs[0].DataType(), n, validity, nulls, buf), nil
}

// CanConcat reports whether Concat joins arrays of type dt.
func CanConcat(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT64, arrow.FLOAT64, arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL128, arrow.STRING, arrow.BOOL, arrow.NULL:
		return true
	}
	return false
}

// ConcatRecords joins records of one schema into one record.
func ConcatRecords(mem memory.Allocator, schema *arrow.Schema, recs []arrow.Record, spend func(int) error) (arrow.Record, error) {
	cols := make([]arrow.Array, schema.NumFields())
	n := 0
	for _, r := range recs {
		n += int(r.NumRows())
	}
	arrs := make([]arrow.Array, len(recs))
	for c := range cols {
		for i, r := range recs {
			arrs[i] = r.Column(c)
		}
		var err error
		if len(recs) == 0 {
			cols[c] = array.MakeArrayOfNull(mem, schema.Field(c).Type, 0)
		} else {
			cols[c], err = Concat(mem, arrs, spend)
		}
		if err != nil {
			for _, done := range cols[:c] {
				done.Release()
			}
			return nil, err
		}
	}
	return NewRecord(schema, cols, n), nil
}
