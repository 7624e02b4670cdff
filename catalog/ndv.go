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

// CountDistinct counts the distinct values among arrays (NULL counts as a
// value), looking at no more than limit rows.
func CountDistinct(arrs []arrow.Array, limit int) (distinct, seen int64) {
	if len(arrs) == 0 {
		return 0, 0
	}
	t := hashtab.New([]types.T{types.MustFromArrow(arrs[0].DataType())})
	var gids []int32
	for _, a := range arrs {
		if seen >= int64(limit) {
			break
		}
		n := min(a.Len(), limit-int(seen))
		s := sliceArray(a, n)
		if cap(gids) < n {
			gids = make([]int32, n)
		}
		_, _ = t.FindOrInsert(noBudget{}, []arrow.Array{s}, gids[:n])
		s.Release()
		seen += int64(n)
	}
	return int64(t.Len()), seen
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
	d, s := CountDistinct(arrs, ndvSampleRows)
	v := ExtrapolateNDV(d, s, m.rows)
	if m.ndv == nil {
		m.ndv = map[int]int64{}
	}
	m.ndv[col] = v
	return v
}
