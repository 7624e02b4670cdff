package parquetsrc

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
)

// colState reads one column of a Reader: the chunk reader of the current
// row group and scratch space reused by every batch. Scratch and the
// library's decoders live in Go memory; only the arrays handed out are
// allocated from the caller's allocator.
type colState struct {
	c      *column
	idx    int   // index of the column in the file
	maxDef int16 // 0: required column, 1: optional

	// The current chunk is read by dec when fast, else by cr.
	fast bool
	dec  *chunkDecoder
	cr   file.ColumnChunkReader

	defs  []int16
	i32   []int32
	i96   []parquet.Int96
	i64   []int64
	f32   []float32
	bools []bool
	bytes []parquet.ByteArray
	fixed []parquet.FixedLenByteArray
}

// errShort reports a chunk that ended before the row group did.
type errShort struct{ got, want int64 }

func (e errShort) Error() string {
	return fmt.Sprintf("%d values where %d were expected", e.got, e.want)
}

// levels returns the definition level buffer for n rows, nil for a
// required column.
func (s *colState) levels(n int) []int16 {
	if s.maxDef == 0 {
		return nil
	}
	if cap(s.defs) < n {
		s.defs = make([]int16, n)
	}
	return s.defs[:n]
}

// checkRead turns a short read into an error: the library reports corrupt
// pages by running out of values, with the cause in Err.
func (s *colState) checkRead(total int64, n int, err error) error {
	if err != nil {
		return err
	}
	if total != int64(n) {
		if e := s.cr.Err(); e != nil {
			return e
		}
		return errShort{got: total, want: int64(n)}
	}
	return nil
}

// read decodes the next n rows of the column into an engine array.
func (s *colState) read(n int, mem memory.Allocator) (arrow.Array, error) {
	c := s.c
	defs := s.levels(n)
	var (
		vals *memory.Buffer // the values buffer of the result
		nv   int            // non-NULL values decoded
		err  error
	)
	// Released when done (the array holds its own reference), also when
	// the library panics on a corrupt page half way.
	defer func() { releaseBuf(vals) }()
	// Fixed-width results: decode into the result buffer directly when the
	// physical type is the engine type, else into scratch and convert the
	// nv dense values, then spread them over the NULL slots.
	switch c.conv {
	case convInt64, convUint64, convTsMicros, convTsMillis, convTsNanos:
		vals = allocBuf(mem, n*8)
		dst := arrow.Int64Traits.CastFromBytes(vals.Bytes())[:n]
		total, got, rerr := s.cr.(*file.Int64ColumnChunkReader).ReadBatch(int64(n), dst, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			err = scaleTimestamps(c.conv, dst[:nv])
			if defs != nil && nv < n {
				spread(dst, nv, defs, s.maxDef)
			}
			if c.conv == convUint64 {
				if i := firstAboveMaxInt64(dst); i >= 0 {
					err = errUint64Overflow{col: c.name, val: uint64(dst[i])}
				}
			}
		}
	case convInt96:
		src := grow(&s.i96, n)
		total, got, rerr := s.cr.(*file.Int96ColumnChunkReader).ReadBatch(int64(n), src, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			vals = allocBuf(mem, n*8)
			dst := arrow.Int64Traits.CastFromBytes(vals.Bytes())[:n]
			for i := range src[:nv] {
				var ok bool
				if dst[i], ok = int96Micros(src[i][:]); !ok {
					err = errTimestampRange
				}
			}
			if defs != nil && nv < n {
				spread(dst, nv, defs, s.maxDef)
			}
		}
	case convFloat64:
		vals = allocBuf(mem, n*8)
		dst := arrow.Float64Traits.CastFromBytes(vals.Bytes())[:n]
		total, got, rerr := s.cr.(*file.Float64ColumnChunkReader).ReadBatch(int64(n), dst, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			if defs != nil && nv < n {
				spread(dst, nv, defs, s.maxDef)
			}
		}
	case convDate32:
		vals = allocBuf(mem, n*4)
		dst := arrow.Int32Traits.CastFromBytes(vals.Bytes())[:n]
		total, got, rerr := s.cr.(*file.Int32ColumnChunkReader).ReadBatch(int64(n), dst, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			if defs != nil && nv < n {
				spread(dst, nv, defs, s.maxDef)
			}
		}
	case convInt32, convUint32:
		src := grow(&s.i32, n)
		total, got, rerr := s.cr.(*file.Int32ColumnChunkReader).ReadBatch(int64(n), src, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			vals = allocBuf(mem, n*8)
			dst := arrow.Int64Traits.CastFromBytes(vals.Bytes())[:n]
			if c.conv == convInt32 {
				widenInt32(dst, src[:nv])
			} else {
				widenUint32(dst, src[:nv])
			}
			if defs != nil && nv < n {
				spread(dst, nv, defs, s.maxDef)
			}
		}
	case convFloat32:
		src := grow(&s.f32, n)
		total, got, rerr := s.cr.(*file.Float32ColumnChunkReader).ReadBatch(int64(n), src, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			vals = allocBuf(mem, n*8)
			dst := arrow.Float64Traits.CastFromBytes(vals.Bytes())[:n]
			widenFloat32(dst, src[:nv])
			if defs != nil && nv < n {
				spread(dst, nv, defs, s.maxDef)
			}
		}
	case convDecInt32:
		src := grow(&s.i32, n)
		total, got, rerr := s.cr.(*file.Int32ColumnChunkReader).ReadBatch(int64(n), src, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			vals = allocBuf(mem, n*16)
			dst := arrow.Decimal128Traits.CastFromBytes(vals.Bytes())[:n]
			decimalsFromInt32(dst, src[:nv])
			if defs != nil && nv < n {
				spread(dst, nv, defs, s.maxDef)
			}
		}
	case convDecInt64:
		src := grow(&s.i64, n)
		total, got, rerr := s.cr.(*file.Int64ColumnChunkReader).ReadBatch(int64(n), src, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			vals = allocBuf(mem, n*16)
			dst := arrow.Decimal128Traits.CastFromBytes(vals.Bytes())[:n]
			decimalsFromInt64(dst, src[:nv])
			if defs != nil && nv < n {
				spread(dst, nv, defs, s.maxDef)
			}
		}
	case convDecFixed:
		src := grow(&s.fixed, n)
		total, got, rerr := s.cr.(*file.FixedLenByteArrayColumnChunkReader).ReadBatch(int64(n), src, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			vals = allocBuf(mem, n*16)
			dst := arrow.Decimal128Traits.CastFromBytes(vals.Bytes())[:n]
			decimalsFromFixed(dst, src[:nv])
			if defs != nil && nv < n {
				spread(dst, nv, defs, s.maxDef)
			}
		}
	case convDecBinary:
		src := grow(&s.bytes, n)
		total, got, rerr := s.cr.(*file.ByteArrayColumnChunkReader).ReadBatch(int64(n), src, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			vals = allocBuf(mem, n*16)
			dst := arrow.Decimal128Traits.CastFromBytes(vals.Bytes())[:n]
			if err = decimalsFromBinary(dst, src[:nv]); err == nil && defs != nil && nv < n {
				spread(dst, nv, defs, s.maxDef)
			}
		}
	case convBool:
		src := grow(&s.bools, n)
		total, got, rerr := s.cr.(*file.BooleanColumnChunkReader).ReadBatch(int64(n), src, defs, nil)
		if err = s.checkRead(total, n, rerr); err == nil {
			nv = got
			if defs != nil && nv < n {
				spread(src[:n], nv, defs, s.maxDef)
			}
			vals = allocBuf(mem, int(bitutil.BytesForBits(int64(n))))
			packBools(vals.Bytes(), src[:n])
		}
	case convString:
		return s.readStrings(n, defs, mem)
	default:
		return nil, fmt.Errorf("internal error: conversion %d", c.conv)
	}
	if err != nil {
		return nil, err
	}
	bits, nulls := s.validity(n, nv, defs, mem)
	defer releaseBuf(bits)
	data := array.NewData(c.typ, n, []*memory.Buffer{bits, vals}, nil, nulls, 0)
	defer data.Release()
	return array.MakeFromData(data), nil
}

// validity builds the validity bitmap when some of the n rows are NULL;
// without NULLs there is none, and consumers skip their null checks.
func (s *colState) validity(n, nv int, defs []int16, mem memory.Allocator) (*memory.Buffer, int) {
	if defs == nil || nv == n {
		return nil, 0
	}
	bits := allocBuf(mem, int(bitutil.BytesForBits(int64(n))))
	validityFromDefs(bits.Bytes(), defs, s.maxDef)
	return bits, n - nv
}

// readStrings decodes n rows of a BYTE_ARRAY column and copies them into
// exactly sized offset and data buffers.
func (s *colState) readStrings(n int, defs []int16, mem memory.Allocator) (arrow.Array, error) {
	src := grow(&s.bytes, n)
	total, nv, err := s.cr.(*file.ByteArrayColumnChunkReader).ReadBatch(int64(n), src, defs, nil)
	if err := s.checkRead(total, n, err); err != nil {
		return nil, err
	}
	src = src[:nv]
	size := stringBytes(src)
	if size < 0 {
		return nil, fmt.Errorf("column %q: more than 2 GiB of strings in %d rows", s.c.name, n)
	}
	offsets := allocBuf(mem, (n+1)*4)
	defer offsets.Release()
	data := allocBuf(mem, size)
	defer data.Release()
	if nv == n {
		defs = nil
	}
	fillStrings(arrow.Int32Traits.CastFromBytes(offsets.Bytes()), data.Bytes(), src, defs, s.maxDef)
	bits, nulls := s.validity(n, nv, defs, mem)
	defer releaseBuf(bits)
	ad := array.NewData(s.c.typ, n, []*memory.Buffer{bits, offsets, data}, nil, nulls, 0)
	defer ad.Release()
	return array.MakeFromData(ad), nil
}

// grow sets *buf to n elements, reallocating scratch that is too small
// (its contents are then lost), and returns it.
func grow[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

// errUint64Overflow is completed with the file name by the Reader.
type errUint64Overflow struct {
	col string
	val uint64
}

func (e errUint64Overflow) Error() string {
	return fmt.Sprintf("column %q: UINT64 value %d does not fit BIGINT", e.col, e.val)
}
