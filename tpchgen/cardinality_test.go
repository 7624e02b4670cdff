package tpchgen

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRowCounts(t *testing.T) {
	for _, tc := range []struct {
		sf   float64
		want map[string]int64 // all but lineitem
	}{
		{0.01, map[string]int64{"region": 5, "nation": 25, "supplier": 100, "customer": 1500, "part": 2000, "partsupp": 8000, "orders": 15000}},
		{0.1, map[string]int64{"region": 5, "nation": 25, "supplier": 1000, "customer": 15000, "part": 20000, "partsupp": 80000, "orders": 150000}},
	} {
		for _, name := range Tables() {
			n, err := RowCount(name, tc.sf)
			require.NoError(t, err)
			if name != "lineitem" {
				assert.Equal(t, tc.want[name], n, "%s at SF %v", name, tc.sf)
				continue
			}
			// 1 to 7 lines per order, 4 on average.
			orders := tc.want["orders"]
			assert.InDelta(t, 4*orders, n, 0.01*4*float64(orders), "lineitem at SF %v", tc.sf)
		}
	}
}

// TestGeneratedRowCounts checks that what the generators produce is what
// RowCount promises, exactly, including lineitem; and that every batch
// respects the batch size.
func TestGeneratedRowCounts(t *testing.T) {
	for _, sf := range []float64{0.01, 0.1} {
		for _, name := range Tables() {
			if sf == 0.1 && (name == "customer" || name == "part" || name == "supplier") {
				continue // nothing these tables add at SF 0.1; keep the test quick
			}
			want, err := RowCount(name, sf)
			require.NoError(t, err)
			td := collect(t, name, Options{SF: sf, BatchSize: 5000}, 0, 1)
			assert.Equal(t, int(want), td.rows, "%s at SF %v", name, sf)
			assert.Equal(t, (td.rows+4999)/5000, td.batches, "%s batches", name)
		}
	}
}

func TestRowCountIndependentOfSeed(t *testing.T) {
	want, err := RowCount("lineitem", 0.01)
	require.NoError(t, err)
	td := collect(t, "lineitem", Options{SF: 0.01, Seed: 12345}, 0, 1)
	assert.Equal(t, int(want), td.rows)
}

func TestScaledCardinalities(t *testing.T) {
	for _, tc := range []struct {
		sf        float64
		suppliers int64
		orders    int64
		clerks    int64
	}{
		{0.07, 700, 105_000, 1000},
		{0.0001, 1, 150, 1000},
		{3, 30_000, 4_500_000, 3000},
	} {
		s, err := newScale(tc.sf)
		require.NoError(t, err)
		assert.Equal(t, tc.suppliers, s.suppliers, "SF %v", tc.sf)
		assert.Equal(t, tc.orders, s.orders, "SF %v", tc.sf)
		assert.Equal(t, tc.clerks, s.clerks, "SF %v", tc.sf)
	}
}

func TestPartRange(t *testing.T) {
	for _, n := range []int64{0, 1, 5, 25, 15000, 1<<40 + 7} {
		for parts := 1; parts <= 7; parts++ {
			prev := int64(0)
			for p := range parts {
				lo, hi := partRange(n, p, parts)
				require.Equal(t, prev, lo)
				require.LessOrEqual(t, lo, hi)
				prev = hi
			}
			require.Equal(t, n, prev)
		}
	}
}
