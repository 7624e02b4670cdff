package operators

import (
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
)

// Q1's aggregate sums three DECIMAL columns (l_quantity, l_extendedprice,
// l_discount) and a product pair over two of them and a fourth
// (l_extendedprice * (1 - l_discount), and that times (1 + l_tax)).
// batchSums makes that two passes, sumColumns3 and fusedPair, over six
// 16-byte columns, two of them twice: 96 bytes a row, each pass at about
// the bandwidth one core gets. sumPair makes it one pass over the four
// columns, 64 bytes a row, where the CPU has AVX-512 and the aggregate at
// most four groups: eight rows a step, each group's rows a mask register,
// and each measure added into each group's lanes under its mask. Twenty
// accumulators (five measures, four groups) and the columns and their
// magnitudes fit AVX-512's 32 registers; AVX2's 16 would not hold them.

// sumPairGroups is the most groups the one pass takes.
const sumPairGroups = 4

// sumPairLanes is what the pass adds: the three columns' sums, the two
// products' sums, per group and lane, and each column's magnitudes per
// lane (the OR of x ^ x>>63 over the rows, as sumColumns3's).
type sumPairLanes struct {
	sums [5][sumPairGroups][8]int64
	mags [4][8]uint64
}

// total is measure m's sum over group g's lanes.
func (o *sumPairLanes) total(m, g int) int64 {
	var s int64
	for _, v := range o.sums[m][g] {
		s += v
	}
	return s
}

// mag is column k's magnitudes over every lane.
func (o *sumPairLanes) mag(k int) uint64 {
	var m uint64
	for _, v := range o.mags[k] {
		m |= v
	}
	return m
}

// sumPairGo is sumPairAVX512's loop in Go, row sel[j] into lane j%8 of
// group gids[j]: the rows after the kernel's last eight, and the kernel's
// reference in its test.
func sumPairGo(out *sumPairLanes, sel, gids []int32, cols *[4][]decimal128.Num, c *[3]int64) {
	gids = gids[:len(sel)]
	for j, i := range sel {
		g, l := gids[j]&(sumPairGroups-1), j&7
		var x [4]int64
		for k := range x {
			x[k] = int64(cols[k][i].LowBits())
			out.mags[k][l] |= uint64(x[k] ^ x[k]>>63)
		}
		for k := range 3 {
			out.sums[k][g][l] += x[k]
		}
		p := (x[1] + c[0]) * (x[2] + c[1])
		out.sums[3][g][l] += p
		out.sums[4][g][l] += p * (x[3] + c[2])
	}
}

// sumPairShape is where a batch's aggregates meet the pass: the columns
// in the kernel's order (the plain sums' third column, then the pair's
// three), the pair's constants, and the two fused SUMs.
type sumPairShape struct {
	cols       [4][]decimal128.Num
	colIdx     [4]int
	tm         productTerms
	p, q       int // the pair's aggregates
	pSum, qSum *sumDecAcc
}

// sumPairFits finds the shape in a batch: exactly three distinct columns
// of batchable plain sums, and a fused pair (as pairProducts finds them)
// whose first two factors are two of those columns. It records the sums'
// slots in b as sumColumns would.
func (b *batchSums) sumPairFits(h *HashAggregate, rec arrow.Record, n int) (sumPairShape, bool) {
	var sh sumPairShape
	sumVals, ok := b.collect(h, rec, n, 3)
	sumCols := b.cols
	if !ok || len(sumCols) != 3 || !b.findPair(h, rec, &sh) {
		return sh, false
	}
	a, bb := sh.colIdx[1], sh.colIdx[2]
	if a == bb {
		return sh, false
	}
	other := -1
	for k, c := range sumCols {
		if c != a && c != bb {
			other = k
		}
	}
	if other < 0 || !slices.Contains(sumCols, a) || !slices.Contains(sumCols, bb) {
		return sh, false
	}
	sh.cols[0], sh.colIdx[0] = sumVals[other], sumCols[other]
	return sh, true
}

// findPair finds the fused pair of Q1's shape and reads its terms.
func (b *batchSums) findPair(h *HashAggregate, rec arrow.Record, sh *sumPairShape) bool {
	for i, si := range h.aggs {
		p := si.Fused
		if p == nil || si.Kind != AggSum || len(p.Terms) != 2 {
			continue
		}
		for j, sj := range h.aggs {
			q := sj.Fused
			if j == i || q == nil || sj.Kind != AggSum || !extends(q, p) {
				continue
			}
			a, ok := h.accs[i].(*sumDecAcc)
			c, ok2 := h.accs[j].(*sumDecAcc)
			if !ok || !ok2 || a.wide || c.wide {
				continue
			}
			tm, ok := readTerms(q, rec)
			if !ok || !tm.narrow[2] {
				continue
			}
			sh.tm, sh.p, sh.q, sh.pSum, sh.qSum = tm, i, j, a, c
			for k, term := range q.Terms {
				sh.cols[k+1], sh.colIdx[k+1] = tm.cols[k], term.Col
			}
			return true
		}
	}
	return false
}

// sumPair makes run's passes as one when the batch has Q1's shape, and
// reports whether it did. The pair's products are kept only when the
// magnitudes bound them (addFusedPair's check); otherwise the two SUMs go
// their own ways, as they would from pairProducts.
func (b *batchSums) sumPair(h *HashAggregate, gids []int32, rec arrow.Record, sel []int32, n int) bool {
	if !sumPairKernel || h.groups > sumPairGroups {
		return false
	}
	sh, ok := b.sumPairFits(h, rec, n)
	if gids == nil {
		gids = h.fused.gids(n)
	}
	if !ok || !smallLanes(&sh.pSum.sums, gids) || !smallLanes(&sh.qSum.sums, gids) {
		b.reset(len(h.aggs))
		return false
	}
	if sel == nil {
		sel = h.fused.sel(n)
	}
	var out sumPairLanes
	c := sh.tm.c
	sumPairRows(&out, sel, gids, &sh.cols, &c)
	b.gids = gids
	b.passes++
	b.pairs++
	b.totals = grow(b.totals[:0], 3)
	for k, col := range b.cols {
		m := slices.Index(sh.colIdx[:3], col)
		for g := range sumPairGroups {
			b.totals[k][g] = out.total(m, g)
		}
		h.fused.setMagnitude(col, out.mag(m))
	}
	h.fused.setMagnitude(sh.colIdx[3], out.mag(3))
	bits := 0
	for k, term := range h.aggs[sh.q].Fused.Terms {
		bits += factorBits(term.C, out.mag(k+1))
	}
	if bits > types.SmallBits {
		return true
	}
	var laneP, laneQ [lanes * laneGroups]int64
	for g := range sumPairGroups {
		laneP[g*lanes] = out.total(3, g)
		laneQ[g*lanes] = out.total(4, g)
	}
	sh.pSum.foldProduct(&laneP, sh.tm.neg[1], gids)
	sh.qSum.foldProduct(&laneQ, sh.tm.neg[2], gids)
	b.slot[sh.p], b.slot[sh.q] = folded, folded
	b.passes++
	return true
}
