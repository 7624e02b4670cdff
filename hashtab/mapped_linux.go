package hashtab

import (
	"runtime"
	"unsafe"

	"github.com/minisql/minisql/osmem"
	"github.com/minisql/minisql/paged"
	"golang.org/x/sys/unix"
)

// mapping is anonymous memory mapped from the OS, outside the Go heap.
// Slots hold no pointers, so the collector need not see them. A mapping
// is unmapped by unmap, or by a cleanup once it is unreachable; code that
// works on slices of it keeps its Table alive (runtime.KeepAlive) until
// it is done with them.
type mapping struct {
	mem  []byte
	left *region     // what is still mapped, for the cleanup
	pool *osmem.Pool // where the mapping goes back to, or nil
}

// region is the part of a mapping not unmapped yet. It is apart from the
// mapping so that the cleanup can hold it without holding the mapping.
type region struct{ mem []byte }

// mapZeroed maps n bytes of zeroed memory, or returns nil when the OS
// refuses (the caller then uses the heap).
func mapZeroed(n int) *mapping {
	mem := osmem.Map(n)
	if mem == nil {
		return nil
	}
	return newMapping(mem)
}

// newMapping wraps mem, a whole mapping from osmem.Map, with the cleanup
// that unmaps it should it become unreachable.
func newMapping(mem []byte) *mapping {
	m := &mapping{mem: mem, left: &region{mem: mem}}
	runtime.AddCleanup(m, func(r *region) {
		if len(r.mem) > 0 {
			_ = munmap(r.mem)
		}
	}, m.left)
	return m
}

// takeMapping returns n bytes of zeroed, faulted-in memory mapped from the
// OS: a mapping of the engine's pool (see poolOf), zeroed in pieces with
// b spent between them, or a fresh one, populated so. It returns nil when
// the OS refuses.
func takeMapping(b Budget, n int) (*mapping, error) {
	p := poolOf(b)
	if p != nil {
		if mem := p.Get(n); mem != nil {
			m := newMapping(mem)
			m.pool = p
			if err := m.zero(b); err != nil {
				_ = m.unmap(nil)
				return nil, err
			}
			return m, nil
		}
	}
	m := mapZeroed(n)
	if m == nil {
		return nil, nil
	}
	m.pool = p
	if err := m.populate(b); err != nil {
		_ = m.unmap(nil)
		return nil, err
	}
	return m, nil
}

// zero clears a mapping taken from the pool, zeroChunk bytes between two
// spends of b.
func (m *mapping) zero(b Budget) error {
	for off := 0; off < len(m.mem); off += zeroChunk {
		clear(m.mem[off:min(off+zeroChunk, len(m.mem))])
		if b != nil && off+zeroChunk < len(m.mem) {
			if err := b.Spend(zeroChunk / zeroPerUnit); err != nil {
				return err
			}
		}
	}
	return nil
}

// keep gives the whole mapping to the pool it came from, when it has
// room, and reports whether it did. The mapping must not be used after.
func (m *mapping) keep() bool {
	if m.pool == nil || len(m.mem) == 0 || len(m.left.mem) != len(m.mem) || !m.pool.Put(m.left.mem) {
		return false
	}
	m.mem, m.left.mem = nil, nil
	return true
}

// release gives the mapping to its pool (keep) or else unmaps it, with b
// spent as unmap spends it.
func (m *mapping) release(b Budget) error {
	if m.keep() {
		return nil
	}
	return m.unmap(b)
}

// slots carves n slots and then n tags out of the mapping (the OS maps
// whole pages, so the slots are aligned).
func (m *mapping) slots(n int) ([]slot, []uint8) {
	base := unsafe.Pointer(unsafe.SliceData(m.mem))
	return unsafe.Slice((*slot)(base), n), m.mem[n*slotSize : n*(slotSize+1)]
}

// populate faults the mapping in, populateChunk bytes per call with the
// budget spent between them as paged.Prefault spends it; one madvise
// call faults in a chunk faster than touching its pages one by one.
// Where the kernel does not know MADV_POPULATE_WRITE (before Linux
// 5.14), the pages are touched.
func (m *mapping) populate(b Budget) error {
	for off := 0; off < len(m.mem); off += populateChunk {
		chunk := m.mem[off:min(off+populateChunk, len(m.mem))]
		if err := unix.Madvise(chunk, unix.MADV_POPULATE_WRITE); err != nil {
			if err := paged.Prefault(b, chunk); err != nil {
				return err
			}
			continue
		}
		if b != nil {
			if err := b.Spend(len(chunk) / osPage * faultUnits); err != nil {
				return err
			}
		}
	}
	return nil
}

const (
	// zeroChunk is what zero clears between two spends, some 20 µs of
	// stores, and zeroPerUnit the bytes a budget unit stands for: a
	// chunk is a quantum (operators.DefaultQuantum), so every chunk ends
	// in a check.
	zeroChunk     = 256 << 10
	zeroPerUnit   = 64
	populateChunk = 16 << 10 // 4 pages: 60 µs of faults on a PVM VM, rarely 0.5 ms
	osPage        = 4096
	faultUnits    = 1024 // as paged.Prefault spends per page
)

// unmap gives the memory back, populateChunk bytes per call with the
// budget spent between them: unmapping tens of megabytes in one call took
// over a millisecond (q09's build). It stops at the budget's error; the
// cleanup then unmaps the rest once the mapping is unreachable.
func (m *mapping) unmap(b Budget) error {
	m.mem = nil // no slot of it is used any more
	for r := m.left; len(r.mem) > 0; {
		n := min(len(r.mem), populateChunk)
		if err := munmap(r.mem[:n]); err != nil {
			return nil // cannot happen for a mapping of ours; the cleanup retries
		}
		r.mem = r.mem[n:]
		if b != nil && len(r.mem) > 0 {
			if err := b.Spend(n / osPage * faultUnits); err != nil {
				return err
			}
		}
	}
	return nil
}

// munmap unmaps mem, which need not start where a mapping did (only on
// a page boundary).
func munmap(mem []byte) error { return osmem.Unmap(mem) }
