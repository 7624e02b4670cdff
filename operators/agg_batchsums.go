package operators

import (
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
)

// Q1 sums three DECIMAL columns (l_quantity, l_extendedprice and
// l_discount, the last for an AVG) over the same rows into the same four
// groups. Each SUM taking its own lane kernel (agg_lanes.go) read the
// selection and the groups again, three passes of 1.3 ns a row; and the
// fused products then made a fourth pass over two of the columns for
// their magnitudes. batchSums adds all the columns of a batch in one pass,
// which ORs their magnitudes as it goes, and the SUMs and AVGs then fold
// their column's totals.

// batchCols is the most columns one pass adds.
const batchCols = 3

// batchSums is one batch's totals per group of the columns the
// aggregate's plain SUMs and AVGs read.
type batchSums struct {
	slot   []int8  // per aggregate: its column's index in cols, or -1
	cols   []int   // the columns added this batch
	gids   []int32 // the batch's groups (zeros for a scalar aggregate)
	totals [][laneGroups]int64
	passes int  // batches added in one pass, for a test
	pairs  int  // batches sumPair took, for a test
	off    bool // every aggregate uses its own kernel: a test compares
}

// reset forgets the batch's totals.
func (b *batchSums) reset(aggs int) {
	b.slot = grow(b.slot[:0], aggs)
	for i := range b.slot {
		b.slot[i] = -1
	}
	b.cols = b.cols[:0]
}

// batchable returns the DECIMAL column aggregate i adds when it can take
// its totals from the batch's pass: a plain SUM or an AVG keeping its own
// sums, of narrow values of at most 15 digits without NULLs, over few
// groups in one page. The lane kernels' conditions, checked once a batch.
func (h *HashAggregate) batchable(i int, rec arrow.Record, rows int) (*array.Decimal128, bool) {
	spec := h.aggs[i]
	if spec.Fused != nil || spec.Arg < 0 {
		return nil, false
	}
	switch a := h.accs[i].(type) {
	case *sumDecAcc:
		if spec.Kind != AggSum || a.wide || a.sums.One() == nil || !useLanes(a.sums.Len(), rows) {
			return nil, false
		}
	case *avgAcc:
		if spec.Kind != AggAvg || a.kind != types.Decimal || a.sumOf != nil || a.wide ||
			a.sums.One() == nil || !useLanes(a.sums.Len(), rows) {
			return nil, false
		}
	default:
		return nil, false
	}
	d, ok := rec.Column(spec.Arg).(*array.Decimal128)
	if !ok || d.NullN() > 0 || !smallType(d) || rows > types.SmallRows {
		return nil, false
	}
	return d, true
}

// collect records in b.cols the distinct columns of the batchable
// aggregates, and in b.slot each one's column, and returns the columns'
// values; false, having recorded some, when there are more than most.
func (b *batchSums) collect(h *HashAggregate, rec arrow.Record, n, most int) ([][]decimal128.Num, bool) {
	var vals [][]decimal128.Num
	for i := range h.aggs {
		d, ok := h.batchable(i, rec, n)
		if !ok {
			continue
		}
		k := slices.Index(b.cols, h.aggs[i].Arg)
		if k < 0 {
			if len(b.cols) == most {
				return vals, false
			}
			k = len(b.cols)
			b.cols = append(b.cols, h.aggs[i].Arg)
			vals = append(vals, d.Values())
		}
		b.slot[i] = int8(k)
	}
	return vals, true
}

// folded marks, in batchSums.slot, an aggregate the batch's passes
// already folded in.
const folded = -2

// run makes the batch's shared passes: both in one for Q1's shape
// (sumPair), or the plain sums (sumColumns) and the pairs of fused
// products (pairProducts).
func (b *batchSums) run(h *HashAggregate, gids []int32, rec arrow.Record, sel []int32, n int) {
	b.reset(len(h.aggs))
	if b.off || b.sumPair(h, gids, rec, sel, n) {
		return
	}
	b.sumColumns(h, gids, rec, sel, n)
	b.pairProducts(h, gids, rec, sel, n)
}

// sumColumns adds, in one pass per batchCols columns, the columns of
// every batchable aggregate over the selected rows (sel: all when nil)
// into their groups' totals, and records each column's magnitudes for the
// fused products. It does nothing for a batch with a single such column:
// the aggregate's own kernel is as good.
func (b *batchSums) sumColumns(h *HashAggregate, gids []int32, rec arrow.Record, sel []int32, n int) {
	if gids == nil {
		gids = h.fused.gids(n)
	}
	vals, _ := b.collect(h, rec, n, len(h.aggs))
	if len(b.cols) < 2 {
		b.reset(len(h.aggs))
		return
	}
	if sel == nil {
		sel = h.fused.sel(n)
	}
	b.gids = gids
	b.passes++
	b.totals = grow(b.totals[:0], len(b.cols))
	for from := 0; from < len(b.cols); from += batchCols {
		to := min(from+batchCols, len(b.cols))
		var mags [batchCols]uint64
		switch to - from {
		case 3:
			mags = sumColumns3((*[3][laneGroups]int64)(b.totals[from:to]), gids, sel, vals[from], vals[from+1], vals[from+2])
		case 2:
			mags = sumColumns2((*[2][laneGroups]int64)(b.totals[from:to]), gids, sel, vals[from], vals[from+1])
		case 1:
			mags[0] = sumColumns1(&b.totals[from], gids, sel, vals[from])
		}
		for k := from; k < to; k++ {
			h.fused.setMagnitude(b.cols[k], mags[k-from])
		}
	}
}

// pairProducts computes, in one pass each, the pairs of fused SUMs of
// which the second is the first times one more factor (addFusedPair).
func (b *batchSums) pairProducts(h *HashAggregate, gids []int32, rec arrow.Record, sel []int32, n int) {
	for i, si := range h.aggs {
		p := si.Fused
		if p == nil || si.Kind != AggSum || b.slot[i] != -1 {
			continue
		}
		for j, sj := range h.aggs {
			q := sj.Fused
			if j == i || q == nil || sj.Kind != AggSum || b.slot[j] != -1 || !extends(q, p) {
				continue
			}
			a, ok := h.accs[i].(*sumDecAcc)
			c, ok2 := h.accs[j].(*sumDecAcc)
			if ok && ok2 && addFusedPair(&h.fused, a, c, p, q, gids, rec, sel, n) {
				b.slot[i], b.slot[j] = folded, folded
				b.passes++
				break
			}
		}
	}
}

// extends reports whether q is p times one more factor.
func extends(q, p *FusedProduct) bool {
	return len(p.Terms) > 0 && len(q.Terms) == len(p.Terms)+1 && slices.Equal(q.Terms[:len(p.Terms)], p.Terms)
}

// fold adds the batch's totals of aggregate i's column into its state,
// reporting false when the aggregate did not take part in the pass.
func (b *batchSums) fold(h *HashAggregate, i int) bool {
	if i >= len(b.slot) || b.slot[i] == -1 {
		return false
	}
	if b.slot[i] == folded {
		return true
	}
	totals := &b.totals[b.slot[i]]
	switch a := h.accs[i].(type) {
	case *sumDecAcc:
		addTotals(a.sums.One()[:a.sums.Len()], totals)
		if a.sparse {
			markSeen(&a.seen, b.gids)
		} else {
			a.seenN = a.sums.Len()
		}
	case *avgAcc:
		addTotals(a.sums.One()[:a.sums.Len()], totals)
		countGroups(&a.counts, b.gids, a.hist)
	}
	return true
}

// addTotals adds each group's total into its state.
func addTotals(sums []decimal128.Num, totals *[laneGroups]int64) {
	for g := range sums {
		sums[g], _ = types.AddInt128(sums[g], decimal128.FromI64(totals[g]))
	}
}
