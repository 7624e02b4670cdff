// Package bufpool is an Arrow allocator that recycles the buffers a query
// releases. With Go's allocator every batch's buffers are fresh heap
// memory, and a scan of a few hundred MB triggers a garbage collection
// every few tens of MB: at TPC-H SF1 the collector took 15-25% of the CPU
// of scan-heavy queries. Arrow buffers are reference-counted and freed
// explicitly, so they can go back to a free list instead, as DuckDB's
// buffer manager and Arrow C++'s jemalloc pool do.
//
// Buffers are kept in power-of-two size classes from 64 bytes to MaxPooled;
// larger ones are not kept. The pool keeps at most a fixed number of
// bytes; beyond that, freed buffers are left to the garbage collector (or
// unmapped). A kept buffer is memory already faulted in: on the
// paravirtualised VMs CI runs on a page fault costs 10-15 µs, and a warm
// TPC-H query whose join builds' chunks came from fresh mappings spent a
// fifth of its time faulting them in again.
//
// A kept buffer must be zeroed for Allocate, in one call that nothing
// interrupts; above ClearMax that is a millisecond or more, so Allocate
// maps those sizes fresh, and only AllocateUninit reuses them.
//
// Buffers of MapFrom bytes and more are mapped from the OS, outside the
// Go heap, and unmapped when freed (unless the pool keeps them). Made on
// the heap, such a buffer was zeroed inside the allocating call and,
// while a collection ran, charged the allocating goroutine marking work
// in proportion to its size: one 2 MiB string buffer of a join's build
// side took 0.2-2 ms, between two checks of the query's context. A
// mapping comes zeroed without a touch, and its pages fault in as the
// caller fills them, between its checks. The heap also stays small, so
// a collection has less to do.
package bufpool

import (
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/osmem"
)

const (
	minShift = 6  // 64 bytes: Arrow's alignment
	maxShift = 28 // 256 MiB
	classes  = maxShift - minShift + 1

	// MaxPooled is the largest buffer the pool recycles.
	MaxPooled = 1 << maxShift
	// ClearMax is the largest kept buffer Allocate zeroes for reuse:
	// about a millisecond of clearing.
	ClearMax = 16 << 20
	// MapFrom is the size from which buffers are mapped from the OS.
	MapFrom   = 1 << 20
	alignment = 64
	osPage    = 4096
)

// Allocator recycles freed buffers. It is safe for concurrent use.
type Allocator struct {
	limit    int64 // most bytes kept in the free lists
	retained atomic.Int64
	*lists
}

// lists is apart from the Allocator so that a cleanup can unmap the
// mapped buffers they hold once the Allocator is unreachable (no buffer
// in use can then come back: each holds its allocator).
type lists struct {
	free [classes]freeList

	mu     sync.Mutex
	mapped map[uintptr]int // live mappings: address -> length
}

type freeList struct {
	mu   sync.Mutex
	bufs [][]byte
}

var _ memory.Allocator = (*Allocator)(nil)

// New returns a pool that keeps at most retain bytes of free buffers.
func New(retain int64) *Allocator {
	a := &Allocator{limit: retain, lists: &lists{mapped: map[uintptr]int{}}}
	runtime.AddCleanup(a, (*lists).unmapFree, a.lists)
	return a
}

// class returns the size class of a request and whether it is pooled.
func class(size int) (int, bool) {
	if size > MaxPooled {
		return 0, false
	}
	shift := bits.Len(uint(size - 1))
	if shift < minShift {
		shift = minShift
	}
	return shift - minShift, true
}

// Allocate returns a zeroed, 64-byte aligned buffer of size bytes whose
// capacity is its size class.
func (a *Allocator) Allocate(size int) []byte {
	if size <= 0 {
		return []byte{}
	}
	c, pooled := class(size)
	if !pooled {
		if b := a.mapBuf((size + osPage - 1) &^ (osPage - 1)); b != nil {
			return b[:size]
		}
		return alignedMake(size)
	}
	if 1<<(c+minShift) <= ClearMax {
		if b := a.pop(c); b != nil {
			b = b[:size]
			clear(b) // Arrow expects new memory to be zeroed
			return b
		}
	}
	if full := 1 << (c + minShift); full >= MapFrom {
		if b := a.mapBuf(full); b != nil {
			return b[:size]
		}
	}
	b := make([]byte, 1<<(c+minShift))
	if !aligned(b) {
		// Go places power-of-two objects on their size (or the page), so
		// this does not happen; if it ever does, the buffer is not pooled.
		return alignedMake(size)
	}
	return b[:size]
}

// AllocateUninit is Allocate without the zeroing of a recycled buffer,
// for a caller that overwrites every byte (see vector.UninitAllocator).
func (a *Allocator) AllocateUninit(size int) []byte {
	if size <= 0 {
		return []byte{}
	}
	c, pooled := class(size)
	if pooled {
		if b := a.pop(c); b != nil {
			return b[:size]
		}
	}
	return a.Allocate(size)
}

// Reallocate grows or shrinks b, in place when its class allows.
func (a *Allocator) Reallocate(size int, b []byte) []byte {
	if size <= cap(b) && isClassSized(b) {
		if size > len(b) {
			clear(b[len(b):size]) // stale bytes from an earlier, longer use
		}
		return b[:size]
	}
	nb := a.Allocate(size)
	copy(nb, b)
	a.Free(b)
	return nb
}

// Free returns b to its free list (or to the garbage collector when the
// pool is full or b is not one of its sizes).
func (a *Allocator) Free(b []byte) {
	if cap(b) >= MapFrom {
		if n := a.mappedLen(b); n > 0 {
			if !isClassSized(b) || !a.keep(b) {
				a.unmap(b[:n:n])
			}
			return
		}
	}
	if isClassSized(b) {
		a.keep(b)
	}
}

// keep puts a class-sized buffer on its free list, if the pool has room.
func (a *Allocator) keep(b []byte) bool {
	n := int64(cap(b))
	// Looked at first: once the pool is full, a query's Close frees
	// thousands of buffers, and a write per free to this shared word made
	// two workers' releases contend for it.
	if a.retained.Load()+n > a.limit {
		return false
	}
	if a.retained.Add(n) > a.limit {
		a.retained.Add(-n)
		return false
	}
	c, _ := class(cap(b))
	l := &a.free[c]
	l.mu.Lock()
	l.bufs = append(l.bufs, b[:cap(b)])
	l.mu.Unlock()
	return true
}

// Retained is the number of bytes held in the free lists.
func (a *Allocator) Retained() int64 { return a.retained.Load() }

func (a *Allocator) pop(c int) []byte {
	l := &a.free[c]
	l.mu.Lock()
	n := len(l.bufs)
	if n == 0 {
		l.mu.Unlock()
		return nil
	}
	b := l.bufs[n-1]
	l.bufs[n-1] = nil
	l.bufs = l.bufs[:n-1]
	l.mu.Unlock()
	a.retained.Add(-int64(cap(b)))
	return b
}

// isClassSized reports whether b is a whole, aligned size-class buffer
// (what Allocate hands out), as opposed to one from alignedMake.
func isClassSized(b []byte) bool {
	c := cap(b)
	return c >= 1<<minShift && c <= MaxPooled && c&(c-1) == 0 && aligned(b[:1])
}

func aligned(b []byte) bool {
	return uintptr(unsafe.Pointer(unsafe.SliceData(b)))%alignment == 0
}

// alignedMake is Go's allocator's way: over-allocate and slice at the
// aligned address. Its capacity is exactly size, never a pooled class
// size unless size itself is one, which is then harmless to pool.
func alignedMake(size int) []byte {
	b := make([]byte, size+alignment)
	off := 0
	if r := uintptr(unsafe.Pointer(unsafe.SliceData(b))) % alignment; r != 0 {
		off = int(alignment - r)
	}
	return b[off : off+size : off+size]
}

// mapBuf maps n bytes (a multiple of the OS page) and records the
// mapping, or returns nil when the OS refuses.
func (a *Allocator) mapBuf(n int) []byte {
	b := osmem.Map(n)
	if b == nil {
		return nil
	}
	a.mu.Lock()
	a.mapped[base(b)] = n
	a.mu.Unlock()
	return b
}

// mappedLen is the length of the mapping b starts, or 0 when b is heap
// memory.
func (a *Allocator) mappedLen(b []byte) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.mapped[base(b)]
}

func (a *Allocator) unmap(b []byte) {
	a.mu.Lock()
	delete(a.mapped, base(b))
	a.mu.Unlock()
	_ = osmem.Unmap(b)
}

// Mapped is the number of bytes of live mappings: buffers in use or kept
// in the free lists.
func (a *Allocator) Mapped() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	var n int64
	for _, l := range a.mapped {
		n += int64(l)
	}
	return n
}

// unmapFree unmaps the mapped buffers of the free lists.
func (l *lists) unmapFree() {
	for c := range l.free {
		for _, b := range l.free[c].bufs {
			if n := l.mapped[base(b)]; n > 0 {
				_ = osmem.Unmap(b[:n:n])
			}
		}
	}
}

func base(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
