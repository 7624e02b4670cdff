package parquetsrc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"
)

// snappyBlock decodes a Snappy block (the raw format of Parquet's SNAPPY
// pages) a piece at a time. Writers put a column chunk in one page of a
// megabyte or more (tpchgen and DuckDB do), and decoding such a page in one
// call takes about a millisecond, the longest a scan may go without looking
// at its context. Decoding into the final buffer makes resuming free: every
// back reference points into output already written, so the state between
// pieces is just the two positions.
type snappyBlock struct {
	src, dst []byte
	s, d     int
}

var errSnappyCorrupt = errors.New("snappy: corrupt input")

// snappyLen returns the decoded length a block announces and the size of
// that header.
func snappyLen(src []byte) (int, int, error) {
	v, n := binary.Uvarint(src)
	if n <= 0 || v > 1<<31 {
		return 0, 0, fmt.Errorf("%w: bad length header", errSnappyCorrupt)
	}
	return int(v), n, nil
}

// reset starts decoding src into dst, which must have exactly the length
// the block announces.
func (z *snappyBlock) reset(dst, src []byte) error {
	n, hdr, err := snappyLen(src)
	if err != nil {
		return err
	}
	if n != len(dst) {
		return fmt.Errorf("%w: block holds %d bytes, page header says %d", errSnappyCorrupt, n, len(dst))
	}
	*z = snappyBlock{src: src, dst: dst, s: hdr}
	if z.done() && n != 0 {
		return z.corrupt("block ends early")
	}
	return nil
}

// done reports whether the whole block is decoded.
func (z *snappyBlock) done() bool { return z.s == len(z.src) }

// step decodes until at least want more bytes are out or the block ends.
func (z *snappyBlock) step(want int) error {
	src, dst := z.src, z.dst
	stop := min(len(dst), z.d+want)
	s, d := z.s, z.d
	for s < len(src) && d < stop {
		if s <= len(src)-fastSrc && d <= len(dst)-fastDst && (src[s]&3 != 0 || src[s]>>2 < 16) {
			var err error
			z.s, z.d = s, d
			if s, d, err = z.fast(stop); err != nil {
				return err
			}
			continue
		}
		// Near either end, or a long literal: one element, checked.
		tag := src[s]
		var length, offset int
		switch tag & 3 {
		case 0: // literal; long lengths follow the tag in 1 to 4 bytes
			n := uint64(tag >> 2)
			s++
			if n < 16 && len(src)-s >= 16 && len(dst)-d >= 16 {
				// Short literal: move 16 bytes (one vector move), the
				// extra ones are overwritten by what follows.
				*(*[16]byte)(dst[d:]) = *(*[16]byte)(src[s:])
				d += int(n) + 1
				s += int(n) + 1
				continue
			}
			if n >= 60 {
				w := int(n) - 59
				if w > len(src)-s {
					return z.corrupt("literal length past the end")
				}
				n = 0
				for i := w - 1; i >= 0; i-- {
					n = n<<8 | uint64(src[s+i])
				}
				s += w
			}
			if n+1 > uint64(len(src)-s) || n+1 > uint64(len(dst)-d) {
				return z.corrupt("literal past the end")
			}
			ln := int(n) + 1
			copy(dst[d:d+ln], src[s:s+ln])
			d += ln
			s += ln
			continue
		case 1:
			if len(src)-s < 2 {
				return z.corrupt("truncated copy")
			}
			length = 4 + int(tag>>2)&7
			offset = int(tag&0xe0)<<3 | int(src[s+1])
			s += 2
		case 2:
			if len(src)-s < 3 {
				return z.corrupt("truncated copy")
			}
			length = 1 + int(tag>>2)
			offset = int(binary.LittleEndian.Uint16(src[s+1:]))
			s += 3
		default:
			if len(src)-s < 5 {
				return z.corrupt("truncated copy")
			}
			length = 1 + int(tag>>2)
			offset = int(binary.LittleEndian.Uint32(src[s+1:]))
			s += 5
		}
		if offset <= 0 || offset > d || length > len(dst)-d {
			return z.corrupt("copy out of range")
		}
		if offset >= 16 && len(dst)-d >= length+16 {
			// Sixteen bytes at a time (vector moves): each reads only
			// bytes already written, and the overrun past length is
			// overwritten by what follows.
			from := d - offset
			for i := 0; i < length; i += 16 {
				*(*[16]byte)(dst[d+i:]) = *(*[16]byte)(dst[from+i:])
			}
		} else if offset >= 8 && len(dst)-d >= length+8 {
			from := d - offset
			for i := 0; i < length; i += 8 {
				*(*[8]byte)(dst[d+i:]) = *(*[8]byte)(dst[from+i:])
			}
		} else if offset >= length {
			copy(dst[d:d+length], dst[d-offset:])
		} else {
			// Overlapping: a run repeating the last offset bytes. Copies
			// are at most 64 bytes, so byte by byte is cheap enough.
			for i := d; i < d+length; i++ {
				dst[i] = dst[i-offset]
			}
		}
		d += length
	}
	z.s, z.d = s, d
	if s == len(src) && d != len(dst) {
		return z.corrupt("block ends early")
	}
	if d == len(dst) && s != len(src) {
		return z.corrupt("data after the block's end")
	}
	return nil
}

// Margins of the fast loop: a tag and a literal of up to 60 bytes read in
// 16-byte moves, and a 64-byte copy rounded up to whole 16-byte moves.
const (
	fastSrc = 65
	fastDst = 80
)

// fast decodes short literals and copies while both ends are far enough
// that no access can leave the buffers, with unchecked loads and stores:
// bounds checks made the safe loop 1.5x slower than the library's
// assembly. It returns where it stopped; step goes on from there.
func (z *snappyBlock) fast(stop int) (int, int, error) {
	src, dst := z.src, z.dst
	s, d := z.s, z.d
	sp, dp := unsafe.Pointer(unsafe.SliceData(src)), unsafe.Pointer(unsafe.SliceData(dst))
	le := binary.LittleEndian
	sLim, dLim := len(src)-fastSrc, min(stop-1, len(dst)-fastDst)
	for s <= sLim && d <= dLim {
		tag := *(*byte)(unsafe.Add(sp, s))
		var length, offset int
		switch tag & 3 {
		case 0:
			n := int(tag >> 2)
			if n >= 60 {
				z.s, z.d = s, d // a long literal: the safe loop's
				return s, d, nil
			}
			// n+1 <= 60 bytes in 16-byte moves: the margins cover the
			// overrun, which what follows overwrites.
			*(*[16]byte)(unsafe.Add(dp, d)) = *(*[16]byte)(unsafe.Add(sp, s+1))
			for i := 16; i <= n; i += 16 {
				*(*[16]byte)(unsafe.Add(dp, d+i)) = *(*[16]byte)(unsafe.Add(sp, s+1+i))
			}
			d += n + 1
			s += n + 2
			continue
		case 1:
			length = 4 + int(tag>>2)&7
			offset = int(tag&0xe0)<<3 | int(*(*byte)(unsafe.Add(sp, s+1)))
			s += 2
		case 2:
			length = 1 + int(tag>>2)
			offset = int(le.Uint16((*[2]byte)(unsafe.Add(sp, s+1))[:]))
			s += 3
		default:
			length = 1 + int(tag>>2)
			offset = int(le.Uint32((*[4]byte)(unsafe.Add(sp, s+1))[:]))
			s += 5
		}
		if uint(offset-1) >= uint(d) { // offset <= 0 || offset > d
			z.s = s
			return s, d, z.corrupt("copy out of range")
		}
		// length <= 64 and d+80 <= len(dst): every store below is inside.
		// A load from bytes stored moments ago stalls when it spans two
		// of those stores: 16-byte moves only from far back, 8-byte ones
		// nearer (a text's period of 40 bytes ran at 0.45x the library).
		from := d - offset
		switch {
		case length <= 8 && offset >= 8:
			*(*[8]byte)(unsafe.Add(dp, d)) = *(*[8]byte)(unsafe.Add(dp, from))
		case offset >= 64:
			for i := 0; i < length; i += 16 {
				*(*[16]byte)(unsafe.Add(dp, d+i)) = *(*[16]byte)(unsafe.Add(dp, from+i))
			}
		case offset >= 8:
			for i := 0; i < length; i += 8 {
				*(*[8]byte)(unsafe.Add(dp, d+i)) = *(*[8]byte)(unsafe.Add(dp, from+i))
			}
		default:
			for i := 0; i < length; i++ {
				*(*byte)(unsafe.Add(dp, d+i)) = *(*byte)(unsafe.Add(dp, from+i))
			}
		}
		d += length
	}
	z.s, z.d = s, d
	return s, d, nil
}

func (z *snappyBlock) corrupt(what string) error {
	return fmt.Errorf("%w: %s at byte %d", errSnappyCorrupt, what, z.s)
}
