package operators

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// The lane kernels must give what one add per row gives, for any number
// of rows (the tail that does not fill the lanes included) and groups up
// to laneGroups, on top of existing states.
func TestLaneKernelsMatchPlainLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, groups := range []int{1, 4, laneGroups} {
		for _, rows := range []int{laneRows, laneRows + 3, 8191} {
			gids := make([]int32, rows)
			vals := make([]decimal128.Num, rows)
			for i := range gids {
				gids[i] = int32(r.IntN(groups))
				vals[i] = decimal128.FromI64(r.Int64N(types.NarrowBound) - r.Int64N(types.NarrowBound))
			}
			sums := make([]decimal128.Num, groups)
			counts := make([]int64, groups)
			wantSums := make([]decimal128.Num, groups)
			wantCounts := make([]int64, groups)
			for g := range sums {
				sums[g] = decimal128.FromI64(int64(g) << 40)
				wantSums[g] = sums[g]
				counts[g], wantCounts[g] = int64(g), int64(g)
			}
			for i, g := range gids {
				wantSums[g], _ = types.AddInt128(wantSums[g], vals[i])
				wantCounts[g]++
			}
			addDecimalsInLanes(sums, gids, vals)
			countInLanes(counts, gids)
			require.Equal(t, wantSums, sums, "%d groups, %d rows", groups, rows)
			require.Equal(t, wantCounts, counts, "%d groups, %d rows", groups, rows)
		}
	}
}

// addSmallInLanes is exact at the edges of its bounds: SmallRows values,
// all the largest or the smallest small value, in one group or spread.
func TestSmallLaneSumsAtTheirBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, groups := range []int{1, 4, laneGroups} {
		for _, fill := range []string{"max", "min", "random"} {
			gids := make([]int32, types.SmallRows)
			vals := make([]decimal128.Num, types.SmallRows)
			for i := range gids {
				gids[i] = int32(r.IntN(groups))
				switch fill {
				case "max":
					vals[i] = decimal128.FromI64(types.SmallBound - 1)
				case "min":
					vals[i] = decimal128.FromI64(-types.SmallBound)
				default:
					vals[i] = decimal128.FromI64(r.Int64N(2*types.SmallBound) - types.SmallBound)
				}
			}
			for _, v := range vals {
				require.Zero(t, types.NotSmall(v))
			}
			sums := make([]decimal128.Num, groups)
			want := make([]decimal128.Num, groups)
			for g := range sums {
				sums[g] = decimal128.FromI64(-int64(g) << 60)
				want[g] = sums[g]
			}
			for i, g := range gids {
				want[g], _ = types.AddInt128(want[g], vals[i])
			}
			require.True(t, addSmallInLanes(sums, gids, vals, true))
			require.Equal(t, want, sums, "%d groups, %s", groups, fill)
		}
	}
	// One value beyond the bounds, anywhere: no sum changes.
	for _, v := range []decimal128.Num{decimal128.FromI64(types.SmallBound), decimal128.FromI64(-types.SmallBound - 1), decimal128.New(1, 0)} {
		require.NotZero(t, types.NotSmall(v))
		gids := make([]int32, laneRows+1)
		vals := make([]decimal128.Num, laneRows+1)
		vals[laneRows/2] = v
		sums := []decimal128.Num{decimal128.FromI64(7)}
		require.False(t, addSmallInLanes(sums, gids, vals, true))
		require.True(t, addSmallInLanesSel(sums, gids, vals, make([]int32, len(gids)), true), "row 0 only: small")
		sel := make([]int32, len(gids))
		sel[0] = int32(laneRows / 2)
		require.False(t, addSmallInLanesSel(sums, gids, vals, sel, true))
		require.Equal(t, []decimal128.Num{decimal128.FromI64(7)}, sums)
	}
}

// The vector count agrees with the lanes for every number of groups
// around its four a pass, with a tail of rows past the last eight.
func TestCountInLanesMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for groups := 1; groups <= vectorCountGroups+2; groups++ {
		for _, rows := range []int{1, 7, 8, 9, 8191} {
			gids := make([]int32, rows)
			for i := range gids {
				gids[i] = int32(r.IntN(groups))
			}
			want, got := make([]int64, groups), make([]int64, groups)
			for g := range want {
				want[g], got[g] = int64(g), int64(g)
			}
			countInLanesGo(want, gids)
			countInLanes(got, gids)
			require.Equal(t, want, got, "%d groups, %d rows", groups, rows)
		}
	}
}

// BenchmarkCountInLanes counts a batch of Q1's four groups.
func BenchmarkCountInLanes(b *testing.B) {
	r := rand.New(rand.NewPCG(13, 14))
	gids := make([]int32, 8192)
	for i := range gids {
		gids[i] = int32(r.IntN(4))
	}
	counts := make([]int64, 4)
	for _, k := range []struct {
		name  string
		count func([]int64, []int32)
	}{{"vector", countInLanes}, {"go", countInLanesGo}} {
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				k.count(counts, gids)
			}
		})
	}
}
