package catalog

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/types"
)

// ndvSampleRows is how many rows a distinct-count sample looks at.
const ndvSampleRows = 100_000

// noBudget lets sampling run without a query's budget (it is bounded by
// ndvSampleRows).
type noBudget struct{}

func (noBudget) Spend(int) error { return nil }

// SampleColumn describes the values of arrays (NULL counts as a value),
// looking at no more than limit rows.
func SampleColumn(arrs []arrow.Array, limit int) Sample {
	if len(arrs) == 0 {
		return Sample{}
	}
	t := hashtab.New([]types.T{types.MustFromArrow(arrs[0].DataType())})
	var gids []int32
	var counts []int32
	s := Sample{Sorted: true}
	prev := int32(-1)
	for _, a := range arrs {
		if s.Rows >= int64(limit) {
			break
		}
		n := min(a.Len(), limit-int(s.Rows))
		sl := sliceArray(a, n)
		if cap(gids) < n {
			gids = make([]int32, n)
		}
		_, _ = t.FindOrInsert(noBudget{}, []arrow.Array{sl}, gids[:n])
		sl.Release()
		for _, g := range gids[:n] {
			for int(g) >= len(counts) {
				counts = append(counts, 0)
			}
			counts[g]++
			// Group numbers are first-seen order: in a sorted column a
			// value never comes back after a newer one appeared.
			if g < prev {
				s.Sorted = false
			}
			prev = max(prev, g)
		}
		s.Rows += int64(n)
	}
	s.Distinct = int64(t.Len())
	for _, c := range counts {
		if c == 1 {
			s.Singletons++
		}
	}
	return s
}

// NDV implements NDVEstimator from a sample of the table's first rows.
func (m *MemTable) NDV(col int) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.ndv[col]; ok {
		return v
	}
	var arrs []arrow.Array
	for _, b := range m.batches {
		arrs = append(arrs, b.Column(col))
	}
	v := ExtrapolateNDV(SampleColumn(arrs, ndvSampleRows), m.rows)
	if m.ndv == nil {
		m.ndv = map[int]int64{}
	}
	m.ndv[col] = v
	return v
}
