package parquetsrc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// A Parquet page starts with a PageHeader in Thrift's compact protocol. The
// library's own parser is internal to it and allocates a header object (and
// its statistics) per page, so the scan parses the few fields it needs
// here, into a reused value, and skips everything else.

// Page types and encodings, as numbered in parquet.thrift.
const (
	pageData       = 0
	pageDictionary = 2
	pageDataV2     = 3

	encPlain         = 0
	encPlainDict     = 2
	encRLE           = 3
	encBitPacked     = 4
	encRLEDictionary = 8
)

// Compact protocol type codes.
const (
	thriftStop   = 0
	thriftTrue   = 1
	thriftFalse  = 2
	thriftByte   = 3
	thriftI16    = 4
	thriftI32    = 5
	thriftI64    = 6
	thriftDouble = 7
	thriftBinary = 8
	thriftList   = 9
	thriftSet    = 10
	thriftMap    = 11
	thriftStruct = 12

	// maxThriftDepth bounds the nesting of skipped values, so that a
	// corrupt header cannot exhaust the stack.
	maxThriftDepth = 32
)

// errTruncated means the buffer ended inside the header: the caller reads
// more of the chunk and parses again.
var errTruncated = errors.New("truncated page header")

// pageHeader holds the fields of a PageHeader (and of whichever of its
// data, dictionary or v2 headers is present) that decoding needs.
type pageHeader struct {
	typ              int32
	uncompressedSize int32
	compressedSize   int32

	numValues int32 // data, dictionary and v2 pages
	encoding  int32 // of the values
	defEnc    int32 // v1: encoding of the definition levels
	repEnc    int32 // v1: encoding of the repetition levels

	// v2 only: level byte lengths (stored uncompressed) and whether the
	// values are compressed.
	numRows    int32
	defLen     int32
	repLen     int32
	compressed bool
}

// thriftReader reads the compact protocol from a byte slice.
type thriftReader struct {
	b   []byte
	pos int
}

func (r *thriftReader) byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, errTruncated
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *thriftReader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(r.b[r.pos:])
	if n == 0 {
		return 0, errTruncated
	}
	if n < 0 {
		return 0, errors.New("varint overflows 64 bits")
	}
	r.pos += n
	return v, nil
}

// i32 reads a zigzag varint that must fit 32 bits.
func (r *thriftReader) i32() (int32, error) {
	u, err := r.uvarint()
	if err != nil {
		return 0, err
	}
	v := int64(u>>1) ^ -int64(u&1)
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, fmt.Errorf("i32 field holds %d", v)
	}
	return int32(v), nil
}

// fieldHeader reads a field header: its type and id (0 at the end of a
// struct). last is the previous field's id, the base of short deltas.
func (r *thriftReader) fieldHeader(last int16) (typ byte, id int16, err error) {
	c, err := r.byte()
	if err != nil {
		return 0, 0, err
	}
	typ = c & 0x0f
	if typ == thriftStop {
		return thriftStop, 0, nil
	}
	if delta := int16(c >> 4); delta != 0 {
		return typ, last + delta, nil
	}
	v, err := r.i32()
	if err != nil {
		return 0, 0, err
	}
	if v < math.MinInt16 || v > math.MaxInt16 {
		return 0, 0, fmt.Errorf("field id %d", v)
	}
	return typ, int16(v), nil
}

// boolField reads the value of a bool field, which the compact protocol
// stores in the field header's type.
func boolField(typ byte) (bool, error) {
	switch typ {
	case thriftTrue:
		return true, nil
	case thriftFalse:
		return false, nil
	}
	return false, fmt.Errorf("bool field of type %d", typ)
}

// skip skips a value of type typ nested depth levels deep.
func (r *thriftReader) skip(typ byte, depth int) error {
	if depth > maxThriftDepth {
		return errors.New("nested too deeply")
	}
	switch typ {
	case thriftTrue, thriftFalse:
		return nil
	case thriftByte:
		_, err := r.byte()
		return err
	case thriftI16, thriftI32, thriftI64:
		_, err := r.uvarint()
		return err
	case thriftDouble:
		return r.skipBytes(8)
	case thriftBinary:
		n, err := r.uvarint()
		if err != nil {
			return err
		}
		return r.skipBytes(n)
	case thriftList, thriftSet:
		c, err := r.byte()
		if err != nil {
			return err
		}
		size, elem := uint64(c>>4), c&0x0f
		if size == 15 {
			if size, err = r.uvarint(); err != nil {
				return err
			}
		}
		return r.skipN(size, elem, depth)
	case thriftMap:
		size, err := r.uvarint()
		if err != nil || size == 0 {
			return err
		}
		c, err := r.byte()
		if err != nil {
			return err
		}
		for i := uint64(0); i < size; i++ {
			if err := r.skip(c>>4, depth+1); err != nil {
				return err
			}
			if err := r.skip(c&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case thriftStruct:
		var last int16
		for {
			ft, id, err := r.fieldHeader(last)
			if err != nil {
				return err
			}
			if ft == thriftStop {
				return nil
			}
			if err := r.skip(ft, depth+1); err != nil {
				return err
			}
			last = id
		}
	}
	return fmt.Errorf("unknown thrift type %d", typ)
}

// skipN skips size list elements of type elem.
func (r *thriftReader) skipN(size uint64, elem byte, depth int) error {
	if size > uint64(len(r.b)) {
		// Every element takes at least one byte (bools too, in lists).
		return errTruncated
	}
	for i := uint64(0); i < size; i++ {
		if elem == thriftTrue || elem == thriftFalse {
			if _, err := r.byte(); err != nil {
				return err
			}
			continue
		}
		if err := r.skip(elem, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (r *thriftReader) skipBytes(n uint64) error {
	if n > uint64(len(r.b)-r.pos) {
		return errTruncated
	}
	r.pos += int(n)
	return nil
}

// parsePageHeader parses a PageHeader at the start of b and returns its
// length in bytes. It returns errTruncated when b ends inside it.
func parsePageHeader(b []byte, h *pageHeader) (int, error) {
	*h = pageHeader{typ: -1, compressed: true}
	r := thriftReader{b: b}
	var last int16
	var seen uint8
	for {
		typ, id, err := r.fieldHeader(last)
		if err != nil {
			return 0, err
		}
		if typ == thriftStop {
			break
		}
		last = id
		switch {
		case id == 1 && typ == thriftI32:
			h.typ, err = r.i32()
			seen |= 1
		case id == 2 && typ == thriftI32:
			h.uncompressedSize, err = r.i32()
			seen |= 2
		case id == 3 && typ == thriftI32:
			h.compressedSize, err = r.i32()
			seen |= 4
		case id == 5 && typ == thriftStruct:
			err = r.dataPageHeader(h)
		case id == 7 && typ == thriftStruct:
			err = r.dictPageHeader(h)
		case id == 8 && typ == thriftStruct:
			err = r.dataPageHeaderV2(h)
		default:
			err = r.skip(typ, 1)
		}
		if err != nil {
			return 0, err
		}
	}
	if seen != 7 {
		return 0, errors.New("page header lacks a required field")
	}
	if h.uncompressedSize < 0 || h.compressedSize < 0 || h.numValues < 0 {
		return 0, fmt.Errorf("page header with negative sizes (%d, %d, %d values)",
			h.uncompressedSize, h.compressedSize, h.numValues)
	}
	return r.pos, nil
}

// structFields calls field for every field of a struct; field skips the
// fields it does not want.
func (r *thriftReader) structFields(field func(typ byte, id int16) error) error {
	var last int16
	for {
		typ, id, err := r.fieldHeader(last)
		if err != nil {
			return err
		}
		if typ == thriftStop {
			return nil
		}
		last = id
		if err := field(typ, id); err != nil {
			return err
		}
	}
}

func (r *thriftReader) dataPageHeader(h *pageHeader) error {
	return r.structFields(func(typ byte, id int16) (err error) {
		switch {
		case id == 1 && typ == thriftI32:
			h.numValues, err = r.i32()
		case id == 2 && typ == thriftI32:
			h.encoding, err = r.i32()
		case id == 3 && typ == thriftI32:
			h.defEnc, err = r.i32()
		case id == 4 && typ == thriftI32:
			h.repEnc, err = r.i32()
		default:
			err = r.skip(typ, 2)
		}
		return err
	})
}

func (r *thriftReader) dictPageHeader(h *pageHeader) error {
	return r.structFields(func(typ byte, id int16) (err error) {
		switch {
		case id == 1 && typ == thriftI32:
			h.numValues, err = r.i32()
		case id == 2 && typ == thriftI32:
			h.encoding, err = r.i32()
		default:
			err = r.skip(typ, 2)
		}
		return err
	})
}

func (r *thriftReader) dataPageHeaderV2(h *pageHeader) error {
	return r.structFields(func(typ byte, id int16) (err error) {
		switch {
		case id == 1 && typ == thriftI32:
			h.numValues, err = r.i32()
		case id == 3 && typ == thriftI32:
			h.numRows, err = r.i32()
		case id == 4 && typ == thriftI32:
			h.encoding, err = r.i32()
		case id == 5 && typ == thriftI32:
			h.defLen, err = r.i32()
		case id == 6 && typ == thriftI32:
			h.repLen, err = r.i32()
		case id == 7 && (typ == thriftTrue || typ == thriftFalse):
			h.compressed, err = boolField(typ)
		default:
			err = r.skip(typ, 2)
		}
		return err
	})
}
