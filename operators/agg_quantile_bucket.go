package operators

import (
	"unsafe"

	"github.com/minisql/minisql/paged"
)

// bucket reorders vals in place so that each group's values are
// contiguous, in group order, and sets ends. It is a counting sort by
// group without a second copy of the values: count each group's values,
// turn the counts into bucket starts, then follow cycles, swapping every
// value straight into the next free slot of its bucket. Every value moves
// at most once into its final slot, so the pass is O(n), and it spends
// budget per chunk of values like any loop over the whole input.
func (a *quantileAcc[T]) bucket(t *Task) error {
	if !a.grouped {
		return nil
	}
	groups := a.groups
	// ends[g] counts group g, then becomes the start of bucket g+1.
	if err := a.ends.Resize(t, groups); err != nil {
		return err
	}
	var err error
	a.gids.Chunks(0, a.gids.Len(), func(_ int, s []int32) {
		if err != nil {
			return
		}
		ends := a.ends.View()
		for _, g := range s {
			*ends.At(int(g))++
		}
		err = t.Spend(len(s))
	})
	if err != nil {
		return err
	}
	// heads[g] is the next slot of bucket g to fill; it starts at the
	// bucket's start and ends at its end, which ends then holds.
	var heads paged.Vec[int64]
	if err := heads.Resize(t, groups); err != nil {
		return err
	}
	sum := int64(0)
	for g := 0; g < groups; g++ {
		c := a.ends.Get(g)
		heads.Set(g, sum)
		sum += c
		a.ends.Set(g, sum)
		if g%selectChunk == 0 {
			if err := t.Spend(selectChunk); err != nil {
				return err
			}
		}
	}
	vals, gids, hs := a.vals.View(), a.gids.View(), heads.View()
	steps := 0
	for g := 0; g < groups; g++ {
		end := a.ends.Get(g)
		for h := hs.At(g); *h < end; {
			i := int(*h)
			dst := *gids.At(i)
			if int(dst) == g {
				*h++
			} else {
				// Swap the value into its own bucket's next slot; what
				// comes back is examined next.
				d := hs.At(int(dst))
				j := int(*d)
				*d++
				vi, vj := vals.At(i), vals.At(j)
				*vi, *vj = *vj, *vi
				gi, gj := gids.At(i), gids.At(j)
				*gi, *gj = *gj, *gi
			}
			if steps++; steps == selectChunk {
				if err := t.Spend(steps); err != nil {
					return err
				}
				steps = 0
			}
		}
	}
	// The groups are no longer needed: give their pages back.
	a.gids = paged.Vec[int32]{}
	return t.Spend(steps)
}

// sizeOf is the size of a T.
func sizeOf[T any]() uintptr {
	var zero T
	return unsafe.Sizeof(zero)
}
