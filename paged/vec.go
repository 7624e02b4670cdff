// Package paged holds state that grows with a query's input (per-group
// aggregate state, hash-table keys, join chains) in pages of bounded size
// instead of one array.
//
// Why: growing one array means allocating a larger one, and the Go runtime
// zeroes a large allocation in a single call, tens of milliseconds for a
// few hundred megabytes, during which the query cannot look at its
// context; such an allocation also often starts a garbage collection.
// Here no allocation exceeds PageBytes (1 MiB: about 0.1 ms to zero),
// growth past the first page never copies, and the budget is spent
// between pages.
//
// The first page starts small and doubles until it is a full page, so a
// vector of a few elements costs a few elements. Hot loops test once per
// batch for a single page and then index it like a slice (One); vectors
// of several pages pay a dependent load per access (View). The page size
// trades the two. At 16 MiB a 6M-group aggregate still took up to 13 ms
// to cancel; at 8 MiB, making a page took 0.7 ms at the median and up to
// 7 ms when the allocation had to help the garbage collector, and such
// stretches were the longest of TPC-H q10 and q18 between two checks. At
// 1 MiB a probe of a 4 MB direct array is 45% slower
// (BenchmarkFind/int64), but TPC-H's largest joins and aggregates got
// faster (q10, q18 and q21 by 6-12%): fewer large allocations, less
// collector work.
package paged

import (
	"math/bits"
	"unsafe"
)

// Budget is the cooperative budget of the task that grows the vector.
type Budget interface {
	Spend(units int) error
}

// PageBytes bounds the size of a page.
const PageBytes = 1 << 20

// firstLen is the length of a new vector's first page, at least.
const firstLen = 64

// Vec is a vector of T in pages. The zero value is empty and ready.
type Vec[T any] struct {
	// Pages holds the elements: element i is Pages[i>>Shift][i&Mask], and
	// with a single page, Pages[0][i]. Every page but a lone first one
	// has 1<<Shift elements.
	Pages [][]T
	// Shift is log2 of a full page's length.
	Shift uint
	n     int
}

// pageShift is log2 of the elements of T that fit in PageBytes.
func pageShift[T any]() uint {
	var zero T
	size := max(int(unsafe.Sizeof(zero)), 1)
	return uint(bits.Len(uint(PageBytes/size)) - 1)
}

// Mask gives an element's index within its page.
func (v *Vec[T]) Mask() int { return 1<<v.Shift - 1 }

// Len is the number of elements.
func (v *Vec[T]) Len() int { return v.n }

// Cap is the number of elements the allocated pages hold.
func (v *Vec[T]) Cap() int {
	if len(v.Pages) <= 1 {
		if len(v.Pages) == 0 {
			return 0
		}
		return len(v.Pages[0])
	}
	return len(v.Pages) << v.Shift
}

// At returns a pointer to element i.
func (v *Vec[T]) At(i int) *T { return &v.Pages[i>>v.Shift][i&v.Mask()] }

// Get returns element i.
func (v *Vec[T]) Get(i int) T { return v.Pages[i>>v.Shift][i&v.Mask()] }

// Set sets element i.
func (v *Vec[T]) Set(i int, x T) { v.Pages[i>>v.Shift][i&v.Mask()] = x }

// Resize sets the length to n. New elements are zero; shrinking keeps the
// pages (their elements past n are cleared, so growing again sees zeros).
// It spends budget for every page it allocates or moves.
func (v *Vec[T]) Resize(b Budget, n int) error {
	if n < v.n {
		v.clearFrom(n)
		v.n = n
		return nil
	}
	if err := v.Reserve(b, n-v.n); err != nil {
		return err
	}
	v.n = n
	return nil
}

// Reserve makes room for extra more elements, so that that many Appends
// allocate nothing. It faults in (see Prefault) the part of every page it
// allocates that the reservation covers, spending budget.
func (v *Vec[T]) Reserve(b Budget, extra int) error {
	need := v.n + extra
	if v.Shift == 0 {
		v.Shift = pageShift[T]()
	}
	full := 1 << v.Shift
	for v.Cap() < need {
		size := full
		grow := len(v.Pages) == 1 && len(v.Pages[0]) < full
		switch {
		case len(v.Pages) == 0:
			size = min(full, max(firstLen, ceilPow2(need)))
		case grow:
			// The first page doubles (at least) up to a full page.
			size = min(full, max(2*len(v.Pages[0]), ceilPow2(need)))
		}
		if grow && cap(v.Pages[0]) >= size {
			// A leased first page: the larger size is already there, and
			// zero (nothing writes past a page's length).
			old := len(v.Pages[0])
			v.Pages[0] = v.Pages[0][:size]
			if err := Prefault(b, v.Pages[0][old:min(size, need)]); err != nil {
				return err
			}
			continue
		}
		page, cleared, err := leasedPage[T](b, size, full)
		if err != nil {
			return err
		}
		if page == nil {
			page = make([]T, size)
		}
		// Fault in the part that is needed now, before anything is in
		// it; the rest fills in order, between checks, as the vector
		// grows (a whole page would cost resident memory never used). A
		// reused page was cleared, so touched, already.
		start := v.Cap()
		if grow {
			start = 0
		}
		if !cleared {
			if err := Prefault(b, page[:min(size, need-start)]); err != nil {
				return err
			}
		}
		if grow {
			copy(page, v.Pages[0])
			v.Pages[0] = page
		} else {
			v.Pages = append(v.Pages, page)
		}
	}
	return nil
}

// ceilPow2 is the least power of two >= n (n >= 1).
func ceilPow2(n int) int { return 1 << bits.Len(uint(n-1)) }

// clearFrom zeroes elements [n, Len()).
func (v *Vec[T]) clearFrom(n int) {
	v.Chunks(n, v.n, func(_ int, s []T) { clear(s) })
}

// Append adds x at the end, allocating when the pages are full.
func (v *Vec[T]) Append(x T) {
	if len(v.Pages) == 1 && v.n < len(v.Pages[0]) { // the usual case
		v.Pages[0][v.n] = x
		v.n++
		return
	}
	if v.n == v.Cap() {
		_ = v.Reserve(nil, 1) // no budget: cannot fail
	}
	v.Set(v.n, x)
	v.n++
}

// Chunks calls fn on consecutive pieces of [from, to) that each lie in
// one page, with the index of the piece's first element.
func (v *Vec[T]) Chunks(from, to int, fn func(start int, s []T)) {
	if len(v.Pages) == 1 {
		if from < to {
			fn(from, v.Pages[0][from:to])
		}
		return
	}
	for i := from; i < to; {
		end := min(to, (i>>v.Shift+1)<<v.Shift)
		lo := i & v.Mask()
		fn(i, v.Pages[i>>v.Shift][lo:lo+end-i])
		i = end
	}
}

// CopyIn copies src into the vector from element at on, page by page.
func (v *Vec[T]) CopyIn(at int, src []T) {
	v.Chunks(at, at+len(src), func(start int, s []T) { copy(s, src[start-at:]) })
}

// Bytes is the memory the pages hold.
func (v *Vec[T]) Bytes() int64 {
	var zero T
	return int64(v.Cap()) * int64(unsafe.Sizeof(zero))
}

// One returns the only page when there is one (nil otherwise), for hot
// loops to index like a slice.
func (v *Vec[T]) One() []T {
	if len(v.Pages) == 1 {
		return v.Pages[0]
	}
	return nil
}

// View is a vector's pages as a hot loop reads them: a value the compiler
// keeps in registers, with the common case of one page indexed like a
// slice behind a branch that always goes the same way.
type View[T any] struct {
	one   []T // the only page, or nil
	pages [][]T
	shift uint
	mask  int
}

// View returns the vector's pages for a loop that does not grow it.
func (v *Vec[T]) View() View[T] {
	w := View[T]{pages: v.Pages, shift: v.Shift, mask: v.Mask()}
	if len(v.Pages) == 1 {
		w.one = v.Pages[0]
	}
	return w
}

// At returns a pointer to element i.
func (w View[T]) At(i int) *T {
	if w.one != nil {
		return &w.one[i]
	}
	return &w.pages[i>>w.shift][i&w.mask]
}
