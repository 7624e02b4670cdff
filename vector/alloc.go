// Package vector holds the low-level helpers every kernel shares: building
// Arrow arrays straight from buffers, validity bitmaps, and gathers. They
// exist because array builders append one value at a time through
// bookkeeping the hot loops do not need.
package vector

import (
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// NewBuffer allocates a zeroed buffer of n bytes from mem.
func NewBuffer(mem memory.Allocator, n int) *memory.Buffer {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(n)
	return buf
}

// UninitAllocator is an allocator that can hand out memory without zeroing
// it first, for a kernel that writes every byte of its output. Zeroing a
// buffer that is then overwritten cost Q1's filter and arithmetic 8% of
// their time.
type UninitAllocator interface {
	AllocateUninit(size int) []byte
}

// NewBufferUninit allocates a buffer of n bytes whose contents are
// undefined: the caller must write all of them. It is zeroed when mem
// cannot do otherwise.
func NewBufferUninit(mem memory.Allocator, n int) *memory.Buffer {
	ua, ok := mem.(UninitAllocator)
	if !ok {
		return NewBuffer(mem, n)
	}
	// Padded to 64 bytes as a resizable buffer would be; Resize then only
	// sets the length.
	buf := memory.NewBufferWithAllocator(ua.AllocateUninit((n+63)&^63), mem)
	buf.Resize(n)
	return buf
}

// AllocValuesUninit is AllocValues for a kernel that writes every value.
func AllocValuesUninit[T any](mem memory.Allocator, n int) (*memory.Buffer, []T) {
	var zero T
	buf := NewBufferUninit(mem, n*int(unsafe.Sizeof(zero)))
	return buf, Values[T](buf, n)
}

// Values returns buf's bytes as a slice of T of length n.
func Values[T any](buf *memory.Buffer, n int) []T {
	if n == 0 {
		return nil
	}
	var zero T
	b := buf.Bytes()
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), len(b)/int(unsafe.Sizeof(zero)))[:n]
}

// AllocValues allocates a value buffer for n values of T.
func AllocValues[T any](mem memory.Allocator, n int) (*memory.Buffer, []T) {
	var zero T
	buf := NewBuffer(mem, n*int(unsafe.Sizeof(zero)))
	return buf, Values[T](buf, n)
}

// NewFixedArray wraps a value buffer and an optional validity bitmap (nil
// when there are no NULLs) into an array of type dt and length n. It takes
// over the caller's references to both buffers.
func NewFixedArray(dt arrow.DataType, n int, validity *memory.Buffer, nulls int, values *memory.Buffer) arrow.Array {
	data := array.NewData(dt, n, []*memory.Buffer{validity, values}, nil, nulls, 0)
	arr := array.MakeFromData(data)
	data.Release()
	values.Release()
	if validity != nil {
		validity.Release()
	}
	return arr
}

// NewStringArray wraps offsets and data buffers into a String array,
// taking over the caller's references.
func NewStringArray(n int, validity *memory.Buffer, nulls int, offsets, data *memory.Buffer) arrow.Array {
	d := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{validity, offsets, data}, nil, nulls, 0)
	arr := array.MakeFromData(d)
	d.Release()
	offsets.Release()
	data.Release()
	if validity != nil {
		validity.Release()
	}
	return arr
}

// NewBoolArray wraps a bit-packed value buffer into a Boolean array.
func NewBoolArray(n int, validity *memory.Buffer, nulls int, values *memory.Buffer) arrow.Array {
	return NewFixedArray(arrow.FixedWidthTypes.Boolean, n, validity, nulls, values)
}

// BitmapBytes is the number of bytes of a bitmap of n bits, rounded up to
// whole 64-bit words so word-wise loops need no tail case.
func BitmapBytes(n int) int { return (n + 63) / 64 * 8 }

// AllocBitmap allocates a zeroed bitmap for n bits.
func AllocBitmap(mem memory.Allocator, n int) (*memory.Buffer, []byte) {
	buf := NewBuffer(mem, BitmapBytes(n))
	return buf, buf.Bytes()
}

// AllValid allocates a bitmap with the first n bits set.
func AllValid(mem memory.Allocator, n int) (*memory.Buffer, []byte) {
	buf, b := AllocBitmap(mem, n)
	bitutil.SetBitsTo(b, 0, int64(n), true)
	return buf, b
}

// Words views a bitmap allocated by AllocBitmap as 64-bit words.
func Words(b []byte) []uint64 {
	if len(b) < 8 {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
}

// BytesOfWords views 64-bit words as bytes (nil for no words, like Words).
func BytesOfWords(w []uint64) []byte {
	if len(w) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), len(w)*8)
}

// BoolBits returns the value bitmap of a Boolean array: the whole buffer,
// so bit i of the array is bit Offset()+i. It is nil for an array without
// a value buffer (an empty BooleanBuilder produces one), where
// Buffers()[1].Bytes() would dereference nil.
func BoolBits(a arrow.Array) []byte {
	if b := a.Data().Buffers()[1]; b != nil {
		return b.Bytes()
	}
	return nil
}
