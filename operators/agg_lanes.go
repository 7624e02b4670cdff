package operators

import (
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
)

// With few groups, consecutive rows mostly update the same few states, and
// each update waits for the previous one to that state to be stored: Q1's
// sums over four groups ran at the latency of a store-to-load round trip,
// about 2 ns a row. Spreading the rows over four lanes, each its own copy
// of the states, makes four independent chains; the lanes are folded into
// the states once per batch.

const (
	lanes = 4
	// laneGroups is the most groups for which the lanes pay: each batch
	// zeroes and folds lanes*groups states.
	laneGroups = 64
	// laneRows is the fewest rows for which they pay.
	laneRows = 256
)

// useLanes reports whether a batch of rows rows updating groups groups
// takes the lane kernels.
func useLanes(groups, rows int) bool { return groups <= laneGroups && rows >= laneRows }

// addDecimalsInLanes adds vals[i] into sums[gids[i]] with 128-bit adds
// and no overflow check (see addNarrow); every gid is below len(sums),
// which is at most laneGroups.
func addDecimalsInLanes(sums []decimal128.Num, gids []int32, vals []decimal128.Num) {
	var lo [lanes * laneGroups]uint64
	var hi [lanes * laneGroups]int64
	vals = vals[:len(gids)]
	add := func(k int, v decimal128.Num) {
		var c uint64
		lo[k], c = bits.Add64(lo[k], v.LowBits(), 0)
		hi[k] += v.HighBits() + int64(c)
	}
	i := 0
	for ; i+lanes <= len(gids); i += lanes {
		add(int(gids[i])*lanes, vals[i])
		add(int(gids[i+1])*lanes+1, vals[i+1])
		add(int(gids[i+2])*lanes+2, vals[i+2])
		add(int(gids[i+3])*lanes+3, vals[i+3])
	}
	for ; i < len(gids); i++ {
		add(int(gids[i])*lanes, vals[i])
	}
	for g := range sums {
		s := sums[g]
		l, h := s.LowBits(), s.HighBits()
		for k := g * lanes; k < g*lanes+lanes; k++ {
			var c uint64
			l, c = bits.Add64(l, lo[k], 0)
			h += hi[k] + int64(c)
		}
		sums[g] = decimal128.New(h, l)
	}
}

// addSmallInLanes is addDecimalsInLanes for at most types.SmallRows
// values below types.SmallBound, whose sum cannot leave an int64: one
// 64-bit add a row instead of an add and an add with carry. It checks
// the values as it adds them into its own lanes, and leaves sums as they
// were, reporting false, when one is not small: one pass over the values
// instead of a check and then the sums (Q1's products, typed DECIMAL(31,4)
// and (38,6), are small).
//
// check false skips the check, for a type of at most 15 digits.
func addSmallInLanes(sums []decimal128.Num, gids []int32, vals []decimal128.Num, check bool) bool {
	var lane [lanes * laneGroups]int64
	var bad uint64
	vals = vals[:len(gids)]
	add := func(k int, v decimal128.Num) {
		if check {
			bad |= types.NotSmall(v)
		}
		lane[k] += int64(v.LowBits())
	}
	i := 0
	for ; i+lanes <= len(gids); i += lanes {
		add(int(gids[i])*lanes, vals[i])
		add(int(gids[i+1])*lanes+1, vals[i+1])
		add(int(gids[i+2])*lanes+2, vals[i+2])
		add(int(gids[i+3])*lanes+3, vals[i+3])
	}
	for ; i < len(gids); i++ {
		add(int(gids[i])*lanes, vals[i])
	}
	return bad == 0 && foldLanes(sums, &lane)
}

// addSmallInLanesSel is addSmallInLanes of vals[sel[i]].
func addSmallInLanesSel(sums []decimal128.Num, gids []int32, vals []decimal128.Num, sel []int32, check bool) bool {
	var lane [lanes * laneGroups]int64
	var bad uint64
	sel = sel[:len(gids)]
	add := func(k int, v decimal128.Num) {
		if check {
			bad |= types.NotSmall(v)
		}
		lane[k] += int64(v.LowBits())
	}
	i := 0
	for ; i+lanes <= len(gids); i += lanes {
		add(int(gids[i])*lanes, vals[sel[i]])
		add(int(gids[i+1])*lanes+1, vals[sel[i+1]])
		add(int(gids[i+2])*lanes+2, vals[sel[i+2]])
		add(int(gids[i+3])*lanes+3, vals[sel[i+3]])
	}
	for ; i < len(gids); i++ {
		add(int(gids[i])*lanes, vals[sel[i]])
	}
	return bad == 0 && foldLanes(sums, &lane)
}

// foldLanes adds each group's four lanes into its state. Each lane holds
// at most SmallRows small values: their sum, and the sum of the four,
// stay within an int64. It returns true.
func foldLanes(sums []decimal128.Num, lane *[lanes * laneGroups]int64) bool {
	for g := range sums {
		k := g * lanes
		s := lane[k] + lane[k+1] + lane[k+2] + lane[k+3]
		sums[g], _ = types.AddInt128(sums[g], decimal128.FromI64(s))
	}
	return true
}

// countInLanesGo adds one to counts[gids[i]] for every row; every gid is
// below len(counts), which is at most laneGroups.
func countInLanesGo(counts []int64, gids []int32) {
	var n [lanes * laneGroups]int64
	i := 0
	for ; i+lanes <= len(gids); i += lanes {
		n[int(gids[i])*lanes]++
		n[int(gids[i+1])*lanes+1]++
		n[int(gids[i+2])*lanes+2]++
		n[int(gids[i+3])*lanes+3]++
	}
	for ; i < len(gids); i++ {
		n[int(gids[i])*lanes]++
	}
	for g := range counts {
		counts[g] += n[g*lanes] + n[g*lanes+1] + n[g*lanes+2] + n[g*lanes+3]
	}
}

// groupHist is the number of rows of each group in the batch a
// HashAggregate is consuming. COUNT(*), and COUNT(x) and AVG(x) when x has
// no NULLs, all add exactly that to their counts: Q1 has four of them,
// and the histogram is computed once a batch instead of four times. Only
// the aggregate's own accumulators share it (a DISTINCT's inner one sees
// other rows).
type groupHist struct {
	counts []int64
	ready  bool // counts is this batch's
}

// reset forgets the histogram: a new batch begins.
func (h *groupHist) reset() {
	if h != nil {
		h.ready = false
	}
}

// addTo adds the batch's histogram to counts (every gid below
// len(counts), at most laneGroups), computing it on first use; a nil h
// just counts.
func (h *groupHist) addTo(counts []int64, gids []int32) {
	if h == nil {
		countInLanes(counts, gids)
		return
	}
	if !h.ready || len(h.counts) != len(counts) {
		h.counts = grow(h.counts[:0], len(counts))
		clear(h.counts)
		countInLanes(h.counts, gids)
		h.ready = true
	}
	for g, c := range h.counts {
		counts[g] += c
	}
}
