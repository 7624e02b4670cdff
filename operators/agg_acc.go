package operators

import (
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
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

func newAccumulator(spec AggSpec) (accumulator, error) {
	if spec.Kind == AggAvgMerge {
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
	}
	if acc == nil {
		return nil, sqlerr.New(sqlerr.ErrType, "%s is not defined for %s", spec.Kind, spec.In)
	}
	if spec.Distinct && spec.Kind != AggMin && spec.Kind != AggMax {
		acc = newDistinctAcc(acc, spec.In)
	}
	return acc, nil
}

// growChecked is grow for state that can reach tens of millions of
// entries: when it must move s, it copies in chunks with a budget spend
// between them.
func growChecked[T any](t *Task, s []T, n int) ([]T, error) {
	if len(s) >= n {
		return s, nil
	}
	if cap(s) >= n {
		return s[:n], nil
	}
	out := make([]T, n, max(n, 2*cap(s)))
	const chunk = 64 << 10
	for from := 0; from < len(s); from += chunk {
		to := min(from+chunk, len(s))
		copy(out[from:to], s[from:to])
		if err := t.Spend(to - from); err != nil {
			return s, err
		}
	}
	return out, nil
}

// growBoth grows two per-group slices together.
func growBoth[A, B any](t *Task, a []A, b []B, n int) ([]A, []B, error) {
	a, err := growChecked(t, a, n)
	if err != nil {
		return a, b, err
	}
	b, err = growChecked(t, b, n)
	return a, b, err
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

// seenValidity turns per-group "has a value" flags into a validity bitmap.
func seenValidity(mem memory.Allocator, seen []bool) (*memory.Buffer, int) {
	nulls := 0
	for _, s := range seen {
		if !s {
			nulls++
		}
	}
	if nulls == 0 {
		return nil, 0
	}
	buf, b := vector.AllocBitmap(mem, len(seen))
	for i, s := range seen {
		if s {
			b[i>>3] |= 1 << (i & 7)
		}
	}
	return buf, nulls
}

type countAcc struct {
	star   bool
	counts []int64
}

func (a *countAcc) resize(t *Task, n int) (err error) {
	a.counts, err = growChecked(t, a.counts, n)
	return err
}

func (a *countAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	if gids == nil {
		if a.star {
			a.counts[0] += int64(arg.Len())
		} else {
			a.counts[0] += int64(arg.Len() - arg.NullN())
		}
		return nil
	}
	if a.star || arg.NullN() == 0 {
		for _, g := range gids {
			a.counts[g]++
		}
		return nil
	}
	for i, g := range gids {
		if arg.IsValid(i) {
			a.counts[g]++
		}
	}
	return nil
}

func (a *countAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[int64](mem, to-from)
	copy(out, a.counts[from:to])
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, to-from, nil, 0, buf)
}

type sumIntAcc struct {
	sums []int64
	seen []bool
}

func (a *sumIntAcc) resize(t *Task, n int) (err error) {
	a.sums, a.seen, err = growBoth(t, a.sums, a.seen, n)
	return err
}

func (a *sumIntAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	ints, ok := arg.(*array.Int64)
	if !ok { // all-NULL argument
		return nil
	}
	vals := ints.Int64Values()
	nulls := arg.NullN() > 0
	var acc int64
	for i, v := range vals {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := int32(0)
		if gids != nil {
			g = gids[i]
		}
		s := a.sums[g] + v
		acc |= (a.sums[g] ^ s) & (v ^ s)
		a.sums[g] = s
		a.seen[g] = true
	}
	if acc < 0 {
		return sqlerr.New(sqlerr.ErrOverflow, "BIGINT overflow in sum()")
	}
	return nil
}

func (a *sumIntAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[int64](mem, to-from)
	copy(out, a.sums[from:to])
	validity, nulls := seenValidity(mem, a.seen[from:to])
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, to-from, validity, nulls, buf)
}

type sumFloatAcc struct {
	sums []float64
	seen []bool
}

func (a *sumFloatAcc) resize(t *Task, n int) (err error) {
	a.sums, a.seen, err = growBoth(t, a.sums, a.seen, n)
	return err
}

func (a *sumFloatAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	fl, ok := arg.(*array.Float64)
	if !ok {
		return nil
	}
	nulls := arg.NullN() > 0
	for i, v := range fl.Float64Values() {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := int32(0)
		if gids != nil {
			g = gids[i]
		}
		a.sums[g] += v
		a.seen[g] = true
	}
	return nil
}

func (a *sumFloatAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[float64](mem, to-from)
	copy(out, a.sums[from:to])
	validity, nulls := seenValidity(mem, a.seen[from:to])
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, to-from, validity, nulls, buf)
}

// sumDecAcc sums decimals in 128 bits and checks the 38-digit bound.
type sumDecAcc struct {
	out  types.T
	sums []decimal128.Num
	seen []bool
}

func (a *sumDecAcc) resize(t *Task, n int) (err error) {
	a.sums, a.seen, err = growBoth(t, a.sums, a.seen, n)
	return err
}

func (a *sumDecAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	d, ok := arg.(*array.Decimal128)
	if !ok {
		return nil
	}
	nulls := arg.NullN() > 0
	if !nulls && gids != nil && narrowDecimal(d) {
		addNarrowDecimals(a.sums, gids, d.Values())
		for _, g := range gids {
			a.seen[g] = true
		}
		return nil
	}
	bad := false
	for i, v := range d.Values() {
		if nulls && arg.IsNull(i) {
			continue
		}
		g := int32(0)
		if gids != nil {
			g = gids[i]
		}
		s, ovf := types.AddInt128(a.sums[g], v)
		bad = bad || ovf
		a.sums[g] = s
		a.seen[g] = true
	}
	if bad {
		return sqlerr.New(sqlerr.ErrOverflow, "%s overflow in sum()", a.out)
	}
	return nil
}

func (a *sumDecAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	buf, out := vector.AllocValues[decimal128.Num](mem, to-from)
	copy(out, a.sums[from:to])
	validity, nulls := seenValidity(mem, a.seen[from:to])
	return vector.NewFixedArray(a.out.Arrow(), to-from, validity, nulls, buf)
}

// narrowDecimal reports whether d's type has at most 18 digits. Such values
// are below 2^60 in magnitude, so a 128-bit sum of them cannot overflow
// before 2^67 rows: their sums need no overflow check.
func narrowDecimal(d *array.Decimal128) bool {
	return d.DataType().(*arrow.Decimal128Type).Precision <= 18
}

// addNarrowDecimals adds vals[i] into sums[gids[i]] without overflow checks
// (see narrowDecimal): the inner loop of q1's five decimal aggregates.
func addNarrowDecimals(sums []decimal128.Num, gids []int32, vals []decimal128.Num) {
	vals = vals[:len(gids)]
	for i, g := range gids {
		s, v := sums[g], vals[i]
		lo, carry := bits.Add64(s.LowBits(), v.LowBits(), 0)
		sums[g] = decimal128.New(s.HighBits()+v.HighBits()+int64(carry), lo)
	}
}

// avgAcc keeps an exact sum (128-bit for integers and decimals) and a count,
// and divides in double precision at the end.
type avgAcc struct {
	kind   types.Kind
	scale  int
	sums   []decimal128.Num
	fsums  []float64
	counts []int64
}

func (a *avgAcc) resize(t *Task, n int) (err error) {
	if a.kind == types.Float64 {
		a.counts, a.fsums, err = growBoth(t, a.counts, a.fsums, n)
	} else {
		a.counts, a.sums, err = growBoth(t, a.counts, a.sums, n)
	}
	return err
}

func (a *avgAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	nulls := arg.NullN() > 0
	gid := func(i int) int32 {
		if gids == nil {
			return 0
		}
		return gids[i]
	}
	switch v := arg.(type) {
	case *array.Float64:
		for i, x := range v.Float64Values() {
			if !nulls || v.IsValid(i) {
				g := gid(i)
				a.fsums[g] += x
				a.counts[g]++
			}
		}
	case *array.Int64:
		for i, x := range v.Int64Values() {
			if !nulls || v.IsValid(i) {
				g := gid(i)
				a.sums[g], _ = types.AddInt128(a.sums[g], decimal128.FromI64(x))
				a.counts[g]++
			}
		}
	case *array.Decimal128:
		if !nulls && gids != nil && narrowDecimal(v) {
			addNarrowDecimals(a.sums, gids, v.Values())
			for _, g := range gids {
				a.counts[g]++
			}
			return nil
		}
		bad := false
		for i, x := range v.Values() {
			if !nulls || v.IsValid(i) {
				g := gid(i)
				s, ovf := types.AddInt128(a.sums[g], x)
				bad = bad || ovf
				a.sums[g] = s
				a.counts[g]++
			}
		}
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
	switch v := sums.(type) {
	case *array.Float64:
		for i, x := range v.Float64Values() {
			if v.IsValid(i) {
				g := gid(i)
				a.fsums[g] += x
				a.counts[g] += cnt[i]
			}
		}
	case *array.Decimal128:
		bad := false
		for i, x := range v.Values() {
			if v.IsValid(i) {
				g := gid(i)
				s, ovf := types.AddInt128(a.sums[g], x)
				bad = bad || ovf
				a.sums[g] = s
				a.counts[g] += cnt[i]
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
	seen := make([]bool, n)
	for i := range seen {
		seen[i] = a.counts[from+i] > 0
	}
	cbuf, cnt := vector.AllocValues[int64](mem, n)
	copy(cnt, a.counts[from:to])
	counts := vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, cbuf)
	validity, nulls := seenValidity(mem, seen)
	if a.kind == types.Float64 {
		buf, out := vector.AllocValues[float64](mem, n)
		copy(out, a.fsums[from:to])
		return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf), counts
	}
	buf, out := vector.AllocValues[decimal128.Num](mem, n)
	copy(out, a.sums[from:to])
	t := types.DecimalType(types.MaxDecimalPrecision, a.scale)
	return vector.NewFixedArray(t.Arrow(), n, validity, nulls, buf), counts
}

func (a *avgAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	n := to - from
	buf, out := vector.AllocValues[float64](mem, n)
	seen := make([]bool, n)
	for i := range out {
		c := a.counts[from+i]
		if c == 0 {
			continue
		}
		seen[i] = true
		if a.kind == types.Float64 {
			out[i] = a.fsums[from+i] / float64(c)
		} else {
			out[i] = types.DecimalToFloat64(a.sums[from+i], a.scale) / float64(c)
		}
	}
	validity, nulls := seenValidity(mem, seen)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, validity, nulls, buf)
}

func (a *countAcc) memBytes() int64    { return int64(cap(a.counts)) * 8 }
func (a *sumIntAcc) memBytes() int64   { return int64(cap(a.sums))*8 + int64(cap(a.seen)) }
func (a *sumFloatAcc) memBytes() int64 { return int64(cap(a.sums))*8 + int64(cap(a.seen)) }
func (a *sumDecAcc) memBytes() int64   { return int64(cap(a.sums))*16 + int64(cap(a.seen)) }
func (a *avgAcc) memBytes() int64 {
	return int64(cap(a.sums))*16 + int64(cap(a.fsums))*8 + int64(cap(a.counts))*8
}
