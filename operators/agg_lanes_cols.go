package operators

import "github.com/apache/arrow/go/v17/arrow/decimal128"

// groupMask keeps a group below laneGroups for the compiler, which then
// drops the lane's bounds check (every gid is below laneGroups already).
const groupMask = laneGroups - 1

// sumColumns3 adds the low words of rows sel[j] of three narrow columns
// into group gids[j]'s totals, and returns the OR of each column's
// magnitudes (x ^ x>>63) over those rows. As in addSmallInLanes, row j
// goes to lane j%4 of its group, so that consecutive rows of one group do
// not wait on each other's stores; the lanes of the three columns are
// one array on the stack, which leaves the registers to the columns and
// the magnitudes. The caller bounds the rows (SmallRows)
// and the values (at most 15 digits), so no lane overflows. sumColumns2
// and sumColumns1 are the same loop for fewer columns, written out as the
// fused products are (agg_fused.go): Go does not inline a row func.
func sumColumns3(out *[3][laneGroups]int64, gids, sel []int32, x0, x1, x2 []decimal128.Num) (mags [batchCols]uint64) {
	var lane [3][lanes * laneGroups]int64
	var m0, m1, m2 uint64
	sel = sel[:len(gids)]
	x1, x2 = x1[:len(x0)], x2[:len(x0)]
	add := func(k int, i int32) {
		a, b, c := int64(x0[i].LowBits()), int64(x1[i].LowBits()), int64(x2[i].LowBits())
		lane[0][k] += a
		lane[1][k] += b
		lane[2][k] += c
		m0 |= uint64(a ^ a>>63)
		m1 |= uint64(b ^ b>>63)
		m2 |= uint64(c ^ c>>63)
	}
	j := 0
	for ; j+4 <= len(sel); j += 4 {
		s, g := sel[j:j+4:j+4], gids[j:j+4:j+4]
		add(int(g[0]&groupMask)<<2, s[0])
		add(int(g[1]&groupMask)<<2|1, s[1])
		add(int(g[2]&groupMask)<<2|2, s[2])
		add(int(g[3]&groupMask)<<2|3, s[3])
	}
	for ; j < len(sel); j++ {
		add(int(gids[j]&groupMask)<<2, sel[j])
	}
	for g := range laneGroups {
		for c := range 3 {
			out[c][g] = lane[c][g<<2] + lane[c][g<<2|1] + lane[c][g<<2|2] + lane[c][g<<2|3]
		}
	}
	return [batchCols]uint64{m0, m1, m2}
}

func sumColumns2(out *[2][laneGroups]int64, gids, sel []int32, x0, x1 []decimal128.Num) (mags [batchCols]uint64) {
	var lane [2][lanes * laneGroups]int64
	var m0, m1 uint64
	sel = sel[:len(gids)]
	x1 = x1[:len(x0)]
	add := func(k int, i int32) {
		a, b := int64(x0[i].LowBits()), int64(x1[i].LowBits())
		lane[0][k] += a
		lane[1][k] += b
		m0 |= uint64(a ^ a>>63)
		m1 |= uint64(b ^ b>>63)
	}
	j := 0
	for ; j+4 <= len(sel); j += 4 {
		s, g := sel[j:j+4:j+4], gids[j:j+4:j+4]
		add(int(g[0]&groupMask)<<2, s[0])
		add(int(g[1]&groupMask)<<2|1, s[1])
		add(int(g[2]&groupMask)<<2|2, s[2])
		add(int(g[3]&groupMask)<<2|3, s[3])
	}
	for ; j < len(sel); j++ {
		add(int(gids[j]&groupMask)<<2, sel[j])
	}
	for g := range laneGroups {
		for c := range 2 {
			out[c][g] = lane[c][g<<2] + lane[c][g<<2|1] + lane[c][g<<2|2] + lane[c][g<<2|3]
		}
	}
	return [batchCols]uint64{m0, m1}
}

func sumColumns1(out *[laneGroups]int64, gids, sel []int32, x0 []decimal128.Num) uint64 {
	var lane [lanes * laneGroups]int64
	var m0 uint64
	sel = sel[:len(gids)]
	add := func(k int, i int32) {
		a := int64(x0[i].LowBits())
		lane[k] += a
		m0 |= uint64(a ^ a>>63)
	}
	j := 0
	for ; j+4 <= len(sel); j += 4 {
		s, g := sel[j:j+4:j+4], gids[j:j+4:j+4]
		add(int(g[0]&groupMask)<<2, s[0])
		add(int(g[1]&groupMask)<<2|1, s[1])
		add(int(g[2]&groupMask)<<2|2, s[2])
		add(int(g[3]&groupMask)<<2|3, s[3])
	}
	for ; j < len(sel); j++ {
		add(int(gids[j]&groupMask)<<2, sel[j])
	}
	for g := range laneGroups {
		out[g] = lane[g<<2] + lane[g<<2|1] + lane[g<<2|2] + lane[g<<2|3]
	}
	return m0
}
