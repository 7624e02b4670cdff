package vector

import (
	"encoding/binary"
	"math/bits"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Validity returns a fresh validity bitmap of length n (offset 0) that is
// the AND of the validity of arrs, or (nil, 0) when none of them has a NULL.
func Validity(mem memory.Allocator, n int, arrs ...arrow.Array) (*memory.Buffer, int) {
	var out *memory.Buffer
	var ob []byte
	for _, a := range arrs {
		if a == nil || a.NullN() == 0 {
			continue
		}
		src := a.NullBitmapBytes()
		if src == nil {
			// An arrow.Null array: every row is NULL and there is no bitmap
			// (its IsNull even reports false).
			if out == nil {
				out, ob = AllocBitmap(mem, n)
			} else {
				clear(ob)
			}
			continue
		}
		off := int64(a.Data().Offset())
		if out == nil {
			out, ob = AllocBitmap(mem, n)
			bitutil.CopyBitmap(src, int(off), n, ob, 0)
			continue
		}
		bitutil.BitmapAnd(ob, src, 0, off, ob, 0, int64(n))
	}
	if out == nil {
		return nil, 0
	}
	return out, n - bitutil.CountSetBits(ob, 0, n)
}

// CopyBits returns the bits [off, off+n) of src as a fresh offset-0 bitmap,
// or a fresh all-set bitmap when src is nil.
func CopyBits(mem memory.Allocator, src []byte, off, n int) (*memory.Buffer, []byte) {
	if src == nil {
		return AllValid(mem, n)
	}
	buf, b := AllocBitmap(mem, n)
	bitutil.CopyBitmap(src, off, n, b, 0)
	return buf, b
}

// NullCount counts the zero bits among the first n of an offset-0 bitmap.
func NullCount(b []byte, n int) int { return n - bitutil.CountSetBits(b, 0, n) }

// Selection returns the indices of the rows of a boolean array that are
// non-NULL and true, appended to sel[:0].
func Selection(arr arrow.Array, sel []int32) []int32 {
	sel = sel[:0]
	n := arr.Len()
	off := arr.Data().Offset()
	vals := BoolBits(arr)
	var valid []byte
	if arr.NullN() > 0 {
		valid = arr.NullBitmapBytes()
	}
	if off%8 == 0 {
		return appendSetBits(sel, vals[off/8:], valid, off/8, n)
	}
	for i := 0; i < n; i++ {
		j := off + i
		if bitutil.BitIsSet(vals, j) && (valid == nil || bitutil.BitIsSet(valid, j)) {
			sel = append(sel, int32(i))
		}
	}
	return sel
}

// appendSetBitsGo appends the positions of the set bits among the first n
// of b (ANDed with valid[voff:] when valid is not nil). It works a word of
// 64 bits at a time into room made once: a filter's selection is built for
// every batch, and appending bit by bit cost as much as the comparison
// that made the bits. appendSetBits runs it where there is no vector unit.
func appendSetBitsGo(sel []int32, b, valid []byte, voff, n int) []int32 {
	sel = slices.Grow(sel, n)
	out := sel[len(sel):cap(sel)]
	k := 0
	le := binary.LittleEndian
	i := 0
	for ; i+64 <= n; i += 64 {
		w := le.Uint64(b[i/8:])
		if valid != nil {
			w &= le.Uint64(valid[voff+i/8:])
		}
		if w == ^uint64(0) {
			dst := out[k : k+64]
			for j := range dst {
				dst[j] = int32(i + j)
			}
			k += 64
			continue
		}
		for w != 0 {
			out[k] = int32(i + bits.TrailingZeros64(w))
			k++
			w &= w - 1
		}
	}
	for ; i < n; i += 8 {
		v := b[i/8]
		if valid != nil {
			v &= valid[voff+i/8]
		}
		if i+8 > n {
			v &= byte(1<<(n-i)) - 1
		}
		for v != 0 {
			out[k] = int32(i + bits.TrailingZeros8(v))
			k++
			v &= v - 1
		}
	}
	return sel[:len(sel)+k]
}

// ValidityOf turns per-row "is valid" flags into a validity bitmap, or
// (nil, 0) when every row is valid.
func ValidityOf(mem memory.Allocator, valid []bool) (*memory.Buffer, int) {
	nulls := 0
	for _, v := range valid {
		if !v {
			nulls++
		}
	}
	if nulls == 0 {
		return nil, 0
	}
	buf, b := AllocBitmap(mem, len(valid))
	for i, v := range valid {
		if v {
			b[i>>3] |= 1 << (i & 7)
		}
	}
	return buf, nulls
}
