package vector

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/require"
)

// plainGather is takeFixed's loop without the prefetch: what every
// gather must match.
func plainGather[T any](src []T, idx []int32) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		if j >= 0 {
			out[i] = src[j]
		}
	}
	return out
}

func checkGather[T any](t *testing.T, src []T, idx []int32) {
	t.Helper()
	got := make([]T, len(idx))
	for i := range got {
		got[i] = src[len(src)-1] // stale values the gather must overwrite
	}
	if !gatherPrefetch(got, src, idx) {
		t.Skip("no prefetching gather on this architecture")
	}
	require.Equal(t, plainGather(src, idx), got)
}

func TestGatherPrefetch(t *testing.T) {
	const n = 1000
	r := rand.New(rand.NewPCG(1, 2))
	i32 := make([]int32, n)
	i64 := make([]int64, n)
	dec := make([]decimal128.Num, n)
	for i := range n {
		i32[i] = int32(i*7 + 1)
		i64[i] = int64(i)<<40 | int64(i)
		dec[i] = decimal128.New(int64(-i), uint64(i)*3)
	}
	random := func(k int, nulls bool) []int32 {
		idx := make([]int32, k)
		for i := range idx {
			idx[i] = int32(r.IntN(n))
			if nulls && i%5 == 0 {
				idx[i] = -1
			}
		}
		return idx
	}
	tests := []struct {
		name string
		idx  []int32
	}{
		{"empty", nil},
		{"shorter than the prefetch distance", []int32{5, 0, 999, 3}},
		{"random", random(500, false)},
		{"random with missing rows", random(777, true)},
		{"all missing", []int32{-1, -1, -1}},
		{"ascending", func() []int32 {
			idx := make([]int32, 0, n)
			for i := 0; i < n; i += 3 {
				idx = append(idx, int32(i))
			}
			return idx
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGather(t, i32, tt.idx)
			checkGather(t, i64, tt.idx)
			checkGather(t, dec, tt.idx)
		})
	}
}

func TestGatherPrefetchOutOfRange(t *testing.T) {
	src := []int64{1, 2, 3}
	for _, bad := range []int32{3, 1 << 30} {
		idx := make([]int32, 40) // past the prefetch distance
		idx[35] = bad
		dst := make([]int64, len(idx))
		require.PanicsWithValue(t, fmt.Sprintf("vector.Take: index %d out of range [0:3]", bad), func() {
			gatherPrefetch(dst, src, idx)
		})
	}
}

// BenchmarkGather gathers 16-byte values at a share of the rows of a
// column much larger than the caches, in ascending order as a filter's
// selection does, batch by batch: with the prefetch (takeFixed) and
// without (plain).
func BenchmarkGather(b *testing.B) {
	const rows, batch = 6_000_000, 8192
	src := make([]decimal128.Num, rows)
	for i := range src {
		src[i] = decimal128.FromI64(int64(i))
	}
	dst := make([]decimal128.Num, batch)
	for _, pct := range []int{100, 15, 4} {
		r := rand.New(rand.NewPCG(3, 4))
		var sels [][]int32
		taken := 0
		for lo := 0; lo < rows; lo += batch {
			var sel []int32
			for i := lo; i < min(lo+batch, rows); i++ {
				if r.IntN(100) < pct {
					sel = append(sel, int32(i))
				}
			}
			taken += len(sel)
			sels = append(sels, sel)
		}
		perValue := func(b *testing.B) {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(taken), "ns/value")
		}
		b.Run(fmt.Sprintf("share=%d%%/plain", pct), func(b *testing.B) {
			for b.Loop() {
				for _, sel := range sels {
					for i, j := range sel {
						dst[i] = src[j]
					}
				}
			}
			perValue(b)
		})
		b.Run(fmt.Sprintf("share=%d%%/prefetch", pct), func(b *testing.B) {
			for b.Loop() {
				for _, sel := range sels {
					if !gatherPrefetch(dst, src, sel) {
						b.Skip("no prefetching gather on this architecture")
					}
				}
			}
			perValue(b)
		})
	}
}
