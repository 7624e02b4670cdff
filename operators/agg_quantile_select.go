package operators

import "github.com/minisql/minisql/paged"

// The selection kernel under the quantile aggregates: nth_element over a
// range of a paged vector. A quantile needs one or two order statistics of
// its group, and quickselect finds one in O(n) expected time where a sort
// takes O(n log n). Values stay in their pages (no copy of a 6M-value
// group into one large slice, which the runtime would zero in a single
// unchecked call), and every partition pass spends budget per
// selectChunk elements, so a cancel lands within one chunk even while a
// single huge group is being partitioned.

// selectChunk is the elements partitioned between two spends.
const selectChunk = 4096

// smallSelect is the range length below which insertion sort finishes.
const smallSelect = 16

// selectKth reorders v[lo:hi) so that v[k] holds the element a sort would
// put there, with no greater element before it and no smaller one after.
// cmp orders the elements (negative, zero, positive).
func selectKth[T any](b paged.Budget, v *paged.Vec[T], lo, hi, k int, cmp func(x, y T) int) error {
	w := v.View()
	rng := uint64(hi-lo)*0x9E3779B97F4A7C15 | 1 // pivots: deterministic, not exploitable by sorted input
	for hi-lo > smallSelect {
		p := pivotOf(w, lo, hi, &rng, cmp)
		// Three-way partition: [lo,lt) < p, [lt,i) == p, (gt,hi) > p.
		// Runs of equal values (many duplicates) then end the search at
		// once instead of degrading to quadratic time.
		lt, i, gt := lo, lo, hi-1
		steps := 0
		for i <= gt {
			x := w.At(i)
			switch c := cmp(*x, p); {
			case c < 0:
				y := w.At(lt)
				*x, *y = *y, *x
				lt++
				i++
			case c > 0:
				y := w.At(gt)
				*x, *y = *y, *x
				gt--
			default:
				i++
			}
			if steps++; steps == selectChunk {
				if err := b.Spend(steps); err != nil {
					return err
				}
				steps = 0
			}
		}
		if err := b.Spend(steps); err != nil {
			return err
		}
		switch {
		case k < lt:
			hi = lt
		case k > gt:
			lo = gt + 1
		default:
			return nil
		}
	}
	insertionSort(w, lo, hi, cmp)
	return b.Spend(hi - lo)
}

// pivotOf returns the median of three pseudo-randomly placed elements of
// [lo, hi).
func pivotOf[T any](w paged.View[T], lo, hi int, rng *uint64, cmp func(x, y T) int) T {
	n := uint64(hi - lo)
	pick := func() T {
		*rng ^= *rng << 13
		*rng ^= *rng >> 7
		*rng ^= *rng << 17
		return *w.At(lo + int(*rng%n))
	}
	a, b, c := pick(), pick(), pick()
	if cmp(a, b) > 0 {
		a, b = b, a
	}
	if cmp(b, c) > 0 {
		b = c
		if cmp(a, b) > 0 {
			b = a
		}
	}
	return b
}

func insertionSort[T any](w paged.View[T], lo, hi int, cmp func(x, y T) int) {
	for i := lo + 1; i < hi; i++ {
		for j := i; j > lo; j-- {
			x, y := w.At(j-1), w.At(j)
			if cmp(*x, *y) <= 0 {
				break
			}
			*x, *y = *y, *x
		}
	}
}

// extremeOf returns the smallest (largest when largest) element of
// v[lo:hi), which must not be empty: after selectKth, the neighbour of
// v[k] that a continuous quantile interpolates with is the least element
// after k or the greatest before it.
func extremeOf[T any](b paged.Budget, v *paged.Vec[T], lo, hi int, largest bool, cmp func(x, y T) int) (T, error) {
	best := v.Get(lo)
	w := v.View()
	for start := lo + 1; start < hi; start += selectChunk {
		for i := start; i < min(hi, start+selectChunk); i++ {
			x := *w.At(i)
			if c := cmp(x, best); (c < 0 && !largest) || (c > 0 && largest) {
				best = x
			}
		}
		if err := b.Spend(min(hi-start, selectChunk)); err != nil {
			return best, err
		}
	}
	return best, nil
}
