package parquetsrc

import "github.com/minisql/minisql/vector"

// A page buffer larger than any before it in its chunk is new memory, and
// when it is fresh from the OS (a new mapping of the engine's pool, or the
// heap's), every 4 KiB page of it faults on its first touch. On the paravirtualised VMs CI runs on a fault
// costs 10-15 µs, so decoding a 256 KiB page into such a buffer spent a
// millisecond in the kernel between two checks. A new buffer is therefore
// touched first, a few pages between checks.

const (
	osPage = 4096
	// touchPages is the pages touched between two checks: 60 µs of
	// faults at 15 µs each, and rarely more than 0.5 ms (one fault in a
	// hundred or so takes 60-200 µs; 16 pages a check made stretches of
	// a millisecond).
	touchPages = 4
)

// alloc returns a buffer of n bytes whose contents are undefined, from
// the reader's allocator when it has one. Its capacity is n: what lies
// beyond belongs to the allocator. The buffer is held until release, even
// once a larger one replaces it: the decoder may still read values in it
// (a PLAIN page's, a dictionary's strings).
func (p *pageReader) alloc(n int) []byte {
	var b []byte
	switch ua, ok := p.mem.(vector.UninitAllocator); {
	case p.mem == nil:
		return make([]byte, n)
	case ok:
		b = ua.AllocateUninit(n)
	default:
		b = p.mem.Allocate(n)
	}
	p.held = append(p.held, b)
	return b[:n:n]
}

// release gives every buffer back, at the end of the Reader's scan.
func (p *pageReader) release() {
	for i, b := range p.held {
		p.mem.Free(b)
		p.held[i] = nil
	}
	p.held = p.held[:0]
	p.raw, p.page = nil, nil
	p.lo, p.hi = 0, 0
}

// growPage returns the page buffer at n bytes, a new one when it is too
// small, touched as above. Its contents are then undefined.
func (p *pageReader) growPage(n int) ([]byte, error) {
	if cap(p.page) >= n {
		p.page = p.page[:n]
		return p.page, nil
	}
	p.page = p.alloc(n)
	return p.page, touch(p.page, p.check)
}

// touch writes a zero to every OS page of b (new memory, whose contents
// are undefined), calling check every touchPages pages.
func touch(b []byte, check func() error) error {
	if check == nil || len(b) <= touchPages*osPage {
		return nil
	}
	for off, k := 0, 0; off < len(b); off, k = off+osPage, k+1 {
		if k == touchPages {
			if err := check(); err != nil {
				return err
			}
			k = 0
		}
		b[off] = 0
	}
	return nil
}
