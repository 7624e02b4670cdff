package ipcsrc

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// batchAlloc is the allocator the IPC library reads through. It protects
// the process from corrupt files in two ways:
//
//   - it refuses (by panicking, which the Reader recovers) sizes no valid
//     file can ask for: the library allocates lengths read from the file
//     before checking them, and the runtime's out-of-memory failure for a
//     huge request cannot be recovered;
//   - while tracking, it remembers the live allocations of one library
//     call, so that when the call panics half way (leaving buffers nobody
//     will release) they are freed and the caller's allocator returns to
//     zero.
//
// It is used by one goroutine at a time, like the Reader that owns it.
type batchAlloc struct {
	mem      memory.Allocator
	limit    int
	tracking bool
	live     map[*byte][]byte
}

// newBatchAlloc limits single allocations to what a file of fileSize bytes
// can plausibly need: its size, or (for compressed buffers) a large
// multiple of it with a floor of 1 GiB.
func newBatchAlloc(mem memory.Allocator, fileSize int64) *batchAlloc {
	limit := max(int64(1<<30), min(fileSize, 1<<56)*64)
	return &batchAlloc{mem: mem, limit: int(limit), live: map[*byte][]byte{}}
}

// errTooLarge is the panic value of a refused allocation.
type errTooLarge int

func (e errTooLarge) Error() string {
	return fmt.Sprintf("buffer of %d bytes is impossible in this file", int(e))
}

func (a *batchAlloc) Allocate(size int) []byte {
	if size < 0 || size > a.limit {
		panic(errTooLarge(size))
	}
	b := a.mem.Allocate(size)
	if a.tracking && len(b) > 0 {
		a.live[&b[0]] = b
	}
	return b
}

func (a *batchAlloc) Reallocate(size int, b []byte) []byte {
	if size < 0 || size > a.limit {
		panic(errTooLarge(size))
	}
	if a.tracking && len(b) > 0 {
		delete(a.live, &b[0])
	}
	nb := a.mem.Reallocate(size, b)
	if a.tracking && len(nb) > 0 {
		a.live[&nb[0]] = nb
	}
	return nb
}

func (a *batchAlloc) Free(b []byte) {
	if a.tracking && len(b) > 0 {
		delete(a.live, &b[0])
	}
	a.mem.Free(b)
}

// track starts remembering allocations.
func (a *batchAlloc) track() {
	clear(a.live)
	a.tracking = true
}

// keep stops tracking: the call succeeded and its buffers belong to its
// result.
func (a *batchAlloc) keep() {
	a.tracking = false
	clear(a.live)
}

// freeAll stops tracking and frees every allocation of the failed call
// that is still live.
func (a *batchAlloc) freeAll() {
	a.tracking = false
	for _, b := range a.live {
		a.mem.Free(b)
	}
	clear(a.live)
}
