package operators

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
)

// TestPagedSortMatchesReference runs large-sort partitioning with tiny
// runs and pages, so that every input splits, buckets split again,
// buckets of equal keys exceed a run (in input order, or sorted again as
// ties when a string prefix leaves keys undecided), and pages are reused:
// the order must equal a stable sort of the whole input.
func TestPagedSortMatchesReference(t *testing.T) {
	gens := sortColGens()
	for _, sizes := range []pagedSizes{{runRows: 1, pageRecs: 1}, {runRows: 5, pageRecs: 3}, {runRows: 40, pageRecs: 16}, {runRows: 300, pageRecs: 64}} {
		r := rand.New(rand.NewPCG(uint64(sizes.runRows), 9))
		for trial := 0; trial < 40; trial++ {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			in := makeSortInput(mem, r, gens, 1+r.IntN(12), 1+r.IntN(200), 0.1*float64(r.IntN(3)))
			keys := randomKeys(r, len(gens))
			sort := NewSort(NewRecords(in.schema, in.recs, "in"), keys, 1+r.IntN(100))
			sort.sizes = sizes
			require.Equal(t, in.expectedIDs(keys, len(in.rows)), runIDs(t, mem, sort), "keys %v sizes %+v", keys, sizes)
			in.release()
			mem.AssertSize(t, 0)
		}
	}
}
