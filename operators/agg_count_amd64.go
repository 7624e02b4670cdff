package operators

import (
	"unsafe"

	"github.com/minisql/minisql/internal/cpufeat"
)

// countFourAVX2 counts the gids equal to base..base+3 among n, a multiple
// of 8.
//
//go:noescape
func countFourAVX2(out *[4]int64, gids *int32, n int, base int32)

// vectorCountGroups is the most groups countInLanes counts with vector
// compares, four a pass over the batch's gids (in L1): each pass costs
// about one instruction a row, and the lanes' increments two cycles.
const vectorCountGroups = 8

// countInLanes adds one to counts[gids[i]] for every row; every gid is
// below len(counts), which is at most laneGroups. With few groups and
// AVX2 the whole eights are counted by compares.
func countInLanes(counts []int64, gids []int32) {
	if k := len(gids) &^ 7; cpufeat.AVX2 && len(counts) <= vectorCountGroups && k > 0 {
		for base := 0; base < len(counts); base += 4 {
			var c [4]int64
			countFourAVX2(&c, unsafe.SliceData(gids), k, int32(base))
			for g := base; g < min(base+4, len(counts)); g++ {
				counts[g] += c[g-base]
			}
		}
		gids = gids[k:]
	}
	countInLanesGo(counts, gids)
}
