package parquetsrc

import (
	"errors"
	"fmt"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"io"

	"github.com/apache/arrow/go/v17/parquet/compress"
)

const (
	// minRead is the smallest read from the file: small pages are read
	// many at a time, a page larger than it in one read of its own size.
	minRead = 1 << 16
	// firstHeaderRead is how much is read to parse a page header when
	// nothing is buffered; headers with long statistics need more and are
	// read again with twice as much, up to maxPageHeader.
	firstHeaderRead = 1 << 10
	maxPageHeader   = 16 << 20
	// Snappy pages up to wholePage bytes are decoded in one call of the
	// library's decoder (assembly, about 1.3 GB/s here: 0.2 ms); larger
	// ones with snappyBlock (0.85 GB/s) snappyPiece bytes at a time, a
	// tenth of a millisecond, with a check between pieces.
	wholePage   = 256 << 10
	snappyPiece = 128 << 10
	// readPiece is the most read from the file between two checks: 64
	// KiB, as a read into memory the page cache has to map costs a fault
	// per 4 KiB.
	readPiece = 64 << 10
)

// pageCodec is how a chunk's pages are compressed.
type pageCodec struct {
	c      compress.Codec // nil: uncompressed
	snappy bool           // large pages are decoded in pieces (snappy.go)
}

// pageReader yields the pages of one column chunk. It reads the chunk with
// ReadAt through one buffer and decompresses pages into another; both are
// reused for every page of the Reader's scan.
//
// The two buffers come from the Reader's allocator when it has one (the
// query's, over the engine's pool) and go back to it when the Reader
// closes. Made on the heap they were lost with the File's pooled decoders
// at the next collection, and the next query's were made again, often on
// heap memory the runtime had given back to the OS: the runtime zeroes it
// inside make, faulting in a megabyte in one call (3-5 ms on the
// paravirtualised VMs). From the pool they are memory the last query
// already faulted in.
type pageReader struct {
	src   io.ReaderAt
	off   int64            // file offset of raw[lo]
	end   int64            // file offset where the chunk ends
	mem   memory.Allocator // where raw and page come from; nil: the heap
	held  [][]byte         // mem's buffers, until release
	raw   []byte
	lo    int // raw[lo:hi] is read but not consumed
	hi    int
	codec pageCodec
	page  []byte // decompressed page scratch
	// check is called between the pieces of a large page; its error
	// stops the decoding.
	check func() error
	io    chunkIO

	hdr    pageHeader
	snappy snappyBlock
}

// reset starts reading the chunk src[start:start+length].
func (p *pageReader) reset(src io.ReaderAt, start, length int64, codec pageCodec) {
	p.src, p.off, p.end = src, start, start+length
	p.lo, p.hi = 0, 0
	p.codec = codec
}

// buffered is the number of read but unconsumed bytes.
func (p *pageReader) buffered() int { return p.hi - p.lo }

// fill makes at least need bytes (or the rest of the chunk, if less)
// available in raw[lo:hi].
func (p *pageReader) fill(need int) error {
	rest := p.end - p.off
	if int64(need) > rest {
		need = int(rest)
	}
	if p.buffered() >= need {
		return nil
	}
	// Read at least minRead bytes, and never past the chunk.
	want := max(need, minRead)
	if int64(want) > rest {
		want = int(rest)
	}
	if cap(p.raw) < want {
		nb := p.alloc(want)
		if err := touch(nb, p.check); err != nil {
			return err
		}
		copy(nb, p.raw[p.lo:p.hi])
		p.raw = nb
	} else {
		p.raw = p.raw[:cap(p.raw)]
		copy(p.raw, p.raw[p.lo:p.hi])
	}
	p.hi -= p.lo
	p.lo = 0
	// In pieces, with a check between: a page of a megabyte not in the
	// page cache is a disk read of milliseconds.
	var err error
	for p.hi < want {
		end := min(want, p.hi+readPiece)
		var n int
		n, err = p.readAt(p.raw[p.hi:end], p.off+int64(p.hi))
		p.hi += n
		if err != nil || n < end-(p.hi-n) {
			break
		}
		if p.hi < want && p.check != nil {
			if err := p.check(); err != nil {
				return err
			}
		}
	}
	if p.hi < need {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	return nil
}

// consume drops n buffered bytes.
func (p *pageReader) consume(n int) {
	p.lo += n
	p.off += int64(n)
}

// next reads the next page's header into p.hdr and returns its data,
// decompressed (v2 pages: levels then values). ok is false at the end of
// the chunk. The data is valid until the next call.
func (p *pageReader) next() (data []byte, ok bool, err error) {
	for p.off < p.end {
		n, err := p.header()
		if err != nil {
			return nil, false, err
		}
		h := &p.hdr
		size := int(h.compressedSize)
		if int64(n)+int64(size) > p.end-p.off {
			return nil, false, fmt.Errorf("page of %d bytes overruns its column chunk", size)
		}
		if err := p.fill(n + size); err != nil {
			return nil, false, err
		}
		body := p.raw[p.lo+n : p.lo+n+size]
		p.consume(n + size)
		switch h.typ {
		case pageData, pageDictionary:
			data, err = p.decompress(body, int(h.uncompressedSize))
		case pageDataV2:
			data, err = p.decompressV2(body)
		default:
			continue // index pages and unknown page types carry no values
		}
		return data, err == nil, err
	}
	return nil, false, nil
}

// header parses the next page header, reading more of the chunk while it
// is truncated, and returns its length.
func (p *pageReader) header() (int, error) {
	want := firstHeaderRead
	for {
		if err := p.fill(want); err != nil {
			return 0, err
		}
		n, err := parsePageHeader(p.raw[p.lo:p.hi], &p.hdr)
		if err == nil {
			return n, nil
		}
		if !errors.Is(err, errTruncated) {
			return 0, fmt.Errorf("page header: %w", err)
		}
		if int64(p.buffered()) >= p.end-p.off || want >= maxPageHeader {
			return 0, errors.New("page header: truncated")
		}
		want *= 2
	}
}

// decompress returns body decompressed to size bytes.
func (p *pageReader) decompress(body []byte, size int) ([]byte, error) {
	if p.codec.c == nil {
		if len(body) != size {
			return nil, fmt.Errorf("uncompressed page of %d bytes says it holds %d", len(body), size)
		}
		return body, nil
	}
	dst, err := p.growPage(size)
	if err != nil {
		return nil, err
	}
	if err := p.decode(dst, body); err != nil {
		return nil, err
	}
	return dst, nil
}

// decode decompresses body into dst, which it must fill exactly. A large
// Snappy page is decoded a piece at a time with a check between pieces:
// the library's decoder is faster but would take a millisecond or more
// over the megabyte pages common writers make, all without a check.
func (p *pageReader) decode(dst, body []byte) error {
	if p.codec.snappy && len(dst) > wholePage {
		z := &p.snappy
		if err := z.reset(dst, body); err != nil {
			return err
		}
		for {
			if err := z.step(snappyPiece); err != nil {
				return err
			}
			if z.done() {
				return nil
			}
			if p.check != nil {
				if err := p.check(); err != nil {
					return err
				}
			}
		}
	}
	// The library's codecs panic on corrupt input; Reader.read recovers.
	out := p.codec.c.Decode(dst, body)
	if len(out) != len(dst) {
		return fmt.Errorf("page decompressed to %d bytes, header says %d", len(out), len(dst))
	}
	if len(out) > 0 && &out[0] != &dst[0] {
		copy(dst, out)
	}
	return nil
}

// decompressV2 returns a v2 page: its levels are never compressed, its
// values may be.
func (p *pageReader) decompressV2(body []byte) ([]byte, error) {
	h := &p.hdr
	levels := int64(h.defLen) + int64(h.repLen)
	if h.defLen < 0 || h.repLen < 0 || levels > int64(len(body)) || levels > int64(h.uncompressedSize) {
		return nil, fmt.Errorf("v2 page levels of %d+%d bytes in a page of %d", h.repLen, h.defLen, len(body))
	}
	if p.codec.c == nil || !h.compressed {
		if len(body) != int(h.uncompressedSize) {
			return nil, fmt.Errorf("uncompressed page of %d bytes says it holds %d", len(body), h.uncompressedSize)
		}
		return body, nil
	}
	dst, err := p.growPage(int(h.uncompressedSize))
	if err != nil {
		return nil, err
	}
	copy(dst, body[:levels])
	if err := p.decode(dst[levels:], body[levels:]); err != nil {
		return nil, err
	}
	return dst, nil
}
