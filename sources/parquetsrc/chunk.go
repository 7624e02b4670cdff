package parquetsrc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"io"
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// chunkDecoder reads one column, a column chunk at a time, with the
// package's own page decoder: PLAIN and dictionary-encoded values in v1 and
// v2 data pages, any codec of parquet/compress, definition levels in RLE
// or BIT_PACKED. Values are decoded straight into the result buffers, and
// a chunk's dictionary is converted once into the engine layout so that
// dictionary indices gather finished values. Other encodings (DELTA_*,
// BYTE_STREAM_SPLIT), encrypted chunks and BOOLEAN columns go through the
// library's column readers instead (colState).
//
// A chunkDecoder and all its buffers are Go memory, reused across batches
// and, through the File's pool, across Readers.
type chunkDecoder struct {
	c      *column
	maxDef int16
	pages  pageReader

	// The current data page: values (levels, rows) not yet decoded, and
	// their decoders.
	left int
	dict bool   // the page is dictionary-encoded (else PLAIN)
	vals []byte // PLAIN values not yet decoded
	defs levelDecoder
	idx  indexDecoder

	// The chunk's dictionary in the engine layout; one of these is used,
	// by the column's conversion.
	hasDict bool
	dictI64 []int64
	dictF64 []float64
	dictI32 []int32
	dictDec []decimal128.Num
	dictStr stringDict

	valid  []byte   // validity bits of the batch being read
	idxBuf []uint32 // dictionary indices of one stretch
	msb    []byte   // BIT_PACKED levels, bit-reversed
}

// errChunkEnd reports that the chunk has no more data pages.
var errChunkEnd = errors.New("column chunk ends")

// indexStretch is how many dictionary indices are unpacked at a time.
const indexStretch = 1024

// start begins reading the chunk src[start:start+length].
func (d *chunkDecoder) start(src io.ReaderAt, start, length int64, codec pageCodec, check func() error, cio chunkIO, mem memory.Allocator) {
	if d.pages.mem != mem {
		d.pages.release() // another Reader's, should one be left
	}
	d.pages.mem = mem
	d.pages.reset(src, start, length, codec)
	d.pages.check = check
	d.pages.io = cio
	d.left, d.hasDict, d.vals = 0, false, nil
}

// drop forgets the file and chunk, giving the page buffers back to the
// Reader's allocator and keeping the rest for reuse.
func (d *chunkDecoder) drop() {
	d.pages.release()
	d.pages.mem = nil
	d.pages.reset(nil, 0, 0, pageCodec{})
	d.pages.check = nil
	d.pages.io = chunkIO{}
	d.c, d.vals, d.left, d.hasDict = nil, nil, 0, false
	d.defs, d.idx = levelDecoder{}, indexDecoder{}
}

// nextDataPage moves to the next data page with values, decoding any
// dictionary page on the way.
func (d *chunkDecoder) nextDataPage() error {
	for {
		data, ok, err := d.pages.next()
		if err != nil {
			return err
		}
		if !ok {
			return errChunkEnd
		}
		h := &d.pages.hdr
		if h.typ == pageDictionary {
			if d.hasDict {
				return errors.New("column chunk has two dictionary pages")
			}
			if h.encoding != encPlain && h.encoding != encPlainDict {
				return fmt.Errorf("dictionary page in encoding %d", h.encoding)
			}
			if err := d.setDict(data, int(h.numValues)); err != nil {
				return fmt.Errorf("dictionary page: %w", err)
			}
			d.hasDict = true
			continue
		}
		if h.numValues == 0 {
			continue
		}
		if h.typ == pageData {
			data, err = d.levelsV1(data, int(h.numValues), h.defEnc)
		} else {
			data, err = d.levelsV2(data)
		}
		if err != nil {
			return err
		}
		switch h.encoding {
		case encPlain:
			d.dict, d.vals = false, data
		case encPlainDict, encRLEDictionary:
			if !d.hasDict {
				return errors.New("dictionary-encoded page before any dictionary page")
			}
			if err := d.idx.reset(data); err != nil {
				return err
			}
			d.dict = true
		default:
			// The chunk's metadata listed only encodings this decoder
			// reads (see fastChunk); the file contradicts itself.
			return fmt.Errorf("page in encoding %d, which its column chunk does not list", h.encoding)
		}
		d.left = int(h.numValues)
		return nil
	}
}

// levelsV1 sets up the definition levels of a v1 data page and returns
// the rest of the page. A flat column has no repetition levels.
func (d *chunkDecoder) levelsV1(data []byte, n int, enc int32) ([]byte, error) {
	if d.maxDef == 0 {
		return data, nil
	}
	switch enc {
	case encRLE:
		if len(data) < 4 {
			return nil, errors.New("page too short for its definition levels")
		}
		l := binary.LittleEndian.Uint32(data)
		if uint64(l) > uint64(len(data)-4) {
			return nil, fmt.Errorf("definition levels of %d bytes in a page of %d", l, len(data))
		}
		d.defs.reset(data[4 : 4+l])
		return data[4+l:], nil
	case encBitPacked:
		// The deprecated BIT_PACKED encoding packs MSB first: reversed, it
		// is one LSB-first run.
		nb := (n + 7) / 8
		if nb > len(data) {
			return nil, fmt.Errorf("definition levels of %d bytes in a page of %d", nb, len(data))
		}
		rev := grow(&d.msb, nb)
		for i, b := range data[:nb] {
			rev[i] = bits.Reverse8(b)
		}
		d.defs.resetPacked(rev, n)
		return data[nb:], nil
	}
	return nil, fmt.Errorf("definition levels in encoding %d", enc)
}

// levelsV2 sets up the definition levels of a v2 data page (their length
// is in the header, pageReader checked it) and returns the values.
func (d *chunkDecoder) levelsV2(data []byte) ([]byte, error) {
	h := &d.pages.hdr
	rep, def := int(h.repLen), int(h.defLen)
	if d.maxDef > 0 {
		d.defs.reset(data[rep : rep+def])
	}
	return data[rep+def:], nil
}

// setDict converts a PLAIN dictionary page of n values into the engine
// layout of the column.
func (d *chunkDecoder) setDict(data []byte, n int) error {
	// Every PLAIN value takes at least a byte: a larger count is corrupt
	// and must not size an allocation.
	if n > len(data) {
		return fmt.Errorf("%d values in %d bytes", n, len(data))
	}
	var err error
	switch d.c.conv {
	case convInt64, convUint64:
		_, err = plainCopy(grow(&d.dictI64, n), data)
	case convTsMicros, convTsMillis, convTsNanos, convInt96:
		_, err = plainTimestamps(d.c.conv)(grow(&d.dictI64, n), data)
	case convInt32:
		_, err = plainInt32ToInt64(grow(&d.dictI64, n), data)
	case convUint32:
		_, err = plainUint32ToInt64(grow(&d.dictI64, n), data)
	case convFloat64:
		_, err = plainCopy(grow(&d.dictF64, n), data)
	case convFloat32:
		_, err = plainFloat32ToFloat64(grow(&d.dictF64, n), data)
	case convDate32:
		_, err = plainCopy(grow(&d.dictI32, n), data)
	case convDecInt32:
		_, err = plainInt32ToDecimal(grow(&d.dictDec, n), data)
	case convDecInt64:
		_, err = plainInt64ToDecimal(grow(&d.dictDec, n), data)
	case convDecFixed:
		_, err = plainFixedToDecimal(d.c.descr.TypeLength())(grow(&d.dictDec, n), data)
	case convDecBinary:
		_, err = plainBinaryToDecimal(grow(&d.dictDec, n), data)
	case convString:
		err = d.dictStr.set(data, n)
	default:
		err = fmt.Errorf("internal error: dictionary for conversion %d", d.c.conv)
	}
	return err
}

// readDense decodes the next len(dst) rows of a fixed-width column: the
// non-NULL values densely at the front of dst, the validity of every row
// in valid (optional columns only). It returns the number of values. The
// dictionary is passed by reference: a dictionary page may set it.
func readDense[T any](d *chunkDecoder, dst []T, valid []byte, dict *[]T, plain plainFunc[T]) (int, error) {
	n := len(dst)
	nv := 0
	for o := 0; o < n; {
		if d.left == 0 {
			if err := d.nextDataPage(); err != nil {
				if err == errChunkEnd {
					return 0, errShort{got: int64(o), want: int64(n)}
				}
				return 0, err
			}
		}
		k := min(n-o, d.left)
		m := k
		if d.maxDef > 0 {
			var err error
			if m, err = d.defs.read(k, valid, o); err != nil {
				return 0, fmt.Errorf("definition levels: %w", err)
			}
		}
		if m > 0 {
			if err := decodeValues(d, dst[nv:nv+m], *dict, plain); err != nil {
				return 0, err
			}
		}
		nv += m
		o += k
		d.left -= k
	}
	return nv, nil
}

// decodeValues decodes the current page's next len(dst) values.
func decodeValues[T any](d *chunkDecoder, dst, dict []T, plain plainFunc[T]) error {
	if !d.dict {
		used, err := plain(dst, d.vals)
		if err != nil {
			return err
		}
		d.vals = d.vals[used:]
		return nil
	}
	return gather(&d.idx, dst, dict, grow(&d.idxBuf, indexStretch))
}

// gather writes dict[i] for each of the next len(dst) indices; an RLE run
// of one index becomes a fill, and whole groups of a bit-packed run are
// looked up as they are unpacked (gatherPacked).
func gather[T any](x *indexDecoder, dst, dict []T, buf []uint32) error {
	for len(dst) > 0 {
		if x.left == 0 {
			if err := x.nextRun(); err != nil {
				return fmt.Errorf("dictionary indices: %w", err)
			}
		}
		if x.packed && x.bit&7 == 0 && x.width <= 16 && x.width > 0 {
			done := gatherPacked(dst[:min(len(dst), x.left)], x.data, x.bit, x.width, dict)
			x.bit += done * int(x.width)
			x.left -= done
			dst = dst[done:]
			if len(dst) == 0 || x.left == 0 {
				continue
			}
			// Fewer than 8 values, the end of the data, or an index out
			// of range: one value at a time below.
		}
		want := len(dst)
		if x.packed && x.bit&7 != 0 {
			want = 1 // until the run is byte-aligned again
		}
		n, rle, v, err := x.next(buf[:min(want, len(buf))])
		if err != nil {
			return fmt.Errorf("dictionary indices: %w", err)
		}
		out := dst[:n]
		if rle {
			if int(v) >= len(dict) {
				return errIndex(v, len(dict))
			}
			val := dict[v]
			for i := range out {
				out[i] = val
			}
		} else {
			for i, j := range buf[:n] {
				if int(j) >= len(dict) {
					return errIndex(j, len(dict))
				}
				out[i] = dict[j]
			}
		}
		dst = dst[n:]
	}
	return nil
}

func errIndex(i uint32, n int) error {
	return fmt.Errorf("dictionary index %d in a dictionary of %d values", i, n)
}
