package parquetsrc

import (
	"fmt"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// read decodes the next n rows of the column into an engine array whose
// buffers come from mem.
func (d *chunkDecoder) read(n int, mem memory.Allocator) (arrow.Array, error) {
	var valid []byte
	if d.maxDef > 0 {
		valid = grow(&d.valid, int(bitutil.BytesForBits(int64(n))))
	}
	switch d.c.conv {
	case convInt64:
		return readFixed(d, n, mem, valid, &d.dictI64, plainCopy[int64], nil)
	case convUint64:
		return readFixed(d, n, mem, valid, &d.dictI64, plainCopy[int64], d.checkUint64)
	case convTsMicros, convTsMillis, convTsNanos, convInt96:
		return readFixed(d, n, mem, valid, &d.dictI64, plainTimestamps(d.c.conv), nil)
	case convInt32:
		return readFixed(d, n, mem, valid, &d.dictI64, plainInt32ToInt64, nil)
	case convUint32:
		return readFixed(d, n, mem, valid, &d.dictI64, plainUint32ToInt64, nil)
	case convFloat64:
		return readFixed(d, n, mem, valid, &d.dictF64, plainCopy[float64], nil)
	case convFloat32:
		return readFixed(d, n, mem, valid, &d.dictF64, plainFloat32ToFloat64, nil)
	case convDate32:
		return readFixed(d, n, mem, valid, &d.dictI32, plainCopy[int32], nil)
	case convDecInt32:
		return readFixed(d, n, mem, valid, &d.dictDec, plainInt32ToDecimal, nil)
	case convDecInt64:
		return readFixed(d, n, mem, valid, &d.dictDec, plainInt64ToDecimal, nil)
	case convDecFixed:
		return readFixed(d, n, mem, valid, &d.dictDec, plainFixedToDecimal(d.c.descr.TypeLength()), nil)
	case convDecBinary:
		return readFixed(d, n, mem, valid, &d.dictDec, plainBinaryToDecimal, nil)
	case convString:
		return d.readStrings(n, mem, valid)
	}
	return nil, fmt.Errorf("internal error: no page decoder for conversion %d", d.c.conv)
}

// readFixed reads n rows of a fixed-width column: values straight into the
// result buffer (densely, then spread over the NULL rows), converted by
// plain or gathered from the converted dictionary; check, if not nil,
// vets the values.
func readFixed[T any](d *chunkDecoder, n int, mem memory.Allocator, valid []byte, dict *[]T, plain plainFunc[T], check func([]T) error) (arrow.Array, error) {
	var zero T
	vals := allocOut(mem, n*int(unsafe.Sizeof(zero)))
	defer vals.Release()
	dst := fromBytes[T](vals.Bytes(), n)
	nv, err := readDense(d, dst, valid, dict, plain)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(dst[:nv]); err != nil {
			return nil, err
		}
	}
	if nv < n {
		spreadBits(dst, nv, valid)
	}
	return d.makeArray(n, nv, mem, valid, vals), nil
}

// checkUint64 rejects UINT64 values above the BIGINT range.
func (d *chunkDecoder) checkUint64(vals []int64) error {
	if i := firstAboveMaxInt64(vals); i >= 0 {
		return errUint64Overflow{col: d.c.name, val: uint64(vals[i])}
	}
	return nil
}

// spreadBits moves the nv values at the front of dst to the rows whose
// validity bit is set, zeroing the others. It works backwards, so values
// never overwrite ones not yet moved, and stops once every row before is
// valid: those values are already in place.
func spreadBits[T any](dst []T, nv int, valid []byte) {
	var zero T
	j := nv - 1
	for i := len(dst) - 1; i >= 0 && j < i; i-- {
		if valid[i>>3]&(1<<(i&7)) != 0 {
			dst[i] = dst[j]
			j--
		} else {
			dst[i] = zero
		}
	}
}

// validityBuffer copies the first n bits of valid into a new bitmap,
// clearing the bits past n.
func validityBuffer(mem memory.Allocator, valid []byte, n int) *memory.Buffer {
	nb := int(bitutil.BytesForBits(int64(n)))
	bits := allocOut(mem, nb)
	b := bits.Bytes()
	copy(b, valid[:nb])
	if r := n & 7; r != 0 {
		b[nb-1] &= byte(1)<<r - 1
	}
	return bits
}
