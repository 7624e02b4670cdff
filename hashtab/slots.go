package hashtab

import (
	"github.com/minisql/minisql/osmem"
	"unsafe"

	"github.com/minisql/minisql/paged"
)

// mappedMin is the slot-array size, in bytes, from which the array is
// mapped from the OS instead of made on the Go heap. The runtime zeroes a
// heap allocation in one call and makes a large one help the garbage
// collector: a 64 MB slot array took up to 5 ms without a check of the
// context (TPC-H q09's join build). Mapped memory is zero already, and
// Prefault faults it in with checks between. Paging the slots instead
// cost probes a dependent load each, 8-12% on TPC-H's large joins.
const mappedMin = 1 << 20

// slotMemory is the memory of one slot array and its tags: on the heap,
// or mapped (m not nil) and unmapped by free or, failing that, once
// nothing references m.
type slotMemory struct {
	slots []slot
	tags  []uint8
	m     *mapping
}

// newSlotMemory returns n empty slots, faulted in (paged.Prefault)
// before groups are placed at random into them.
func newSlotMemory(b Budget, n int) (slotMemory, error) {
	var s slotMemory
	if bytes := n * (slotSize + 1); bytes >= mappedMin {
		var err error
		if s.m, err = takeMapping(b, bytes); err != nil {
			return slotMemory{}, err
		}
	}
	if s.m != nil {
		s.slots, s.tags = s.m.slots(n)
		return s, nil
	}
	s.slots, s.tags = make([]slot, n), make([]uint8, n)
	if err := paged.Prefault(b, s.slots); err != nil {
		_ = s.free(nil)
		return slotMemory{}, err
	}
	if err := paged.Prefault(b, s.tags); err != nil {
		_ = s.free(nil)
		return slotMemory{}, err
	}
	return s, nil
}

// free gives mapped memory back now, to the engine's pool or the OS,
// spending b (which may be nil); heap
// memory is left to the collector. The slots must not be used after.
func (s *slotMemory) free(b Budget) error {
	var err error
	if s.m != nil {
		err = s.m.release(b)
	}
	*s = slotMemory{}
	return err
}

// slotSize is the size of a slot in bytes.
const slotSize = int(unsafe.Sizeof(slot{}))

// poolOf is the engine's pool of mappings when b, the budget, is a query's
// task that has one (operators.Task.Mappings), and nil otherwise.
func poolOf(b Budget) *osmem.Pool {
	if mp, ok := b.(interface{ Mappings() *osmem.Pool }); ok {
		return mp.Mappings()
	}
	return nil
}
