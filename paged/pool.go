package paged

import (
	"sync"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// A parallel GROUP BY builds its state twice: each worker's partial
// aggregate, then, once every partial is closed, the final aggregates that
// merge them. The partials' pages are garbage by then, and unless the
// collector runs before the finals grow, the process holds both: a
// blocking runtime.GC at that point kept q18's peak RSS within reach of
// DuckDB's, but took 3-8 ms during which a cancel waited. A Pool lets the
// finals reuse the partials' full pages instead, faulted in and with
// nothing for the collector to do.
//
// A Lease records the pages one phase took, so that they go back to the
// pool together once the operators that used them are closed; the pages
// themselves stay ordinary Go memory, so a pool the query drops is simply
// collected.
//
// The engine keeps one bounded Pool for all its queries (NewPool), for
// the same reason across queries: a page made fresh is a megabyte the
// runtime zeroes inside make, and when the heap had given those pages
// back to the OS (as it does between queries) the zeroing faults all 256
// of them in one call, 3-4 ms on the paravirtualised VMs with nothing
// watching the context. A kept page is resident and costs a clear.

// PageSource lends full pages. A Budget that is also a PageSource (the
// task of a phase whose state is leased) gives Reserve its full pages of
// pointer-free elements; TakePage returns nil when it has none to lend.
type PageSource interface {
	TakePage() []uint64
}

// pageWords is a full page's length in uint64s.
const pageWords = PageBytes / 8

// Pool holds free pages of PageBytes. The zero value keeps every page
// given back to it. It is safe for concurrent use.
type Pool struct {
	mu          sync.Mutex
	free        [][]uint64
	keep        int // most free pages held; 0: no bound
	taken, made int // pages handed out, and those made for it
}

// NewPool returns a pool that holds at most keep free pages; pages given
// back beyond that are left to the garbage collector.
func NewPool(keep int) *Pool { return &Pool{keep: max(keep, 1)} }

// Lease takes pages from the pool for one owner (one phase of one worker)
// and returns them all at once. It is not safe for concurrent use.
type Lease struct {
	pool  *Pool
	taken [][]uint64
}

// Lease starts a lease on p.
func (p *Pool) Lease() *Lease { return &Lease{pool: p} }

// Stats returns the pages handed out so far, how many of them were made
// rather than reused, and how many the pool holds now.
func (p *Pool) Stats() (taken, made, free int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.taken, p.made, len(p.free)
}

// TakePage returns a zeroed page, a free one of the pool's when it has
// one, and records it.
func (l *Lease) TakePage() []uint64 {
	p := l.pool
	var page []uint64
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		page, p.free[n-1] = p.free[n-1], nil
		p.free = p.free[:n-1]
	} else {
		p.made++
	}
	p.taken++
	p.mu.Unlock()
	if page == nil {
		page = make([]uint64, pageWords)
	} else {
		clear(page) // 1 MiB: tens of µs, resident already
	}
	l.taken = append(l.taken, page)
	return page
}

// Bytes is the memory of the pages the lease holds.
func (l *Lease) Bytes() int64 { return int64(len(l.taken)) * PageBytes }

// Release gives every page taken so far back to the pool. Whatever used
// them must be done with them: the next TakePage may hand them out.
func (l *Lease) Release() {
	if len(l.taken) == 0 {
		return
	}
	p := l.pool
	p.mu.Lock()
	kept := l.taken
	if p.keep > 0 {
		kept = kept[:min(len(kept), max(0, p.keep-len(p.free)))]
	}
	p.free = append(p.free, kept...)
	p.mu.Unlock()
	clear(l.taken)
	l.taken = l.taken[:0]
}

// leasedPage is a page of size elements of T from b's page source, or nil
// when it is not a full page, b lends none or T may hold pointers (the
// collector must not see a page typed once as words and once as pointers).
func leasedPage[T any](b Budget, size, full int) []T {
	var zero T
	if size != full || full*int(unsafe.Sizeof(zero)) != PageBytes || !pointerFree[T]() {
		return nil
	}
	src, ok := b.(PageSource)
	if !ok {
		return nil
	}
	words := src.TakePage()
	if words == nil {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(words))), full)
}

// pointerFree reports whether T is one of the plain value types that
// aggregate and hash-table state is made of.
func pointerFree[T any]() bool {
	var zero T
	switch any(zero).(type) {
	case int64, int32, int16, int8, uint64, uint32, uint16, uint8, float64, float32, bool, decimal128.Num:
		return true
	}
	return false
}
