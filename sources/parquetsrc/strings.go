package parquetsrc

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// stringDict is a BYTE_ARRAY dictionary: its values back to back with
// their offsets, and, when no value is longer than 32 bytes (flags, modes,
// codes, names of types and segments), each value also zero-padded to
// width = 8, 16 or 32 bytes, so that gathering a value is one fixed-size
// store instead of a copy call of variable length.
type stringDict struct {
	data   []byte
	offs   []int32 // value i is data[offs[i]:offs[i+1]]
	maxLen int
	width  int     // of the padded values; 0 when some value is longer
	padded []byte  // value i at padded[i*width:]
	lens   []int32 // the length of each value, when padded
}

// storeSlack is the room the fixed-size stores need past the last value.
const storeSlack = 32

// set decodes a PLAIN dictionary page of n values.
func (sd *stringDict) set(page []byte, n int) error {
	if n > len(page)/4 {
		return fmt.Errorf("%d values in %d bytes", n, len(page))
	}
	offs := grow(&sd.offs, n+1)
	data := sd.data[:0]
	pos := 0
	sd.maxLen = 0
	for i := 0; i < n; i++ {
		b, next, err := plainByteArray(page, pos)
		if err != nil {
			return err
		}
		offs[i] = int32(len(data))
		data = append(data, b...)
		sd.maxLen = max(sd.maxLen, len(b))
		pos = next
	}
	offs[n] = int32(len(data))
	sd.data = data
	switch {
	case sd.maxLen <= 8:
		sd.width = 8
	case sd.maxLen <= 16:
		sd.width = 16
	case sd.maxLen <= storeSlack:
		sd.width = 32
	default:
		sd.width = 0
		return nil
	}
	padded := grow(&sd.padded, n*sd.width)
	clear(padded)
	lens := grow(&sd.lens, n)
	for i := range lens {
		lens[i] = int32(copy(padded[i*sd.width:], data[offs[i]:offs[i+1]]))
	}
	return nil
}

func (sd *stringDict) len() int { return len(sd.offs) - 1 }

// stringOut is the values buffer of a string array being built: it grows
// by doubling, and keeps storeSlack bytes of slack for the fixed-size
// stores of padded dictionary values.
type stringOut struct {
	buf  *memory.Buffer
	data []byte // buf's whole capacity
	pos  int    // bytes written
	offs []int32
}

// reserve makes room for extra more bytes plus the slack.
func (o *stringOut) reserve(extra int) error {
	need := o.pos + extra + storeSlack
	if need <= len(o.data) {
		return nil
	}
	if o.pos+extra > math.MaxInt32 {
		return fmt.Errorf("more than 2 GiB of strings in %d rows", len(o.offs)-1)
	}
	o.buf.Reserve(max(need, 2*len(o.data)))
	o.data = o.buf.Buf()
	return nil
}

// readStrings reads the next n rows of a string column.
func (d *chunkDecoder) readStrings(n int, mem memory.Allocator, valid []byte) (arrow.Array, error) {
	offsets := allocOut(mem, (n+1)*4)
	defer offsets.Release()
	out := stringOut{buf: memory.NewResizableBuffer(mem), offs: fromBytes[int32](offsets.Bytes(), n+1)}
	defer out.buf.Release()
	out.offs[0] = 0
	nv := 0
	for o := 0; o < n; {
		if d.left == 0 {
			if err := d.nextDataPage(); err != nil {
				if err == errChunkEnd {
					return nil, errShort{got: int64(o), want: int64(n)}
				}
				return nil, err
			}
		}
		k := min(n-o, d.left)
		m := k
		if d.maxDef > 0 {
			var err error
			if m, err = d.defs.read(k, valid, o); err != nil {
				return nil, fmt.Errorf("definition levels: %w", err)
			}
		}
		if m > 0 {
			var err error
			if d.dict {
				err = d.gatherStrings(&out, nv, m, n-o)
			} else {
				err = d.plainStrings(&out, nv, m, n-o)
			}
			if err != nil {
				return nil, err
			}
		}
		nv += m
		o += k
		d.left -= k
	}
	if nv < n {
		spreadOffsets(out.offs, nv, valid)
	}
	out.buf.ResizeNoShrink(out.pos)
	return d.makeArray(n, nv, mem, valid, offsets, out.buf), nil
}

// plainStrings copies the page's next m PLAIN values; rows is how many
// rows the batch still needs, to size the buffer from the page's average.
func (d *chunkDecoder) plainStrings(out *stringOut, vi, m, rows int) error {
	src := d.vals
	if out.data == nil && d.left > 0 {
		// Bytes per row of what is left of this page, minus the lengths.
		est := max(len(src)-4*d.left, 0) / d.left * rows
		if err := out.reserve(est + est/8); err != nil {
			return err
		}
	}
	pos := 0
	offs := out.offs[vi+1 : vi+1+m]
	for i := range offs {
		b, next, err := plainByteArray(src, pos)
		if err != nil {
			return err
		}
		if out.pos+len(b) > len(out.data) {
			if err := out.reserve(len(b)); err != nil {
				return err
			}
		}
		out.pos += copy(out.data[out.pos:], b)
		offs[i] = int32(out.pos)
		pos = next
	}
	d.vals = src[pos:]
	return nil
}

// gatherStrings copies the dictionary values of the page's next m
// indices; rows is as for plainStrings.
func (d *chunkDecoder) gatherStrings(out *stringOut, vi, m, rows int) error {
	sd := &d.dictStr
	nd := sd.len()
	buf := grow(&d.idxBuf, indexStretch)
	offs := out.offs[vi+1 : vi+1+m]
	for len(offs) > 0 {
		c, rle, v, err := d.idx.next(buf[:min(len(offs), len(buf))])
		if err != nil {
			return fmt.Errorf("dictionary indices: %w", err)
		}
		idx := buf[:c]
		if rle {
			for i := range idx {
				idx[i] = v
			}
		}
		switch sd.width {
		case 8:
			err = gatherPadded(out, offs[:c], idx, fromBytes[[8]byte](sd.padded, nd), sd.lens, sd.maxLen, rows)
		case 16:
			err = gatherPadded(out, offs[:c], idx, fromBytes[[16]byte](sd.padded, nd), sd.lens, sd.maxLen, rows)
		case 32:
			err = gatherPadded(out, offs[:c], idx, fromBytes[[32]byte](sd.padded, nd), sd.lens, sd.maxLen, rows)
		default:
			err = gatherLong(out, offs[:c], idx, sd, rows)
		}
		if err != nil {
			return err
		}
		offs = offs[c:]
	}
	return nil
}

// gatherPadded stores the dictionary values of idx, padded to the size of
// W (at most storeSlack bytes, no value longer than maxLen), one
// fixed-size store each, and their end offsets. The first stretch of a
// batch sizes the buffer for all rows.
func gatherPadded[W any](out *stringOut, offs []int32, idx []uint32, padded []W, lens []int32, maxLen, rows int) error {
	need := maxLen * len(idx)
	if out.data == nil {
		need = maxLen * rows
	}
	if err := out.reserve(need); err != nil {
		return err
	}
	var w W
	size := int(unsafe.Sizeof(w))
	// reserve left maxLen*len(idx) bytes and the slack: every store fits.
	pos, data := out.pos, out.data[:out.pos+maxLen*len(idx)+size]
	for i, j := range idx {
		if int(j) >= len(padded) {
			return errIndex(j, len(padded))
		}
		_ = data[pos+size-1] // the store below stays inside data
		*(*W)(unsafe.Pointer(&data[pos])) = padded[j]
		pos += int(lens[j])
		offs[i] = int32(pos)
	}
	out.pos = pos
	return nil
}

// gatherLong copies the dictionary values of idx and their end offsets,
// sizing the buffer first.
func gatherLong(out *stringOut, offs []int32, idx []uint32, sd *stringDict, rows int) error {
	nd := sd.len()
	total := 0
	for _, j := range idx {
		if int(j) >= nd {
			return errIndex(j, nd)
		}
		total += int(sd.offs[j+1] - sd.offs[j])
	}
	if out.data == nil {
		total = max(total, total/len(idx)*rows)
	}
	if err := out.reserve(total); err != nil {
		return err
	}
	pos, data := out.pos, out.data
	for i, j := range idx {
		pos += copy(data[pos:], sd.data[sd.offs[j]:sd.offs[j+1]])
		offs[i] = int32(pos)
	}
	out.pos = pos
	return nil
}

// spreadOffsets turns the end offsets of nv dense values (offs[1:nv+1])
// into the offsets of len(offs)-1 rows, NULL rows being empty. It works
// backwards and stops once every row before is non-NULL, in place.
func spreadOffsets(offs []int32, nv int, valid []byte) {
	j := nv
	for i := len(offs) - 2; i >= 0 && j < i+1; i-- {
		offs[i+1] = offs[j]
		if valid[i>>3]&(1<<(i&7)) != 0 {
			j--
		}
	}
}

// makeArray wraps the buffers of n rows, nv of them non-NULL, into an
// array of the column's type, adding a validity bitmap when some are NULL.
func (d *chunkDecoder) makeArray(n, nv int, mem memory.Allocator, valid []byte, bufs ...*memory.Buffer) arrow.Array {
	var bits *memory.Buffer
	if nv < n {
		bits = validityBuffer(mem, valid, n)
		defer bits.Release()
	}
	data := array.NewData(d.c.typ, n, append([]*memory.Buffer{bits}, bufs...), nil, n-nv, 0)
	defer data.Release()
	return array.MakeFromData(data)
}
