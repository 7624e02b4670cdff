package parquetsrc

import "github.com/apache/arrow/go/v17/arrow/memory"

// UninitAllocator is an allocator that can also hand out memory without
// zeroing it, such as a pool of released buffers. Arrow's Allocate must
// return zeroed memory, but the page decoder writes every byte of its
// values, offsets and validity buffers, so when the caller's allocator
// implements this interface those buffers skip the zeroing: at TPC-H SF1
// clearing reused buffers was ~4% of the CPU of the 22 queries.
// AllocateUninit has Allocate's contract otherwise (alignment, accounting,
// Free).
type UninitAllocator interface {
	memory.Allocator
	AllocateUninit(size int) []byte
}

// allocOut returns a buffer of n bytes the caller overwrites entirely,
// uninitialised when mem allows it.
func allocOut(mem memory.Allocator, n int) *memory.Buffer {
	u, ok := mem.(UninitAllocator)
	if !ok {
		return allocBuf(mem, n)
	}
	// Like Buffer.Resize: the allocation is rounded to 64 bytes, and Free
	// gets it whole.
	b := memory.NewBufferWithAllocator(u.AllocateUninit((n+63)&^63), mem)
	b.ResizeNoShrink(n)
	return b
}
