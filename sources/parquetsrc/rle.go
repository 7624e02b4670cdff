package parquetsrc

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow/bitutil"
)

// Parquet's RLE / bit-packing hybrid encodes definition levels and
// dictionary indices as a sequence of runs, each introduced by a varint:
// an even header h is a run of h>>1 copies of one value stored in
// ceil(width/8) bytes; an odd one is (h>>1)*8 values bit-packed
// LSB-first, width bits each.

var errRunsEnd = errors.New("RLE data ends before its values")

// runHeader reads a run header at data[pos:]: the run's value count and
// whether it is bit-packed, and the position after the header.
func runHeader(data []byte, pos int) (count int, packed bool, next int, err error) {
	h, n := binary.Uvarint(data[pos:])
	if n <= 0 {
		return 0, false, 0, errRunsEnd
	}
	if h>>1 > 1<<31 {
		return 0, false, 0, fmt.Errorf("RLE run of %d values", h>>1)
	}
	if h&1 == 1 {
		return int(h>>1) * 8, true, pos + n, nil
	}
	return int(h >> 1), false, pos + n, nil
}

// levelDecoder decodes the definition levels of a flat optional column
// (maximum level 1, so one bit each) straight into a validity bitmap: an
// RLE run sets a range of bits, a bit-packed run already is a bitmap and
// is copied.
type levelDecoder struct {
	data   []byte
	pos    int  // next run header, or the end of the current packed run
	left   int  // values left in the current run
	packed bool // the current run is bit-packed
	val    bool // the value of the current RLE run
	bit    int  // packed runs: bit offset in data of the next value
}

func (d *levelDecoder) reset(data []byte) {
	*d = levelDecoder{data: data}
}

// resetPacked decodes n levels bit-packed LSB-first in data, without run
// headers.
func (d *levelDecoder) resetPacked(data []byte, n int) {
	*d = levelDecoder{data: data, pos: len(data), left: n, packed: true}
}

// nextRun starts the next non-empty run.
func (d *levelDecoder) nextRun() error {
	for d.left == 0 {
		count, packed, pos, err := runHeader(d.data, d.pos)
		if err != nil {
			return err
		}
		if packed {
			// A writer may cut the last run's padding short.
			nbytes := min(count/8, len(d.data)-pos)
			d.bit, d.left, d.packed = pos*8, min(count, nbytes*8), true
			d.pos = pos + nbytes
			continue
		}
		if pos >= len(d.data) {
			return errRunsEnd
		}
		switch d.data[pos] {
		case 0, 1:
			d.val = d.data[pos] == 1
		default:
			return fmt.Errorf("definition level %d above the maximum 1", d.data[pos])
		}
		d.left, d.packed, d.pos = count, false, pos+1
	}
	return nil
}

// read decodes the next k levels into bits[off:off+k] (1 = defined) and
// returns how many are defined.
func (d *levelDecoder) read(k int, bits []byte, off int) (int, error) {
	defined := 0
	for k > 0 {
		if d.left == 0 {
			if err := d.nextRun(); err != nil {
				return 0, err
			}
		}
		m := min(k, d.left)
		if d.packed {
			bitutil.CopyBitmap(d.data, d.bit, m, bits, off)
			defined += bitutil.CountSetBits(bits, off, m)
			d.bit += m
		} else {
			bitutil.SetBitsTo(bits, int64(off), int64(m), d.val)
			if d.val {
				defined += m
			}
		}
		d.left -= m
		k -= m
		off += m
	}
	return defined, nil
}

// indexDecoder decodes dictionary indices of 0 to 32 bits.
type indexDecoder struct {
	data   []byte
	width  uint
	vbytes int // bytes of an RLE run's value
	pos    int
	left   int
	packed bool
	val    uint32
	bit    int
}

// reset starts decoding data, whose first byte is the bit width (as in a
// dictionary-encoded data page).
func (d *indexDecoder) reset(data []byte) error {
	if len(data) == 0 {
		return errors.New("dictionary indices without a bit width")
	}
	w := uint(data[0])
	if w > 32 {
		return fmt.Errorf("dictionary index bit width %d", w)
	}
	*d = indexDecoder{data: data, width: w, vbytes: int(w+7) / 8, pos: 1}
	return nil
}

func (d *indexDecoder) nextRun() error {
	for d.left == 0 {
		count, packed, pos, err := runHeader(d.data, d.pos)
		if err != nil {
			return err
		}
		if packed {
			nbytes := min(count/8*int(d.width), len(d.data)-pos)
			d.bit, d.packed = pos*8, true
			if d.width == 0 {
				d.left = count
			} else {
				d.left = min(count, nbytes*8/int(d.width))
			}
			d.pos = pos + nbytes
			continue
		}
		if pos+d.vbytes > len(d.data) {
			return errRunsEnd
		}
		var v uint32
		for i := d.vbytes - 1; i >= 0; i-- {
			v = v<<8 | uint32(d.data[pos+i])
		}
		d.val, d.left, d.packed, d.pos = v, count, false, pos+d.vbytes
	}
	return nil
}

// next decodes up to len(dst) indices. An RLE stretch is returned as its
// length and value (rle true) without touching dst; bit-packed values are
// written to dst[:n].
func (d *indexDecoder) next(dst []uint32) (n int, rle bool, val uint32, err error) {
	if d.left == 0 {
		if err := d.nextRun(); err != nil {
			return 0, false, 0, err
		}
	}
	n = min(len(dst), d.left)
	d.left -= n
	if !d.packed {
		return n, true, d.val, nil
	}
	unpack(dst[:n], d.data, d.bit, d.width)
	d.bit += n * int(d.width)
	return n, false, 0, nil
}

// unpack reads len(dst) values of width bits from src, starting at bit
// offset bit, LSB first. The caller guarantees the bits lie inside src.
//
// Bit-packed runs come in groups of 8 values, width bytes each. While a
// group and 8 bytes after it lie inside src, a group is unpacked with as
// few 64-bit loads as hold it: one for widths up to 8, two (4 values each)
// up to 15, four (2 each) up to 28; the shifts are the same for every
// group. Other widths, a start inside a byte and the tail go value by
// value.
func unpack(dst []uint32, src []byte, bit int, width uint) {
	if width == 0 {
		clear(dst)
		return
	}
	mask := uint64(1)<<width - 1
	w := int(width)
	i := 0
	if bit&7 == 0 && w <= 28 {
		p := bit >> 3
		s1, s2, s3 := width&63, 2*width&63, 3*width&63
		switch {
		case w <= 8:
			s4, s5, s6, s7 := 4*width&63, 5*width&63, 6*width&63, 7*width&63
			for ; i+8 <= len(dst) && p+8 <= len(src); i += 8 {
				v := binary.LittleEndian.Uint64(src[p:])
				d := dst[i : i+8 : i+8]
				d[0], d[1] = uint32(v&mask), uint32(v>>s1&mask)
				d[2], d[3] = uint32(v>>s2&mask), uint32(v>>s3&mask)
				d[4], d[5] = uint32(v>>s4&mask), uint32(v>>s5&mask)
				d[6], d[7] = uint32(v>>s6&mask), uint32(v>>s7&mask)
				p += w
			}
		case w <= 15 || w == 16:
			// Values 4 to 7 start 4*width bits in: a whole byte plus
			// 4 bits when width is odd.
			h, hs := 4*w>>3, uint(4*w&7)
			for ; i+8 <= len(dst) && p+h+8 <= len(src); i += 8 {
				v := binary.LittleEndian.Uint64(src[p:])
				u := binary.LittleEndian.Uint64(src[p+h:]) >> hs
				d := dst[i : i+8 : i+8]
				d[0], d[1] = uint32(v&mask), uint32(v>>s1&mask)
				d[2], d[3] = uint32(v>>s2&mask), uint32(v>>s3&mask)
				d[4], d[5] = uint32(u&mask), uint32(u>>s1&mask)
				d[6], d[7] = uint32(u>>s2&mask), uint32(u>>s3&mask)
				p += w
			}
		default:
			// Pairs start 2*width*k bits in, at most 6 bits into a byte.
			b1, b2, b3 := 2*w>>3, 4*w>>3, 6*w>>3
			t1, t2, t3 := uint(2*w&7), uint(4*w&7), uint(6*w&7)
			for ; i+8 <= len(dst) && p+b3+8 <= len(src); i += 8 {
				v0 := binary.LittleEndian.Uint64(src[p:])
				v1 := binary.LittleEndian.Uint64(src[p+b1:]) >> t1
				v2 := binary.LittleEndian.Uint64(src[p+b2:]) >> t2
				v3 := binary.LittleEndian.Uint64(src[p+b3:]) >> t3
				d := dst[i : i+8 : i+8]
				d[0], d[1] = uint32(v0&mask), uint32(v0>>s1&mask)
				d[2], d[3] = uint32(v1&mask), uint32(v1>>s1&mask)
				d[4], d[5] = uint32(v2&mask), uint32(v2>>s1&mask)
				d[6], d[7] = uint32(v3&mask), uint32(v3>>s1&mask)
				p += w
			}
		}
		bit = p * 8
	}
	for ; i < len(dst); i++ {
		// A value of up to 32 bits at any bit offset lies in the 8 bytes
		// from its first; near the end of src, fewer are loaded.
		b := bit >> 3
		var v uint64
		if b+8 <= len(src) {
			v = binary.LittleEndian.Uint64(src[b:])
		} else {
			for k := len(src) - 1; k >= b; k-- {
				v = v<<8 | uint64(src[k])
			}
		}
		dst[i] = uint32(v >> (bit & 7) & mask)
		bit += w
	}
}

// gatherPacked writes dict[i] for bit-packed indices of 1 to 16 bits at
// byte-aligned bit offset bit of src, whole groups of 8 at a time, and
// returns how many it wrote: it stops before the last group of dst that is
// not whole, before 8-byte loads would pass the end of src, and before a
// group holding an index out of range (which the caller then reports).
// Unpacking straight into the lookups saves storing and reloading every
// index: the hot loop of dictionary-encoded columns.
func gatherPacked[T any](dst []T, src []byte, bit int, width uint, dict []T) int {
	mask := uint64(1)<<width - 1
	w := int(width)
	p := bit >> 3
	s1, s2, s3 := width&63, 2*width&63, 3*width&63
	// As in unpack: values 4 to 7 start 4*width bits in.
	h, hs := 4*w>>3, uint(4*w&7)
	nd := uint64(len(dict))
	i := 0
	for ; i+8 <= len(dst) && p+h+8 <= len(src); i += 8 {
		v := binary.LittleEndian.Uint64(src[p:])
		u := binary.LittleEndian.Uint64(src[p+h:]) >> hs
		i0, i1, i2, i3 := v&mask, v>>s1&mask, v>>s2&mask, v>>s3&mask
		i4, i5, i6, i7 := u&mask, u>>s1&mask, u>>s2&mask, u>>s3&mask
		if i0 >= nd || i1 >= nd || i2 >= nd || i3 >= nd || i4 >= nd || i5 >= nd || i6 >= nd || i7 >= nd {
			break
		}
		d := dst[i : i+8 : i+8]
		d[0], d[1], d[2], d[3] = dict[i0], dict[i1], dict[i2], dict[i3]
		d[4], d[5], d[6], d[7] = dict[i4], dict[i5], dict[i6], dict[i7]
		p += w
	}
	return i
}
