package ipcsrc

import (
	"fmt"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/float16"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// normalize returns col's engine array for arr, a column as the IPC
// library loaded it. arr has been validated. The result is a new reference.
func normalize(c *column, arr arrow.Array, mem memory.Allocator) (arrow.Array, error) {
	d := arr.Data()
	n := arr.Len()
	switch c.conv {
	case convSame:
		arr.Retain()
		return arr, nil
	case convBinary:
		return retype(c.typ, d), nil
	case convUint64:
		vals := arr.(*array.Uint64).Uint64Values()
		for i, v := range vals {
			if v > math.MaxInt64 && arr.IsValid(i) {
				return nil, errUint64Overflow{col: c.name, val: v}
			}
		}
		return retype(c.typ, d), nil
	case convLargeText:
		return narrowOffsets(c, arr, mem)
	}

	var vals *memory.Buffer
	switch c.conv {
	case convInt:
		vals = allocBuf(mem, n*8)
		dst := arrow.Int64Traits.CastFromBytes(vals.Bytes())[:n]
		switch a := arr.(type) {
		case *array.Int8:
			widen(dst, a.Int8Values())
		case *array.Int16:
			widen(dst, a.Int16Values())
		case *array.Int32:
			widen(dst, a.Int32Values())
		case *array.Uint8:
			widen(dst, a.Uint8Values())
		case *array.Uint16:
			widen(dst, a.Uint16Values())
		case *array.Uint32:
			widen(dst, a.Uint32Values())
		}
	case convFloat:
		vals = allocBuf(mem, n*8)
		dst := arrow.Float64Traits.CastFromBytes(vals.Bytes())[:n]
		switch a := arr.(type) {
		case *array.Float16:
			widenFloat16(dst, a.Values())
		case *array.Float32:
			widenFloat(dst, a.Float32Values())
		}
	case convTimestamp:
		vals = allocBuf(mem, n*8)
		a := arr.(*array.Timestamp)
		if !timestampMicros(arrow.Int64Traits.CastFromBytes(vals.Bytes())[:n], a.TimestampValues(), a.DataType().(*arrow.TimestampType).Unit) {
			vals.Release()
			return nil, fmt.Errorf("column %q: timestamp beyond the range of microseconds", c.name)
		}
	case convDate64:
		vals = allocBuf(mem, n*4)
		if !daysFromMillis(arrow.Date32Traits.CastFromBytes(vals.Bytes())[:n], arr.(*array.Date64).Date64Values()) {
			vals.Release()
			return nil, fmt.Errorf("column %q: date out of range", c.name)
		}
	default:
		return nil, fmt.Errorf("internal error: conversion %d", c.conv)
	}
	defer vals.Release()
	bits := bitmapAt0(d, mem)
	defer releaseBuf(bits)
	out := array.NewData(c.typ, n, []*memory.Buffer{bits, vals}, nil, d.NullN(), 0)
	defer out.Release()
	return array.MakeFromData(out), nil
}

// retype shares d's buffers under another type of the same layout.
func retype(dt arrow.DataType, d arrow.ArrayData) arrow.Array {
	out := array.NewData(dt, d.Len(), d.Buffers(), nil, d.NullN(), d.Offset())
	defer out.Release()
	return array.MakeFromData(out)
}

// bitmapAt0 returns d's validity bitmap starting at bit 0, nil without
// NULLs: shared when d has no offset, copied otherwise.
func bitmapAt0(d arrow.ArrayData, mem memory.Allocator) *memory.Buffer {
	src := d.Buffers()[0]
	if d.NullN() == 0 || src == nil {
		return nil
	}
	if d.Offset() == 0 {
		src.Retain()
		return src
	}
	bits := allocBuf(mem, int(bitutil.BytesForBits(int64(d.Len()))))
	bitutil.CopyBitmap(src.Bytes(), d.Offset(), d.Len(), bits.Bytes(), 0)
	return bits
}

// narrowOffsets turns a LargeString or LargeBinary array into a String
// array: the offsets are rebased to 32 bits, the bytes are shared.
func narrowOffsets(c *column, arr arrow.Array, mem memory.Allocator) (arrow.Array, error) {
	d := arr.Data()
	n := arr.Len()
	offs := arrow.Int64Traits.CastFromBytes(d.Buffers()[1].Bytes())[d.Offset() : d.Offset()+n+1]
	first, last := offs[0], offs[n]
	if last-first > math.MaxInt32 {
		return nil, fmt.Errorf("column %q: more than 2 GiB of strings in one record batch", c.name)
	}
	offsets := allocBuf(mem, (n+1)*4)
	defer offsets.Release()
	dst := arrow.Int32Traits.CastFromBytes(offsets.Bytes())[: n+1 : n+1]
	for i, o := range offs {
		dst[i] = int32(o - first)
	}
	data := memory.SliceBuffer(d.Buffers()[2], int(first), int(last-first))
	defer data.Release()
	bits := bitmapAt0(d, mem)
	defer releaseBuf(bits)
	out := array.NewData(c.typ, n, []*memory.Buffer{bits, offsets, data}, nil, d.NullN(), 0)
	defer out.Release()
	return array.MakeFromData(out), nil
}

func widen[T int8 | int16 | int32 | uint8 | uint16 | uint32](dst []int64, src []T) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = int64(v)
	}
}

func widenFloat(dst []float64, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = float64(v)
	}
}

func widenFloat16(dst []float64, src []float16.Num) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = float64(v.Float32())
	}
}

const millisPerDay = 86_400_000

// daysFromMillis converts Date64 (milliseconds) to Date32 (days), rounding
// towards minus infinity like a date cast of a timestamp. It reports false
// when a day number does not fit Date32.
func daysFromMillis(dst []arrow.Date32, src []arrow.Date64) bool {
	dst = dst[:len(src)]
	ok := true
	for i, v := range src {
		days := int64(v) / millisPerDay
		if int64(v)%millisPerDay < 0 {
			days--
		}
		ok = ok && days == int64(int32(days))
		dst[i] = arrow.Date32(days)
	}
	return ok
}

func allocBuf(mem memory.Allocator, nbytes int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(nbytes)
	return b
}

func releaseBuf(b *memory.Buffer) {
	if b != nil {
		b.Release()
	}
}

// errUint64Overflow is completed with the file name by the Reader.
type errUint64Overflow struct {
	col string
	val uint64
}

func (e errUint64Overflow) Error() string {
	return fmt.Sprintf("column %q: UINT64 value %d does not fit BIGINT", e.col, e.val)
}

// timestampMicros converts timestamps of unit u to microseconds, rounding
// nanoseconds down. It reports false when a value (NULL slots included,
// which hold zeros in files Arrow writes) leaves the int64 range.
func timestampMicros(dst []int64, src []arrow.Timestamp, u arrow.TimeUnit) bool {
	switch u {
	case arrow.Nanosecond:
		for i, v := range src {
			q := int64(v) / 1000
			if int64(v)%1000 < 0 {
				q--
			}
			dst[i] = q
		}
		return true
	case arrow.Microsecond:
		for i, v := range src {
			dst[i] = int64(v)
		}
		return true
	}
	mul := int64(1000) // milliseconds
	if u == arrow.Second {
		mul = 1_000_000
	}
	ok := true
	for i, v := range src {
		ok = ok && int64(v) <= math.MaxInt64/mul && int64(v) >= math.MinInt64/mul
		dst[i] = int64(v) * mul
	}
	return ok
}
