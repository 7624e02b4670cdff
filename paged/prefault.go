package paged

import "unsafe"

// osPage is the size of the pages the kernel maps memory in.
const osPage = 4096

// faultUnits is the budget one page fault spends: a task checks its
// context every 4 pages. A fault costs about 2 µs on most of the 2-core
// VMs this runs on, but 15 µs on average on the paravirtualised ones
// (PVM), and one fault in a hundred or so takes 60-200 µs: 16 pages
// between checks, as before, made stretches of 0.8-1.7 ms.
const faultUnits = 1024

// Prefault touches every OS page of s in order, spending budget as it
// goes. Memory fresh from the OS is mapped on first touch, and an
// operator that then writes it at random takes its faults in bursts: 4096
// random writes into a fresh 64 MB array took 8.7 ms here, all between
// two checks of the context, where a rehash or a join build spends
// budget. Touched in order with checks, the same faults cost the same
// time, but never more than a fraction of a millisecond unchecked.
// Memory the runtime reused (and zeroed) costs a cache miss a page. s must
// be freshly made: Prefault writes zeros.
func Prefault[T any](b Budget, s []T) error {
	if len(s) == 0 {
		return nil
	}
	n := len(s) * int(unsafe.Sizeof(s[0]))
	if n < 4*osPage {
		return nil // a few faults, not worth the pass
	}
	bytes := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), n)
	for off := 0; off < n; off += osPage {
		bytes[off] = 0 // the memory is zero: fresh, or zeroed by make
		if b != nil {
			if err := b.Spend(faultUnits); err != nil {
				return err
			}
		}
	}
	return nil
}
