package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/hashtab"
)

// A row whose work is a random access into state larger than the cache (a
// lookup in a hash table of millions, a step along a join's chain, a
// gather from a join's build side) costs a cache miss and, on the
// paravirtualised VMs, a TLB miss: 100-300 ns, several times that while
// the other core streams memory. Such rows spend missUnits each and are
// done missChunk at a time, so that a check falls between any two chunks.
// At one unit a row, 4096 of them went by between two checks: 1-2.5 ms in
// the probes of TPC-H q09 and q21 and in q09's build-side gathers.
const (
	missUnits = 8
	missChunk = DefaultQuantum / missUnits
)

// findChunked looks the rows of cols up in table, missChunk rows at a
// time with a spend between, writing each row's group (or -1) to gids.
func findChunked(t *Task, table *hashtab.Table, p *hashtab.Probe, cols []arrow.Array, gids []int32) error {
	n := len(gids)
	if n <= missChunk {
		table.Find(p, cols, gids)
		return t.Spend(n * missUnits)
	}
	part := make([]arrow.Array, len(cols))
	for lo := 0; lo < n; lo += missChunk {
		hi := min(n, lo+missChunk)
		for i, c := range cols {
			part[i] = sliceArray(c, lo, hi)
		}
		table.Find(p, part, gids[lo:hi])
		for _, c := range part {
			c.Release()
		}
		if err := t.Spend((hi - lo) * missUnits); err != nil {
			return err
		}
	}
	return nil
}
