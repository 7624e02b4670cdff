package parquetsrc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// Decoders of PLAIN-encoded values into the engine's layouts. Each decodes
// exactly len(dst) values from the front of src and returns the bytes it
// used; the same functions decode dictionary pages, so a dictionary is
// converted once per column chunk and indices then gather finished values.

// plainFunc decodes len(dst) PLAIN values from src.
type plainFunc[T any] func(dst []T, src []byte) (int, error)

var errPlainShort = errors.New("page ends before its values")

// asBytes views fixed-width values as their bytes (little-endian on every
// platform the engine supports, as Arrow itself assumes).
func asBytes[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(zero)))
}

// fromBytes views n fixed-width values in b, which must hold them.
func fromBytes[T any](b []byte, n int) []T {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
}

// plainCopy decodes values whose PLAIN bytes are already the engine's
// layout: INT64 as BIGINT, DOUBLE, INT32 as DATE.
func plainCopy[T any](dst []T, src []byte) (int, error) {
	b := asBytes(dst)
	if len(b) > len(src) {
		return 0, errPlainShort
	}
	return copy(b, src[:len(b)]), nil
}

func plainInt32ToInt64(dst []int64, src []byte) (int, error) {
	need := 4 * len(dst)
	if need > len(src) {
		return 0, errPlainShort
	}
	src = src[:need]
	for i := range dst {
		dst[i] = int64(int32(binary.LittleEndian.Uint32(src[4*i:])))
	}
	return need, nil
}

func plainUint32ToInt64(dst []int64, src []byte) (int, error) {
	need := 4 * len(dst)
	if need > len(src) {
		return 0, errPlainShort
	}
	src = src[:need]
	for i := range dst {
		dst[i] = int64(binary.LittleEndian.Uint32(src[4*i:]))
	}
	return need, nil
}

func plainFloat32ToFloat64(dst []float64, src []byte) (int, error) {
	need := 4 * len(dst)
	if need > len(src) {
		return 0, errPlainShort
	}
	src = src[:need]
	for i := range dst {
		dst[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:])))
	}
	return need, nil
}

func plainInt32ToDecimal(dst []decimal128.Num, src []byte) (int, error) {
	need := 4 * len(dst)
	if need > len(src) {
		return 0, errPlainShort
	}
	src = src[:need]
	for i := range dst {
		v := int64(int32(binary.LittleEndian.Uint32(src[4*i:])))
		dst[i] = decimal128.New(v>>63, uint64(v))
	}
	return need, nil
}

func plainInt64ToDecimal(dst []decimal128.Num, src []byte) (int, error) {
	need := 8 * len(dst)
	if need > len(src) {
		return 0, errPlainShort
	}
	src = src[:need]
	for i := range dst {
		v := int64(binary.LittleEndian.Uint64(src[8*i:]))
		dst[i] = decimal128.New(v>>63, uint64(v))
	}
	return need, nil
}

// plainFixedToDecimal returns the decoder of big-endian decimals in
// FIXED_LEN_BYTE_ARRAY values of width bytes (1 to 16, checked at Open).
func plainFixedToDecimal(width int) plainFunc[decimal128.Num] {
	return func(dst []decimal128.Num, src []byte) (int, error) {
		need := width * len(dst)
		if need > len(src) {
			return 0, errPlainShort
		}
		for i := range dst {
			dst[i] = decimalFromBigEndian(src[i*width : (i+1)*width])
		}
		return need, nil
	}
}

// plainBinaryToDecimal decodes big-endian decimals in BYTE_ARRAY values,
// each a 4-byte length and 1 to 16 bytes.
func plainBinaryToDecimal(dst []decimal128.Num, src []byte) (int, error) {
	pos := 0
	for i := range dst {
		b, next, err := plainByteArray(src, pos)
		if err != nil {
			return 0, err
		}
		if len(b) < 1 || len(b) > 16 {
			return 0, fmt.Errorf("decimal stored in %d bytes", len(b))
		}
		dst[i] = decimalFromBigEndian(b)
		pos = next
	}
	return pos, nil
}

// plainByteArray returns the BYTE_ARRAY value at src[pos:] and the
// position after it.
func plainByteArray(src []byte, pos int) ([]byte, int, error) {
	if len(src)-pos < 4 {
		return nil, 0, errPlainShort
	}
	l := binary.LittleEndian.Uint32(src[pos:])
	pos += 4
	if uint64(l) > uint64(len(src)-pos) {
		return nil, 0, errPlainShort
	}
	end := pos + int(l)
	return src[pos:end], end, nil
}
