package operators

import "github.com/minisql/minisql/paged"

// reserve returns s with room for n values, keeping its contents. A
// slice that appends grow to a batch's size is reallocated a dozen times
// into fresh heap pages, all between two checks: a join's two pair index
// slices took 70 faults, 1 ms on the paravirtualised VMs, in the first
// batch of q11's and q15's joins. Made at full size once and touched a
// page at a time with spends (paged.Prefault), the same pages fault in
// between checks, and the next batches reuse them.
func reserve(t *Task, s []int32, n int) ([]int32, error) {
	if cap(s) >= n {
		return s, nil
	}
	buf := make([]int32, n)
	if err := paged.Prefault(t, buf); err != nil {
		return s, err
	}
	return buf[:copy(buf, s)], nil
}
