package operators

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// rangeKeys holds the order key of a RANGE frame with an offset, one value
// per row, so that its bounds can compare a row's key with another's plus
// the offset: integers and dates as 128-bit integers (no sum of two
// overflows), decimals as they are, doubles as doubles. Under an INTERVAL
// offset, dates and timestamps are microseconds, which the interval moves
// by the calendar.
type rangeKeys struct {
	float  bool
	micros bool
	desc   bool
	dec    paged.Vec[decimal128.Num]
	flt    paged.Vec[float64]
	nulls  paged.Vec[bool]
}

// rangeTarget is a key value plus an offset; sat is +1 or -1 when that
// left the 128-bit range (every key is then before, or after, it).
type rangeTarget struct {
	dec decimal128.Num
	flt float64
	sat int8
}

func (w *Window) newRangeKeys(t *Task, key SortKey, interval bool) (*rangeKeys, error) {
	kind := types.MustFromArrow(w.child.Schema().Field(key.Col).Type).Kind
	k := &rangeKeys{float: kind == types.Float64, micros: interval, desc: key.Desc}
	for _, b := range w.batches {
		a := b.Column(key.Col)
		n := a.Len()
		if err := k.nulls.Reserve(t, n); err != nil {
			return nil, err
		}
		if k.float {
			if err := k.flt.Reserve(t, n); err != nil {
				return nil, err
			}
		} else if err := k.dec.Reserve(t, n); err != nil {
			return nil, err
		}
		for i := range n {
			k.nulls.Append(a.IsNull(i))
			switch a := a.(type) {
			case *array.Int64:
				k.dec.Append(decimal128.FromI64(a.Value(i)))
			case *array.Date32:
				if interval {
					us, ok := types.TimestampFromDays(int32(a.Value(i)))
					if !ok && a.IsValid(i) {
						return nil, sqlerr.New(sqlerr.ErrOverflow, "window: date %s is beyond the TIMESTAMP range an INTERVAL frame needs", types.FormatDate(int32(a.Value(i))))
					}
					k.dec.Append(decimal128.FromI64(us))
				} else {
					k.dec.Append(decimal128.FromI64(int64(a.Value(i))))
				}
			case *array.Timestamp:
				k.dec.Append(decimal128.FromI64(int64(a.Value(i))))
			case *array.Decimal128:
				k.dec.Append(a.Value(i))
			case *array.Float64:
				k.flt.Append(a.Value(i))
			default:
				return nil, fmt.Errorf("window: RANGE offsets over %s keys", a.DataType())
			}
		}
		if err := t.Spend(n); err != nil {
			return nil, err
		}
	}
	return k, nil
}

func (k *rangeKeys) bytes() int64 {
	if k == nil {
		return 0
	}
	return k.dec.Bytes() + k.flt.Bytes() + k.nulls.Bytes()
}

func (k *rangeKeys) null(r int64) bool { return k != nil && k.nulls.Get(int(r)) }

// nonNull returns the rows of the partition [ps, pe) whose key is not
// NULL: the NULLs sort together at one end.
func (k *rangeKeys) nonNull(ps, pe int64) (int64, int64) {
	for ps < pe && k.null(ps) {
		ps++
	}
	for pe > ps && k.null(pe-1) {
		pe--
	}
	return ps, pe
}

// shift is row r's key moved by bound b's offset in the direction of the
// order: PRECEDING goes towards the rows before.
func (k *rangeKeys) shift(r int64, b FrameBound) rangeTarget {
	back := (b.Kind == Preceding) != k.desc
	if k.float {
		x := k.flt.Get(int(r))
		if back {
			return rangeTarget{flt: x - b.Float}
		}
		return rangeTarget{flt: x + b.Float}
	}
	x := k.dec.Get(int(r))
	if b.Interval {
		return k.shiftInterval(int64(x.LowBits()), b, back)
	}
	var v decimal128.Num
	var ovf bool
	if back {
		v, ovf = types.SubInt128(x, b.Dec)
	} else {
		v, ovf = types.AddInt128(x, b.Dec)
	}
	switch {
	case !ovf:
		return rangeTarget{dec: v}
	case back:
		return rangeTarget{sat: -1}
	}
	return rangeTarget{sat: 1}
}

// before reports whether row i's key comes before target in the order (or
// is equal to it, with orEqual).
func (k *rangeKeys) before(i int64, target rangeTarget, orEqual bool) bool {
	var c int
	switch {
	case target.sat != 0:
		c = -int(target.sat)
	case k.float:
		c = cmpFloat(k.flt.Get(int(i)), target.flt)
	default:
		c = k.dec.Get(int(i)).Cmp(target.dec)
	}
	if k.desc {
		c = -c
	}
	return c < 0 || orEqual && c == 0
}

// shiftInterval moves a key of microseconds by an INTERVAL, backwards by
// subtracting each part, as DuckDB computes key - interval.
func (k *rangeKeys) shiftInterval(us int64, b FrameBound, back bool) rangeTarget {
	sign := int64(1)
	if back {
		sign = -1
	}
	v, ok := types.AddInterval(us, sign*b.Months, sign*b.Days, sign*b.Micros)
	switch {
	case ok:
		return rangeTarget{dec: decimal128.FromI64(v)}
	case back:
		return rangeTarget{sat: -1}
	}
	return rangeTarget{sat: 1}
}
