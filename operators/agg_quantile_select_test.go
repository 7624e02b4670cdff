package operators

import (
	"cmp"
	"errors"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/minisql/minisql/paged"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spendRecorder is a budget that records the largest spend and can fail
// after a number of spends.
type spendRecorder struct {
	calls, largest, failAt int
}

var errBudget = errors.New("budget: cancelled")

func (b *spendRecorder) Spend(n int) error {
	b.calls++
	b.largest = max(b.largest, n)
	if b.failAt > 0 && b.calls >= b.failAt {
		return errBudget
	}
	return nil
}

func vecOf[T any](t *testing.T, xs []T) *paged.Vec[T] {
	var v paged.Vec[T]
	require.NoError(t, v.Reserve(nil, len(xs)))
	for _, x := range xs {
		v.Append(x)
	}
	return &v
}

func sliceOf[T any](v *paged.Vec[T]) []T {
	out := make([]T, v.Len())
	copyOut(out, v, 0, v.Len())
	return out
}

// checkSelected asserts that v[k] is sorted[k] and that v is partitioned
// around it, within [lo, hi), and unchanged outside.
func checkSelected[T any](t *testing.T, before, after []T, lo, hi, k int, cmpf func(x, y T) int) {
	t.Helper()
	sorted := slices.Clone(before[lo:hi])
	slices.SortFunc(sorted, cmpf)
	require.Equal(t, 0, cmpf(sorted[k-lo], after[k]), "element %d", k)
	for i := lo; i < k; i++ {
		require.LessOrEqual(t, cmpf(after[i], after[k]), 0, "element %d before %d", i, k)
	}
	for i := k + 1; i < hi; i++ {
		require.GreaterOrEqual(t, cmpf(after[i], after[k]), 0, "element %d after %d", i, k)
	}
	got := slices.Clone(after[lo:hi])
	slices.SortFunc(got, cmpf)
	for i := range got {
		require.Equal(t, 0, cmpf(sorted[i], got[i]), "the range is a permutation")
	}
	assert.Equal(t, before[:lo], after[:lo])
	assert.Equal(t, before[hi:], after[hi:])
}

func TestSelectKthAgainstSort(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		distinct int64 // values drawn from [0, distinct): small means duplicates
	}{
		{"empty range tail", 1, 10},
		{"tiny", 7, 3},
		{"insertion sort only", smallSelect, 1000},
		{"all equal", 5000, 1},
		{"few distinct", 5000, 4},
		{"distinct", 5000, 1 << 40},
		{"several pages", 300_000, 1000}, // 131072 int64s a page
	}
	r := rand.New(rand.NewSource(1))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for rep := 0; rep < 5; rep++ {
				xs := make([]int64, tt.n)
				for i := range xs {
					xs[i] = r.Int63n(tt.distinct)
				}
				if rep == 1 {
					slices.Sort(xs) // sorted input must not go quadratic
				}
				lo, hi := 0, tt.n
				if tt.n > 10 {
					lo, hi = r.Intn(tt.n/4), tt.n-r.Intn(tt.n/4)
				}
				k := lo + r.Intn(hi-lo)
				v := vecOf(t, xs)
				b := &spendRecorder{}
				require.NoError(t, selectKth(b, v, lo, hi, k, cmp.Compare[int64]))
				checkSelected(t, xs, sliceOf(v), lo, hi, k, cmp.Compare[int64])
				assert.LessOrEqual(t, b.largest, selectChunk, "spends in bounded chunks")
			}
		})
	}
}

func TestSelectKthFloatsWithNaN(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1)}
	for rep := 0; rep < 50; rep++ {
		xs := make([]float64, 1+r.Intn(400))
		for i := range xs {
			if r.Intn(4) == 0 {
				xs[i] = specials[r.Intn(len(specials))]
			} else {
				xs[i] = float64(r.Intn(20)) / 4
			}
		}
		k := r.Intn(len(xs))
		v := vecOf(t, xs)
		require.NoError(t, selectKth(&spendRecorder{}, v, 0, len(xs), k, cmpFloat))
		checkSelected(t, xs, sliceOf(v), 0, len(xs), k, cmpFloat)
	}
}

func TestCmpFloatOrdersNaNLast(t *testing.T) {
	nan := math.NaN()
	assert.Equal(t, 1, cmpFloat(nan, math.Inf(1)))
	assert.Equal(t, -1, cmpFloat(math.Inf(1), nan))
	assert.Equal(t, 0, cmpFloat(nan, nan))
	assert.Equal(t, -1, cmpFloat(1, 2))
	assert.Equal(t, 0, cmpFloat(0, math.Copysign(0, -1)))
}

func TestSelectKthStopsOnTheBudget(t *testing.T) {
	xs := make([]int64, 1<<20)
	r := rand.New(rand.NewSource(3))
	for i := range xs {
		xs[i] = r.Int63()
	}
	v := vecOf(t, xs)
	b := &spendRecorder{failAt: 3}
	require.ErrorIs(t, selectKth(b, v, 0, len(xs), len(xs)/2, cmp.Compare[int64]), errBudget)
	assert.Equal(t, 3, b.calls, "stops at the failing spend, inside the first partition pass")
	b = &spendRecorder{failAt: 2}
	_, err := extremeOf(b, v, 0, len(xs), false, cmp.Compare[int64])
	require.ErrorIs(t, err, errBudget)
}

func TestExtremeOf(t *testing.T) {
	xs := []int64{5, 3, 9, 3, 7}
	v := vecOf(t, xs)
	lo, err := extremeOf(&spendRecorder{}, v, 1, 5, false, cmp.Compare[int64])
	require.NoError(t, err)
	hi, err := extremeOf(&spendRecorder{}, v, 0, 2, true, cmp.Compare[int64])
	require.NoError(t, err)
	assert.Equal(t, int64(3), lo)
	assert.Equal(t, int64(5), hi)
}
