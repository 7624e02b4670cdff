package paged

import (
	"reflect"
	"sync"
	"unsafe"
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

// PageSource lends full pages. A Budget that is also a PageSource (a
// query's task) gives Reserve its full pages of pointer-free elements;
// TakePage returns nil when it has none to lend, and whether the page it
// returns is known to be zero: a reused one is not, and the taker clears
// it between checks (clearChecked).
type PageSource interface {
	TakePage() (page []uint64, zero bool)
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
	pool    *Pool
	taken   [][]uint64
	dropped int64 // bytes Release left to the collector, the pool being full
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

// TakePage returns a page, a free one of the pool's when it has one (its
// contents then undefined), else a new one (zero), and records it.
func (l *Lease) TakePage() (page []uint64, zero bool) {
	p := l.pool
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
		page, zero = make([]uint64, pageWords), true
	}
	l.taken = append(l.taken, page)
	return page, zero
}

// Bytes is the memory of the pages the lease holds.
func (l *Lease) Bytes() int64 { return int64(len(l.taken)) * PageBytes }

// Dropped is the memory of the pages Release left to the garbage
// collector so far, because the pool was full.
func (l *Lease) Dropped() int64 { return l.dropped }

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
	l.dropped += int64(len(l.taken)-len(kept)) * PageBytes
	clear(l.taken)
	l.taken = l.taken[:0]
}

// leaseFrom is the smallest first page (in bytes) taken from a page source
// rather than made: a first page grows by doubling, and each size made
// afresh was zeroed by the runtime in one call, faulting in up to half a
// megabyte between two checks when the heap had given that memory back.
// A leased page holds every later size in place.
const leaseFrom = 64 << 10

// leasedPage is a page of size elements of T from b's page source, or nil
// when b lends none, T may hold pointers (the collector must not see a
// page typed once as words and once as pointers), or size is a first
// page under leaseFrom. Its capacity is a full page, so that a first page
// grows in it without a copy, and all of it is zero. cleared reports that
// it was a reused page, cleared (and so faulted in) here.
func leasedPage[T any](b Budget, size, full int) (page []T, cleared bool, err error) {
	var zero T
	elem := int(unsafe.Sizeof(zero))
	if full*elem != PageBytes || size*elem < leaseFrom || !pointerFree[T]() {
		return nil, false, nil
	}
	src, ok := b.(PageSource)
	if !ok {
		return nil, false, nil
	}
	words, fresh := src.TakePage()
	if words == nil {
		return nil, false, nil
	}
	if !fresh {
		if err := clearChecked(b, words); err != nil {
			return nil, false, err
		}
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(words))), full)[:size], !fresh, nil
}

// LeaseBytes is an empty byte slice of capacity size (at most PageBytes)
// on a full page from b's page source, all of it zero, or nil when b lends
// none (see leasedPage). It is for what fills a page in order, as the
// hash table's key arena does: made with make, a page the heap reused is
// zeroed by the runtime in one call, and when the heap had given that
// memory back to the OS, that call took 250 faults (3-4 ms) between two
// checks. A reused page is cleared here with checks; a new one faults in
// as it fills, between the filler's checks.
func LeaseBytes(b Budget, size int) ([]byte, error) {
	if size > PageBytes {
		return nil, nil
	}
	words, _, err := leasedPage[uint64](b, pageWords, pageWords)
	if err != nil || words == nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), PageBytes)[:0:size], nil
}

// clearChecked zeroes a reused page an OS page at a time, spending budget
// as Prefault does. In one call it would fault in, between two checks,
// every part of the page its last user never reached (up to 256 faults,
// 3 ms on the paravirtualised VMs); resident, it costs 30-50 µs a page.
func clearChecked(b Budget, words []uint64) error {
	const step = osPage / 8
	for off := 0; off < len(words); off += step {
		clear(words[off:min(off+step, len(words))])
		if err := b.Spend(faultUnits); err != nil {
			return err
		}
	}
	return nil
}

// pointerFree reports whether T holds no pointers: the plain values and
// structs of them that aggregate and hash-table state is made of.
func pointerFree[T any]() bool { return !hasPointers(reflect.TypeFor[T]()) }

func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}
