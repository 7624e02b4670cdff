package operators

import (
	"math/bits"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// A SUM over a product of DECIMAL columns (expr.DecimalProduct: TPC-H's
// sum(l_extendedprice * (1 - l_discount) * (1 + l_tax))) computes the
// product as it adds, in int64, row by row. Evaluated by a projection,
// each * and each 1 - x is a pass writing a 16-byte array of the batch,
// and the sum one more pass reading it back: Q1's two such sums cost it
// six passes over 128 KiB arrays a batch, about a third of its time, for
// arithmetic a row keeps in registers. In memory at SF1 Q1 went from 141
// to 110 ms at one thread (BenchmarkTPCHInMemory). A batch the int64 kernel cannot
// take (NULLs, values too large for the products to stay below
// types.SmallBound, many groups) is evaluated by the whole expression,
// as a projection would have.

// FusedProduct is a SUM's argument computed by the aggregate itself: the
// product of Terms, or Eval of the aggregate's input.
type FusedProduct struct {
	Terms []FusedTerm
	Eval  expr.Evaluator
}

// FusedTerm is the factor Col + C, or C - Col when Neg, of unscaled
// DECIMAL integers.
type FusedTerm struct {
	Col int
	C   int64
	Neg bool
}

// fusedScratch is what the fused SUMs of one HashAggregate share: the
// gids of a scalar aggregate (all zero), the selection of a whole batch,
// and the magnitudes of the batch's columns, each computed once a batch
// however many products read the column.
type fusedScratch struct {
	zeros, all []int32
	mags       map[int]uint64
}

func (s *fusedScratch) gids(n int) []int32 {
	if len(s.zeros) < n {
		s.zeros = make([]int32, n)
	}
	return s.zeros[:n]
}

func (s *fusedScratch) sel(n int) []int32 {
	for len(s.all) < n {
		s.all = append(s.all, int32(len(s.all)))
	}
	return s.all[:n]
}

// reset forgets the magnitudes: a new batch begins.
func (s *fusedScratch) reset() { clear(s.mags) }

// setMagnitude records the OR of the magnitudes of a narrow column's
// selected values, computed by another pass over them (batchSums).
func (s *fusedScratch) setMagnitude(col int, m uint64) {
	if s.mags == nil {
		s.mags = map[int]uint64{}
	}
	s.mags[col] = m
}

// magnitudes returns the OR of magnitude over each term's column of the
// batch, or over its rows sel selects when they are few (Q6 keeps 2% of
// lineitem). A column's is computed once a batch, and the columns still
// to do whose type holds only narrow values (at most 18 digits: no high
// word to look at) in one pass together.
func (s *fusedScratch) magnitudes(p *FusedProduct, cols [][]decimal128.Num, narrow []bool, sel []int32) [3]uint64 {
	if s.mags == nil {
		s.mags = map[int]uint64{}
	}
	var todo [3][]decimal128.Num
	var todoCol [3]int
	n := 0
	for k, term := range p.Terms {
		if _, ok := s.mags[term.Col]; ok {
			continue
		}
		if narrow[k] && (sel == nil || denseSel(sel, len(cols[k]))) {
			if !slices.Contains(todoCol[:n], term.Col) {
				todo[n], todoCol[n] = cols[k], term.Col
				n++
			}
			continue
		}
		var m uint64
		if sel != nil && !denseSel(sel, len(cols[k])) {
			for _, i := range sel {
				m |= magnitude(int64(cols[k][i].LowBits()), cols[k][i].HighBits())
			}
		} else {
			for _, v := range cols[k] {
				m |= magnitude(int64(v.LowBits()), v.HighBits())
			}
		}
		s.mags[term.Col] = m
	}
	var m [3]uint64
	switch n {
	case 1:
		m[0] = lowMagnitudes(todo[0])
	case 2:
		m[0], m[1] = lowMagnitudes2(todo[0], todo[1])
	case 3:
		m[0], m[1], m[2] = lowMagnitudes3(todo[0], todo[1], todo[2])
	}
	for k := range n {
		s.mags[todoCol[k]] = m[k]
	}
	var out [3]uint64
	for k, term := range p.Terms {
		out[k] = s.mags[term.Col]
	}
	return out
}

// lowMagnitudes is the OR of x ^ (x >> 63) over the low words, two rows
// a step into two accumulators; lowMagnitudes2 and 3 are it over two and
// three columns of one length in one pass.
func lowMagnitudes(vals []decimal128.Num) uint64 {
	var m0, m1 uint64
	i := 0
	for ; i+2 <= len(vals); i += 2 {
		a, b := int64(vals[i].LowBits()), int64(vals[i+1].LowBits())
		m0 |= uint64(a ^ a>>63)
		m1 |= uint64(b ^ b>>63)
	}
	for ; i < len(vals); i++ {
		a := int64(vals[i].LowBits())
		m0 |= uint64(a ^ a>>63)
	}
	return m0 | m1
}

func lowMagnitudes2(x, y []decimal128.Num) (mx, my uint64) {
	y = y[:len(x)]
	for i := range x {
		a, b := int64(x[i].LowBits()), int64(y[i].LowBits())
		mx |= uint64(a ^ a>>63)
		my |= uint64(b ^ b>>63)
	}
	return mx, my
}

func lowMagnitudes3(x, y, z []decimal128.Num) (mx, my, mz uint64) {
	y, z = y[:len(x)], z[:len(x)]
	for i := range x {
		a, b, c := int64(x[i].LowBits()), int64(y[i].LowBits()), int64(z[i].LowBits())
		mx |= uint64(a ^ a>>63)
		my |= uint64(b ^ b>>63)
		mz |= uint64(c ^ c>>63)
	}
	return mx, my, mz
}

// updateFused folds the product rows of rec (sel: all when nil) into SUM
// i, with the int64 kernel when the batch allows and by evaluating the
// argument otherwise.
func (h *HashAggregate) updateFused(t *Task, i int, gids []int32, rec arrow.Record, sel []int32, n int) error {
	spec := h.aggs[i]
	sum, ok := h.accs[i].(*sumDecAcc)
	if !ok {
		return sqlerr.New(sqlerr.ErrInternal, "a fused product argument on %s", spec.Kind)
	}
	if n == 0 {
		return nil
	}
	if sum.addFused(&h.fused, spec.Fused, gids, rec, sel, n) {
		return nil
	}
	arg, err := expr.EvalArray(t, spec.Fused.Eval, rec)
	if err != nil {
		return err
	}
	defer arg.Release()
	if sel != nil {
		if done, err := sum.updateSel(t, gids, arg, sel); done || err != nil {
			return err
		}
		taken := takeArray(t, arg, sel, nil)
		defer taken.Release()
		arg = taken
	}
	return sum.update(t, gids, arg)
}

// addFused adds the products of rec's rows into the sums with fused1,
// fused2 or fused3, and reports whether it could: the batch has no NULLs
// in the product's columns, few groups, and values whose magnitudes bound
// every product (and every partial product) below types.SmallBound. Then
// no product wraps in int64, and the sum of types.SmallRows of them fits
// a lane. The magnitudes are of whole columns, selected rows or not (but
// for a sparse selection): a bound a little looser, for a check once a
// batch and column instead of once a row and product. (Checked in the
// kernels' loops, the bound took a register per column, and Go then
// spilled the loop's index: 4 ns a row instead of 1.5.)
func (a *sumDecAcc) addFused(s *fusedScratch, p *FusedProduct, gids []int32, rec arrow.Record, sel []int32, n int) bool {
	if gids == nil {
		gids = s.gids(n)
	}
	if a.wide || !smallLanes(&a.sums, gids) {
		return false
	}
	tm, ok := readTerms(p, rec)
	if !ok {
		return false
	}
	cols, narrow, c := tm.cols, tm.narrow, tm.c
	terms := len(p.Terms)
	mags := s.magnitudes(p, cols[:terms], narrow[:terms], sel)
	bits := 0
	for k, term := range p.Terms {
		bits += factorBits(term.C, mags[k])
	}
	if bits > types.SmallBits {
		return false
	}
	if sel == nil {
		sel = s.sel(n)
	}
	var lane [lanes * laneGroups]int64
	switch len(p.Terms) {
	case 1:
		fused1(&lane, gids, sel, cols[0], c[0])
	case 2:
		fused2(&lane, gids, sel, cols[0], cols[1], c[0], c[1])
	case 3:
		fused3(&lane, gids, sel, cols[0], cols[1], cols[2], c[0], c[1], c[2])
	default:
		return false
	}
	a.foldProduct(&lane, tm.neg[terms-1], gids)
	return true
}

// productTerms are the columns of a fused product's terms in a batch and
// their constants, each term taken as x + c: C - x is computed as x - C,
// and the sum negated once at the end. neg[k] says whether the product of
// terms 0 to k is so negated.
type productTerms struct {
	cols   [3][]decimal128.Num
	narrow [3]bool // at most 18 digits: no high word to look at
	c      [3]int64
	neg    [3]bool
}

// readTerms reads p's terms from rec, reporting false when a column is
// not DECIMAL or has NULLs.
func readTerms(p *FusedProduct, rec arrow.Record) (productTerms, bool) {
	var tm productTerms
	negative := false
	for k, term := range p.Terms {
		d, ok := rec.Column(term.Col).(*array.Decimal128)
		if !ok || d.NullN() > 0 {
			return tm, false
		}
		tm.cols[k] = d.Values()
		tm.narrow[k] = d.DataType().(*arrow.Decimal128Type).Precision <= 18
		tm.c[k] = term.C
		if term.Neg {
			tm.c[k], negative = -term.C, !negative
		}
		tm.neg[k] = negative
	}
	return tm, true
}

// foldProduct adds a product's lanes into the sums, negated when neg.
func (a *sumDecAcc) foldProduct(lane *[lanes * laneGroups]int64, neg bool, gids []int32) {
	if neg {
		for k := range lane {
			lane[k] = -lane[k]
		}
	}
	foldLanes(a.sums.One()[:a.sums.Len()], lane)
	if a.sparse {
		markSeen(&a.seen, gids)
	} else {
		a.seenN = a.sums.Len()
	}
}

// fused1, fused2 and fused3 add (x0 + c0) * (x1 + c1) ... of rows sel[j]
// into lane[gids[j]], one lane in four a row as in addSmallInLanes,
// unrolled four times as there: Go kept the loop's index in memory when
// each row computed its lane, and every row then waited on the store of
// the last (BenchmarkFusedSum: 2.5 ns a row against 1.5 for two factors).
// The three repeat that loop on purpose: one generic loop taking the row's
// product as a func (addInLanes[F]) inlined, but not the func, and cost a
// call a row: 5.9 ns a row for two factors, 7.9 for three.
func fused1(lane *[lanes * laneGroups]int64, gids, sel []int32, x0 []decimal128.Num, c0 int64) {
	f := func(i int32) int64 { return int64(x0[i].LowBits()) + c0 }
	sel = sel[:len(gids)]
	j := 0
	for ; j+4 <= len(sel); j += 4 {
		s, g := sel[j:j+4:j+4], gids[j:j+4:j+4]
		lane[int(g[0])<<2] += f(s[0])
		lane[int(g[1])<<2|1] += f(s[1])
		lane[int(g[2])<<2|2] += f(s[2])
		lane[int(g[3])<<2|3] += f(s[3])
	}
	for ; j < len(sel); j++ {
		lane[int(gids[j])<<2] += f(sel[j])
	}
}

func fused2(lane *[lanes * laneGroups]int64, gids, sel []int32, x0, x1 []decimal128.Num, c0, c1 int64) {
	f := func(i int32) int64 { return (int64(x0[i].LowBits()) + c0) * (int64(x1[i].LowBits()) + c1) }
	sel = sel[:len(gids)]
	j := 0
	for ; j+4 <= len(sel); j += 4 {
		s, g := sel[j:j+4:j+4], gids[j:j+4:j+4]
		lane[int(g[0])<<2] += f(s[0])
		lane[int(g[1])<<2|1] += f(s[1])
		lane[int(g[2])<<2|2] += f(s[2])
		lane[int(g[3])<<2|3] += f(s[3])
	}
	for ; j < len(sel); j++ {
		lane[int(gids[j])<<2] += f(sel[j])
	}
}

func fused3(lane *[lanes * laneGroups]int64, gids, sel []int32, x0, x1, x2 []decimal128.Num, c0, c1, c2 int64) {
	f := func(i int32) int64 {
		return (int64(x0[i].LowBits()) + c0) * (int64(x1[i].LowBits()) + c1) * (int64(x2[i].LowBits()) + c2)
	}
	sel = sel[:len(gids)]
	j := 0
	for ; j+4 <= len(sel); j += 4 {
		s, g := sel[j:j+4:j+4], gids[j:j+4:j+4]
		lane[int(g[0])<<2] += f(s[0])
		lane[int(g[1])<<2|1] += f(s[1])
		lane[int(g[2])<<2|2] += f(s[2])
		lane[int(g[3])<<2|3] += f(s[3])
	}
	for ; j < len(sel); j++ {
		lane[int(gids[j])<<2] += f(sel[j])
	}
}

// magnitude is x ^ (x >> 63) (|x|, or |x| - 1 when negative) of a
// 128-bit value of low word x and high word hi, with the top bit set too
// when the value is not narrow (hi is not x's sign).
func magnitude(x, hi int64) uint64 {
	wide := uint64(hi ^ x>>63)
	return uint64(x^x>>63) | wide | -wide
}

// factorBits bounds the bits of a factor x + c (or c - x), given the OR
// of the magnitudes of the column's values: |x| < 2^(len+1), and |x + c|
// < 2^(max(len(c), len+1)+1). The bounds of the factors multiply, and as
// none is below 2, every partial product is within the bound of the whole.
func factorBits(c int64, mag uint64) int {
	b := bits.Len64(mag) + 1
	if c != 0 {
		b = max(b, bits.Len64(uint64(max(c, -c)))) + 1
	}
	return b
}

// addFusedPair is addFused for two products of which the second is the
// first times one more factor: Q1's sum(l_extendedprice * (1 -
// l_discount)) and sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)).
// One pass computes both, the first product once. It reports false,
// having changed nothing, when either could not take the int64 kernel
// (or the shapes are other than two and three factors); the two then go
// their own ways.
func addFusedPair(s *fusedScratch, a, b *sumDecAcc, p, q *FusedProduct, gids []int32, rec arrow.Record, sel []int32, n int) bool {
	if len(p.Terms) != 2 || len(q.Terms) != 3 {
		return false
	}
	if gids == nil {
		gids = s.gids(n)
	}
	if a.wide || b.wide || !smallLanes(&a.sums, gids) || !smallLanes(&b.sums, gids) {
		return false
	}
	tm, ok := readTerms(q, rec)
	if !ok {
		return false
	}
	cols, narrow, c := tm.cols, tm.narrow, tm.c
	// The last factor's magnitudes are taken in the product's own pass,
	// and its sums thrown away when they are too large: the lanes are the
	// kernel's own until folded, and int64 products wrap without harm.
	// Q1's l_tax is read by no other aggregate, and a pass of its own
	// for them cost 5 ms of 70.
	if !narrow[2] {
		return false
	}
	mags := s.magnitudes(p, cols[:2], narrow[:2], sel)
	if sel == nil {
		sel = s.sel(n)
	}
	var laneP, laneQ [lanes * laneGroups]int64
	mags[2] = fusedPair(&laneP, &laneQ, gids, sel, cols[0], cols[1], cols[2], c[0], c[1], c[2])
	bits := 0
	for k, term := range q.Terms {
		bits += factorBits(term.C, mags[k])
	}
	if bits > types.SmallBits { // the first product's bound is within the second's
		return false
	}
	a.foldProduct(&laneP, tm.neg[1], gids)
	b.foldProduct(&laneQ, tm.neg[2], gids)
	return true
}

// fusedPair adds (x0 + c0) * (x1 + c1) into laneP and that times (x2 +
// c2) into laneQ, the loop of fused3, and returns the OR of x2's
// magnitudes (see magnitude) over the rows.
func fusedPair(laneP, laneQ *[lanes * laneGroups]int64, gids, sel []int32, x0, x1, x2 []decimal128.Num, c0, c1, c2 int64) uint64 {
	var m uint64
	x1, x2 = x1[:len(x0)], x2[:len(x0)]
	add := func(k int, i int32) {
		p := (int64(x0[i].LowBits()) + c0) * (int64(x1[i].LowBits()) + c1)
		z := int64(x2[i].LowBits())
		m |= uint64(z ^ z>>63)
		laneP[k] += p
		laneQ[k] += p * (z + c2)
	}
	sel = sel[:len(gids)]
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
	return m
}
