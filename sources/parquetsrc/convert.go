package parquetsrc

import (
	"fmt"
	"math"

	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
)

// The loops in this file turn decoded Parquet values into Arrow buffers.
// Each is a single pass over a slice with bounds checks hoisted; none
// allocates.

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

// spread moves the nv values decoded densely at the front of dst to the
// slots whose definition level is maxDef, zeroing the NULL slots. It works
// backwards, so values never overwrite ones not yet moved.
func spread[T any](dst []T, nv int, defs []int16, maxDef int16) {
	var zero T
	dst = dst[:len(defs)]
	j := nv - 1
	for i := len(defs) - 1; i >= 0; i-- {
		if defs[i] == maxDef {
			dst[i] = dst[j]
			j--
		} else {
			dst[i] = zero
		}
	}
}

// validityFromDefs writes the Arrow validity bitmap of a flat column:
// a slot is valid when its definition level is maxDef.
func validityFromDefs(dst []byte, defs []int16, maxDef int16) {
	n := len(defs)
	full := n / 8
	dst = dst[:bitutil.BytesForBits(int64(n))]
	for i := 0; i < full; i++ {
		d := defs[i*8 : i*8+8 : i*8+8]
		var b byte
		for k, v := range d {
			if v == maxDef {
				b |= 1 << k
			}
		}
		dst[i] = b
	}
	if rest := defs[full*8:]; len(rest) > 0 {
		var b byte
		for k, v := range rest {
			if v == maxDef {
				b |= 1 << k
			}
		}
		dst[full] = b
	}
}

func widenInt32(dst []int64, src []int32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = int64(v)
	}
}

func widenUint32(dst []int64, src []int32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = int64(uint32(v))
	}
}

func widenFloat32(dst []float64, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = float64(v)
	}
}

func decimalsFromInt32(dst []decimal128.Num, src []int32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = decimal128.New(int64(v>>31), uint64(int64(v)))
	}
}

func decimalsFromInt64(dst []decimal128.Num, src []int64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = decimal128.New(v>>63, uint64(v))
	}
}

// decimalsFromFixed decodes big-endian decimals of one fixed width.
func decimalsFromFixed(dst []decimal128.Num, src []parquet.FixedLenByteArray) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = decimalFromBigEndian(v)
	}
}

// decimalsFromBinary decodes big-endian decimals of 1 to 16 bytes each.
func decimalsFromBinary(dst []decimal128.Num, src []parquet.ByteArray) error {
	dst = dst[:len(src)]
	for i, v := range src {
		if len(v) < 1 || len(v) > 16 {
			return fmt.Errorf("decimal stored in %d bytes", len(v))
		}
		dst[i] = decimalFromBigEndian(v)
	}
	return nil
}

// packBools packs bools into an Arrow bitmap.
func packBools(dst []byte, src []bool) {
	n := len(src)
	full := n / 8
	dst = dst[:bitutil.BytesForBits(int64(n))]
	for i := 0; i < full; i++ {
		s := src[i*8 : i*8+8 : i*8+8]
		var b byte
		for k, v := range s {
			if v {
				b |= 1 << k
			}
		}
		dst[i] = b
	}
	if rest := src[full*8:]; len(rest) > 0 {
		var b byte
		for k, v := range rest {
			if v {
				b |= 1 << k
			}
		}
		dst[full] = b
	}
}

// firstAboveMaxInt64 returns the index of the first value that does not fit
// int64, or -1. The common case is one OR over the slice.
func firstAboveMaxInt64(vals []int64) int {
	var or int64
	for _, v := range vals {
		or |= v
	}
	if or >= 0 {
		return -1
	}
	for i, v := range vals {
		if v < 0 {
			return i
		}
	}
	return -1
}

// stringBytes is the total length of the strings, or -1 when it does not
// fit Arrow's int32 offsets.
func stringBytes(vals []parquet.ByteArray) int {
	total := 0
	for _, v := range vals {
		total += len(v)
	}
	if total > math.MaxInt32 {
		return -1
	}
	return total
}

// fillStrings writes offsets (len(defs)+1 of them, or len(vals)+1 when defs
// is nil) and the bytes of vals, one value per slot whose definition level
// is maxDef; NULL slots get empty strings.
func fillStrings(offsets []int32, data []byte, vals []parquet.ByteArray, defs []int16, maxDef int16) {
	pos := 0
	if defs == nil {
		offsets = offsets[:len(vals)+1]
		for i, v := range vals {
			offsets[i] = int32(pos)
			pos += copy(data[pos:], v)
		}
		offsets[len(vals)] = int32(pos)
		return
	}
	offsets = offsets[:len(defs)+1]
	j := 0
	for i, d := range defs {
		offsets[i] = int32(pos)
		if d == maxDef {
			pos += copy(data[pos:], vals[j])
			j++
		}
	}
	offsets[len(defs)] = int32(pos)
}
