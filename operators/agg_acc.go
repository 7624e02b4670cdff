package operators

import (
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// accumulator holds the state of one aggregate for every group, as columns
// indexed by group number, and updates it a batch at a time.
type accumulator interface {
	// resize makes room for n groups. It spends budget while it copies, so
	// that tens of millions of groups never move in one unchecked stretch.
	resize(t *Task, n int) error
	// update folds arg into the groups gids (gids nil: every row is in
	// group 0, the scalar-aggregate fast path).
	update(t *Task, gids []int32, arg arrow.Array) error
	// finish returns the results of groups [from, to).
	finish(mem memory.Allocator, from, to int) arrow.Array
	// memBytes is the Go memory the state holds.
	memBytes() int64
}

// preparer is an accumulator with work to do before finish that can
// outlast a batch (a quantile's selection): prepare computes the results
// of groups [from, to), spending budget, for the finish of the same range
// that follows.
type preparer interface {
	prepare(t *Task, from, to int) error
}

func newAccumulator(spec AggSpec) (accumulator, error) {
	if spec.Kind == AggAvgMerge || spec.Kind == AggVarMerge || spec.Kind == AggStateMerge {
		return newMergeAccumulator(spec)
	}
	var acc accumulator
	switch spec.Kind {
	case AggCountStar, AggCount:
		acc = &countAcc{star: spec.Kind == AggCountStar}
	case AggSum:
		switch spec.In.Kind {
		case types.Int64, types.Null:
			acc = &sumIntAcc{}
		case types.Float64:
			acc = &sumFloatAcc{}
		case types.Decimal:
			acc = &sumDecAcc{out: spec.Out}
		}
	case AggAvg:
		switch spec.In.Kind {
		case types.Int64, types.Null:
			acc = &avgAcc{kind: types.Int64}
		case types.Decimal:
			acc = &avgAcc{kind: types.Decimal, scale: int(spec.In.Scale)}
		case types.Float64:
			acc = &avgAcc{kind: types.Float64}
		}
	case AggMin, AggMax:
		acc = newMinMax(spec.In, spec.Kind == AggMax)
	case AggStringAgg:
		switch {
		case spec.In.Kind != types.String && spec.In.Kind != types.Null:
		case spec.Ordered:
			acc = &orderedStringAggAcc{sep: []byte(spec.Sep)}
		default:
			acc = &stringAggAcc{sep: []byte(spec.Sep)}
		}
	case AggQuantileCont, AggQuantileDisc:
		if q := newQuantileAcc(spec); q != nil {
			acc = q
		}
	case AggVarSamp, AggVarPop, AggStddevSamp, AggStddevPop:
		if spec.In.Kind == types.Float64 || spec.In.Kind == types.Null {
			acc = &varAcc{kind: spec.Kind}
		}
	case AggBoolAnd, AggBoolOr:
		if spec.In.Kind == types.Bool || spec.In.Kind == types.Null {
			acc = &boolAcc{or: spec.Kind == AggBoolOr}
		}
	case AggMode:
		acc = newModeAcc(spec.In)
	case AggAnyValue, AggFirst, AggLast:
		if spec.In.Kind != types.Interval {
			acc = newFirstAcc(spec.Kind, spec.In)
		}
	case AggProduct:
		if floatOrNull(spec.In) {
			acc = newProductAcc()
		}
	case AggBitAnd, AggBitOr, AggBitXor:
		if spec.In.Kind == types.Int64 || spec.In.Kind == types.Null {
			acc = newBitAcc(spec.Kind)
		}
	case AggFSum, AggFAvg:
		if floatOrNull(spec.In) {
			acc = &kahanAcc{avg: spec.Kind == AggFAvg}
		}
	case AggSkewness, AggKurtosis, AggKurtosisPop:
		if floatOrNull(spec.In) {
			acc = &momentAcc{kind: spec.Kind}
		}
	case AggEntropy:
		switch spec.In.Kind {
		case types.Interval:
		case types.Null: // never read: a NULL argument has no values
			acc = newEntropyAcc(types.Int64Type)
		default:
			acc = newEntropyAcc(spec.In)
		}
	case AggApproxCountDistinct:
		if spec.In.Kind != types.Interval {
			acc = &hllAcc{t: spec.In}
		}
	case AggCovarPop, AggCovarSamp, AggCorr, AggRegrSlope, AggRegrIntercept, AggRegrCount,
		AggRegrR2, AggRegrAvgX, AggRegrAvgY, AggRegrSXX, AggRegrSYY, AggRegrSXY:
		if spec.Distinct {
			return nil, sqlerr.NotSupported("DISTINCT in %s()", spec.Kind)
		}
		if floatOrNull(spec.In) && floatOrNull(spec.In2) {
			return &regrAcc{kind: spec.Kind}, nil
		}
	case AggArgMax, AggArgMin:
		if spec.Distinct {
			return nil, sqlerr.NotSupported("DISTINCT in %s()", spec.Kind)
		}
		return &argAcc{max: spec.Kind == AggArgMax, keepNulls: spec.KeepNulls, vt: spec.In, kt: spec.In2}, nil
	}
	if acc == nil {
		return nil, sqlerr.New(sqlerr.ErrType, "%s is not defined for %s", spec.Kind, spec.In)
	}
	if spec.Distinct && spec.Kind != AggMin && spec.Kind != AggMax {
		acc = newDistinctAcc(acc, spec.In)
	}
	return acc, nil
}

func floatOrNull(t types.T) bool { return t.Kind == types.Float64 || t.Kind == types.Null }

// Per-group state lives in pages (package paged): an aggregate of tens of
// millions of groups then never makes, zeroes or copies one large array,
// which no cancellation check could interrupt.

// resizer is a paged vector of any element type.
type resizer interface {
	Len() int
	Resize(b paged.Budget, n int) error
}

// growState makes room for n groups in each vector, spending budget per
// page allocated (none without a task: a scalar aggregate sizes its one
// group when it is built).
func growState(t *Task, n int, vs ...resizer) error {
	var b paged.Budget
	if t != nil {
		b = t
	}
	for _, v := range vs {
		if v.Len() < n {
			if err := v.Resize(b, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// countGroups adds one to the count of every row's group, taking the
// batch's histogram from hist when there is one.
func countGroups(counts *paged.Vec[int64], gids []int32, hist *groupHist) {
	if one := counts.One(); one != nil {
		if useLanes(counts.Len(), len(gids)) {
			hist.addTo(one[:counts.Len()], gids)
			return
		}
		for _, g := range gids {
			one[g]++
		}
		return
	}
	w := counts.View()
	for _, g := range gids {
		*w.At(int(g))++
	}
}

// markSeen sets the flags of groups gids.
func markSeen(seen *paged.Vec[bool], gids []int32) {
	if one := seen.One(); one != nil {
		for _, g := range gids {
			one[g] = true
		}
		return
	}
	w := seen.View()
	for _, g := range gids {
		*w.At(int(g)) = true
	}
}

// copyOut copies elements [from, to) of v to dst.
func copyOut[T any](dst []T, v *paged.Vec[T], from, to int) {
	v.Chunks(from, to, func(start int, s []T) { copy(dst[start-from:], s) })
}

func grow[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	if cap(s) >= n {
		return s[:n]
	}
	out := make([]T, n, max(n, 2*cap(s)))
	copy(out, s)
	return out
}

// seenValidityOf is seenValidity over groups [from, to) of paged flags.
func seenValidityOf(mem memory.Allocator, seen *paged.Vec[bool], from, to int) (*memory.Buffer, int) {
	return seenPrefixValidityOf(mem, seen, 0, from, to)
}

// seenPrefixValidityOf is seenValidityOf with every group below prefix
// seen as well.
func seenPrefixValidityOf(mem memory.Allocator, seen *paged.Vec[bool], prefix, from, to int) (*memory.Buffer, int) {
	flags := make([]bool, to-from)
	copyOut(flags, seen, from, to)
	for i := range flags[:max(0, min(prefix, to)-from)] {
		flags[i] = true
	}
	return seenValidity(mem, flags)
}

// seenValidity turns per-group "has a value" flags into a validity bitmap.
func seenValidity(mem memory.Allocator, seen []bool) (*memory.Buffer, int) {
	return vector.ValidityOf(mem, seen)
}

type countAcc struct {
	star   bool
	counts paged.Vec[int64]
	hist   *groupHist // the aggregate's, or nil
}

func (a *countAcc) resize(t *Task, n int) error { return growState(t, n, &a.counts) }

func (a *countAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	counts := a.counts.View()
	if gids == nil {
		if a.star {
			*counts.At(int(0)) += int64(arg.Len())
		} else {
			*counts.At(int(0)) += int64(arg.Len() - arg.NullN())
		}
		return nil
	}
	if a.star || arg.NullN() == 0 {
		countGroups(&a.counts, gids, a.hist)
		return nil
	}
	if arg.NullN() == arg.Len() {
		// Nothing to count. An untyped NULL argument (COUNT(NULL)) must
		// stop here: Arrow's Null array has no validity bitmap, and its
		// IsValid reports every row valid.
		return nil
	}
	for i, g := range gids {
		if arg.IsValid(i) {
			*counts.At(int(g))++
		}
	}
	return nil
}

func (a *countAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[int64](mem, to-from)
	copyOut(out, &a.counts, from, to)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, to-from, nil, 0, buf)
}

type sumIntAcc struct {
	sums paged.Vec[int64]
	seen paged.Vec[bool]
}

func (a *sumIntAcc) resize(t *Task, n int) error { return growState(t, n, &a.sums, &a.seen) }

func (a *sumIntAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	ints, ok := arg.(*array.Int64)
	if !ok { // all-NULL argument
		return nil
	}
	vals := ints.Int64Values()
	nulls := arg.NullN() > 0
	sums, seen := a.sums.View(), a.seen.View()
	var acc int64
	for i, v := range vals {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := int32(0)
		if gids != nil {
			g = gids[i]
		}
		sum := sums.At(int(g))
		s := *sum + v
		acc |= (*sum ^ s) & (v ^ s)
		*sum = s
		*seen.At(int(g)) = true
	}
	if acc < 0 {
		return sqlerr.New(sqlerr.ErrOverflow, "BIGINT overflow in sum()")
	}
	return nil
}

func (a *sumIntAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[int64](mem, to-from)
	copyOut(out, &a.sums, from, to)
	validity, nulls := seenValidityOf(mem, &a.seen, from, to)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, to-from, validity, nulls, buf)
}

type sumFloatAcc struct {
	sums paged.Vec[float64]
	seen paged.Vec[bool]
}

func (a *sumFloatAcc) resize(t *Task, n int) error { return growState(t, n, &a.sums, &a.seen) }

func (a *sumFloatAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	fl, ok := arg.(*array.Float64)
	if !ok {
		return nil
	}
	nulls := arg.NullN() > 0
	sums, seen := a.sums.View(), a.seen.View()
	for i, v := range fl.Float64Values() {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := int32(0)
		if gids != nil {
			g = gids[i]
		}
		*sums.At(int(g)) += v
		*seen.At(int(g)) = true
	}
	return nil
}

func (a *sumFloatAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[float64](mem, to-from)
	copyOut(out, &a.sums, from, to)
	validity, nulls := seenValidityOf(mem, &a.seen, from, to)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, to-from, validity, nulls, buf)
}

// sumDecAcc sums decimals in 128 bits and checks the 38-digit bound.
type sumDecAcc struct {
	out  types.T
	sums paged.Vec[decimal128.Num]
	seen paged.Vec[bool]
	wide bool // a value added was not narrow: see addNarrow
	// Groups below seenN have a value, though their seen flags may not
	// be set. While every batch takes addNarrow (no NULLs), each group
	// gets a value from the row that made it, so seenN follows the group
	// count and no flag is written; the first batch that does not
	// (sparse) stops that.
	seenN  int
	sparse bool
}

func (a *sumDecAcc) resize(t *Task, n int) error { return growState(t, n, &a.sums, &a.seen) }

func (a *sumDecAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	d, ok := arg.(*array.Decimal128)
	if !ok {
		return nil
	}
	nulls := arg.NullN() > 0
	sums, seen := a.sums.View(), a.seen.View()
	if addNarrow(&a.sums, a.wide, gids, d) {
		if a.sparse {
			markSeen(&a.seen, gids)
		} else {
			a.seenN = a.sums.Len()
		}
		return nil
	}
	a.sparse = true
	bad := false
	var wide uint64
	for i, v := range d.Values() {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := int32(0)
		if gids != nil {
			g = gids[i]
		}
		sum := sums.At(int(g))
		s, ovf := types.AddInt128(*sum, v)
		bad = bad || ovf
		wide |= types.NotNarrow(v)
		*sum = s
		*seen.At(int(g)) = true
	}
	a.wide = a.wide || wide != 0
	if bad {
		return sqlerr.New(sqlerr.ErrOverflow, "%s overflow in sum()", a.out)
	}
	return nil
}

func (a *sumDecAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[decimal128.Num](mem, to-from)
	copyOut(out, &a.sums, from, to)
	validity, nulls := seenPrefixValidityOf(mem, &a.seen, a.seenN, from, to)
	return vector.NewFixedArray(a.out.Arrow(), to-from, validity, nulls, buf)
}

// addNarrow adds the values of d into sums[gids[i]] with no overflow
// check, when it can, and reports whether it did. It can when the batch
// has no NULLs and every value is narrow (types.NotNarrow; a type of at
// most 18 digits holds only narrow values), and every value added before
// was narrow too (wide false): no state is then beyond 2^62 times the rows
// seen, and a 128-bit sum of narrow values cannot overflow before 2^65
// rows. Q1's sums of products, typed DECIMAL(31,4) and (38,6), hold only
// narrow values.
func addNarrow(sums *paged.Vec[decimal128.Num], wide bool, gids []int32, d *array.Decimal128) bool {
	if gids == nil || wide || d.NullN() > 0 {
		return false
	}
	vals := d.Values()
	if smallLanes(sums, gids) && addSmallInLanes(sums.One()[:sums.Len()], gids, vals, !smallType(d)) {
		return true
	}
	if d.DataType().(*arrow.Decimal128Type).Precision > 18 && !types.AllNarrow(vals) {
		return false
	}
	addNarrowDecimals(sums, gids, vals)
	return true
}

// smallType reports whether d's type holds only small values: at most 15
// digits (10^15 < types.SmallBound).
func smallType(d *array.Decimal128) bool {
	return d.DataType().(*arrow.Decimal128Type).Precision <= 15
}

// smallLanes reports whether a batch of gids may take the small-value lane
// kernels: one page of states, few groups, and at most SmallRows rows.
func smallLanes(sums *paged.Vec[decimal128.Num], gids []int32) bool {
	return sums.One() != nil && useLanes(sums.Len(), len(gids)) && len(gids) <= types.SmallRows
}

// addNarrowDecimals adds vals[i] into sums[gids[i]] without overflow checks
// (see addNarrow): the inner loop of Q1's seven decimal aggregates.
func addNarrowDecimals(v *paged.Vec[decimal128.Num], gids []int32, vals []decimal128.Num) {
	vals = vals[:len(gids)]
	if one := v.One(); one != nil {
		if useLanes(v.Len(), len(gids)) {
			addDecimalsInLanes(one[:v.Len()], gids, vals)
			return
		}
		for i, g := range gids {
			s, x := one[g], vals[i]
			lo, carry := bits.Add64(s.LowBits(), x.LowBits(), 0)
			one[g] = decimal128.New(s.HighBits()+x.HighBits()+int64(carry), lo)
		}
		return
	}
	sums := v.View()
	for i, g := range gids {
		sum := sums.At(int(g))
		s, v := *sum, vals[i]
		lo, carry := bits.Add64(s.LowBits(), v.LowBits(), 0)
		*sum = decimal128.New(s.HighBits()+v.HighBits()+int64(carry), lo)
	}
}

// avgAcc keeps an exact sum (128-bit for integers and decimals) and a count,
// and divides in double precision at the end.
type avgAcc struct {
	kind   types.Kind
	scale  int
	wide   bool // see addNarrow
	sums   paged.Vec[decimal128.Num]
	fsums  paged.Vec[float64]
	counts paged.Vec[int64]
	hist   *groupHist // the aggregate's, or nil
	// sumOf, when set, is a SUM over the same DECIMAL argument in the
	// same aggregate (Q1 has SUM and AVG of l_quantity and of
	// l_extendedprice): its sums are this average's, and only the counts
	// are kept here.
	sumOf *sumDecAcc
}

func (a *avgAcc) resize(t *Task, n int) error {
	switch {
	case a.sumOf != nil:
		return growState(t, n, &a.counts)
	case a.kind == types.Float64:
		return growState(t, n, &a.counts, &a.fsums)
	}
	return growState(t, n, &a.counts, &a.sums)
}

// decimalSums is the sums of a DECIMAL average: its own, or those of the
// SUM it shares them with.
func (a *avgAcc) decimalSums() *paged.Vec[decimal128.Num] {
	if a.sumOf != nil {
		return &a.sumOf.sums
	}
	return &a.sums
}

// countValid adds to the counts of the groups the rows of arg that are
// not NULL: all an average that shares its sums does per batch.
func (a *avgAcc) countValid(gids []int32, arg arrow.Array) {
	switch {
	case gids == nil:
		*a.counts.At(0) += int64(arg.Len() - arg.NullN())
	case arg.NullN() == 0:
		countGroups(&a.counts, gids, a.hist)
	default:
		counts := a.counts.View()
		for i, g := range gids {
			if arg.IsValid(i) {
				*counts.At(int(g))++
			}
		}
	}
}

func (a *avgAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	if a.sumOf != nil {
		a.countValid(gids, arg)
		return nil
	}
	nulls := arg.NullN() > 0
	gid := func(i int) int32 {
		if gids == nil {
			return 0
		}
		return gids[i]
	}
	sums, fsums, counts := a.sums.View(), a.fsums.View(), a.counts.View()
	switch v := arg.(type) {
	case *array.Float64:
		for i, x := range v.Float64Values() {
			if !nulls || v.IsValid(i) {
				g := gid(i)
				*fsums.At(int(g)) += x
				*counts.At(int(g))++
			}
		}
	case *array.Int64:
		for i, x := range v.Int64Values() {
			if !nulls || v.IsValid(i) {
				g := gid(i)
				sum := sums.At(int(g))
				*sum, _ = types.AddInt128(*sum, decimal128.FromI64(x))
				*counts.At(int(g))++
			}
		}
	case *array.Decimal128:
		if addNarrow(&a.sums, a.wide, gids, v) {
			countGroups(&a.counts, gids, a.hist)
			return nil
		}
		bad := false
		var wide uint64
		for i, x := range v.Values() {
			if !nulls || v.IsValid(i) {
				g := gid(i)
				sum := sums.At(int(g))
				s, ovf := types.AddInt128(*sum, x)
				bad = bad || ovf
				wide |= types.NotNarrow(x)
				*sum = s
				*counts.At(int(g))++
			}
		}
		a.wide = a.wide || wide != 0
		if bad {
			return sqlerr.New(sqlerr.ErrOverflow, "DECIMAL overflow in avg()")
		}
	}
	return nil
}

// merge folds partial AVG states (sums and counts) into the groups.
func (a *avgAcc) merge(gids []int32, sums, counts arrow.Array) error {
	cnt := counts.(*array.Int64).Int64Values()
	gid := func(i int) int32 {
		if gids == nil {
			return 0
		}
		return gids[i]
	}
	mySums, myFsums, myCounts := a.sums.View(), a.fsums.View(), a.counts.View()
	switch v := sums.(type) {
	case *array.Float64:
		for i, x := range v.Float64Values() {
			if v.IsValid(i) {
				g := gid(i)
				*myFsums.At(int(g)) += x
				*myCounts.At(int(g)) += cnt[i]
			}
		}
	case *array.Decimal128:
		a.wide = true // partial sums are not bounded as values are
		bad := false
		for i, x := range v.Values() {
			if v.IsValid(i) {
				g := gid(i)
				sum := mySums.At(int(g))
				s, ovf := types.AddInt128(*sum, x)
				bad = bad || ovf
				*sum = s
				*myCounts.At(int(g)) += cnt[i]
			}
		}
		if bad {
			return sqlerr.New(sqlerr.ErrOverflow, "DECIMAL overflow in avg()")
		}
	}
	return nil
}

// states returns the partial AVG states of groups [from, to): the sums
// (NULL for a group without values) and the counts.
func (a *avgAcc) states(mem memory.Allocator, from, to int) (arrow.Array, arrow.Array) {
	n := to - from
	cbuf, cnt := vector.AllocValues[int64](mem, n)
	copyOut(cnt, &a.counts, from, to)
	seen := make([]bool, n)
	for i, c := range cnt {
		seen[i] = c > 0
	}
	counts := vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, cbuf)
	validity, nulls := seenValidity(mem, seen)
	if a.kind == types.Float64 {
		buf, out := vector.AllocValues[float64](mem, n)
		copyOut(out, &a.fsums, from, to)
		return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf), counts
	}
	buf, out := vector.AllocValues[decimal128.Num](mem, n)
	copyOut(out, a.decimalSums(), from, to)
	t := types.DecimalType(types.MaxDecimalPrecision, a.scale)
	return vector.NewFixedArray(t.Arrow(), n, validity, nulls, buf), counts
}

func (a *avgAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	n := to - from
	buf, out := vector.AllocValues[float64](mem, n)
	seen := make([]bool, n)
	sums := a.decimalSums()
	for i := range out {
		c := a.counts.Get(from + i)
		if c == 0 {
			continue
		}
		seen[i] = true
		if a.kind == types.Float64 {
			out[i] = a.fsums.Get(from+i) / float64(c)
		} else {
			out[i] = types.DecimalToFloat64(sums.Get(from+i), a.scale) / float64(c)
		}
	}
	validity, nulls := seenValidity(mem, seen)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf)
}

func (a *countAcc) memBytes() int64    { return a.counts.Bytes() }
func (a *sumIntAcc) memBytes() int64   { return a.sums.Bytes() + a.seen.Bytes() }
func (a *sumFloatAcc) memBytes() int64 { return a.sums.Bytes() + a.seen.Bytes() }
func (a *sumDecAcc) memBytes() int64   { return a.sums.Bytes() + a.seen.Bytes() }
func (a *avgAcc) memBytes() int64      { return a.sums.Bytes() + a.fsums.Bytes() + a.counts.Bytes() }

// shareSums points every DECIMAL AVG at a SUM of the same argument, when
// the aggregate has one: the sum is then added up once.
func shareSums(aggs []AggSpec, accs []accumulator) {
	for i, spec := range aggs {
		avg, ok := accs[i].(*avgAcc)
		if !ok || spec.Kind != AggAvg || avg.kind != types.Decimal {
			continue
		}
		for j, other := range aggs {
			if sum, ok := accs[j].(*sumDecAcc); ok && other.Kind == AggSum && other.Fused == nil && other.Arg == spec.Arg {
				avg.sumOf = sum
				break
			}
		}
	}
}
