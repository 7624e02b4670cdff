package osmem

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// arenaAlign is Arrow's buffer alignment.
const arenaAlign = 64

// osPage is the granularity of Map and Unmap.
const osPage = 4096

// Arena is an Arrow allocator that carves buffers out of one mapping, for
// data written once and freed together: a chunk of an in-memory table.
// Such data on the Go heap made the heap's size, and so the collector's
// goal, the size of the tables: a query then allocated fresh pages until
// the heap had grown by as much again (a page fault per 4 KiB) and the
// process's footprint doubled. Out of the heap, the collector's goal
// stays small and queries reuse warm memory.
//
// Pieces are never reused. The mapping goes back to the OS once the
// arena is sealed and every piece has been freed; requests beyond it go
// to the fallback allocator, and so do all of them when the OS refuses
// the mapping. Should the buffers be dropped without a release, a cleanup
// unmaps what is left once the Arena is unreachable. An Arena is safe
// for concurrent use.
type Arena struct {
	fallback memory.Allocator

	mu     sync.Mutex
	r      *region // the mapping; its mem is nil once unmapped
	base   uintptr
	size   int // the mapping's length before Seal trimmed it
	off    int
	live   int // pieces handed out and not freed
	sealed bool
}

// region is apart from the Arena so that a cleanup can unmap what is
// left of it once the Arena is unreachable: buffers dropped without a
// Release, which on the heap the collector would have reclaimed.
type region struct {
	mem       []byte
	cleanedUp atomic.Bool // the cleanup ran (tests wait for it)
}

var _ memory.Allocator = (*Arena)(nil)

// NewArena maps size bytes (rounded up to whole OS pages).
func NewArena(size int, fallback memory.Allocator) *Arena {
	a := &Arena{fallback: fallback, r: &region{}}
	if size > 0 {
		size = (size + osPage - 1) &^ (osPage - 1)
		if mem := Map(size); mem != nil {
			a.r.mem, a.size = mem, size
			a.base = uintptr(unsafe.Pointer(unsafe.SliceData(mem)))
			runtime.AddCleanup(a, func(r *region) {
				if len(r.mem) > 0 {
					_ = Unmap(r.mem)
				}
				r.cleanedUp.Store(true)
			}, a.r)
		}
	}
	return a
}

// Allocate returns size zeroed bytes, 64-byte aligned.
func (a *Arena) Allocate(size int) []byte {
	if size <= 0 {
		return []byte{}
	}
	a.mu.Lock()
	start := (a.off + arenaAlign - 1) &^ (arenaAlign - 1)
	if !a.sealed && start+size <= len(a.r.mem) {
		a.off = start + size
		a.live++
		b := a.r.mem[start : start+size : start+size]
		a.mu.Unlock()
		return b
	}
	a.mu.Unlock()
	return a.fallback.Allocate(size)
}

// Reallocate moves b to a new piece of size bytes.
func (a *Arena) Reallocate(size int, b []byte) []byte {
	nb := a.Allocate(size)
	copy(nb, b)
	a.Free(b)
	return nb
}

// Free forgets a piece, or hands b to the fallback when it is not one.
func (a *Arena) Free(b []byte) {
	if cap(b) == 0 {
		return
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	a.mu.Lock()
	if p < a.base || p >= a.base+uintptr(a.size) {
		a.mu.Unlock()
		a.fallback.Free(b)
		return
	}
	a.live--
	a.unmapIfDone()
	a.mu.Unlock()
}

// Seal ends allocation: the arena gives back the pages past its last
// piece, and the rest once every piece is freed.
func (a *Arena) Seal() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sealed || a.r.mem == nil {
		a.sealed = true
		return
	}
	a.sealed = true
	if used := (a.off + osPage - 1) &^ (osPage - 1); used < len(a.r.mem) {
		_ = Unmap(a.r.mem[used:])
		a.r.mem = a.r.mem[:used]
	}
	a.unmapIfDone()
}

// Used is the number of bytes handed out from the mapping, alignment
// included.
func (a *Arena) Used() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.off
}

// Mapped is the number of bytes the arena holds from the OS.
func (a *Arena) Mapped() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.r.mem)
}

func (a *Arena) unmapIfDone() {
	if !a.sealed || a.live > 0 || a.r.mem == nil {
		return
	}
	if len(a.r.mem) > 0 {
		_ = Unmap(a.r.mem)
	}
	a.r.mem = nil
}
