package catalog

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
)

var (
	_ RangeEstimator = (*ParquetTable)(nil)
	_ RangeEstimator = (*RangeTable)(nil)
)

// ValueRange is the range of the column's row-group bounds, when every row
// group has them.
func (p *ParquetTable) ValueRange(col int) (lo, hi float64, ok bool) {
	scale := 0
	if d, isDec := p.f.Schema().Field(col).Type.(*arrow.Decimal128Type); isDec {
		scale = int(d.Scale)
	}
	for rg := 0; rg < p.f.NumRowGroups(); rg++ {
		st := p.f.Stats(rg, col)
		if !st.HasMinMax {
			return 0, 0, false
		}
		l, okL := boundFloat(st.Min, scale)
		h, okH := boundFloat(st.Max, scale)
		if !okL || !okH {
			return 0, 0, false
		}
		if rg == 0 || l < lo {
			lo = l
		}
		if rg == 0 || h > hi {
			hi = h
		}
	}
	return lo, hi, p.f.NumRowGroups() > 0
}

// boundFloat converts a statistics bound of a numeric or date column.
func boundFloat(v any, scale int) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case arrow.Date32:
		return float64(x), true
	case decimal128.Num:
		return types.DecimalToFloat64(x, scale), true
	}
	return 0, false
}

// ValueRange is the range of the generated values.
func (r *RangeTable) ValueRange(int) (lo, hi float64, ok bool) {
	n := r.rows()
	if n == 0 {
		return 0, 0, false
	}
	first := float64(r.start)
	last := first + float64(n-1)*float64(r.step)
	return min(first, last), max(first, last), true
}

// valueRange is a column's cached range; ok false when it has none.
type valueRange struct {
	lo, hi float64
	ok     bool
}

var _ RangeEstimator = (*MemTable)(nil)

// ValueRange reads the column once (then caches the range): numeric and
// date columns with at least one non-NULL value have one.
func (m *MemTable) ValueRange(col int) (lo, hi float64, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, cached := m.ranges[col]; cached {
		return r.lo, r.hi, r.ok
	}
	var r valueRange
	for _, b := range m.batches {
		l, h, has := arrayRange(b.Column(col))
		if !has {
			continue
		}
		if !r.ok || l < r.lo {
			r.lo = l
		}
		if !r.ok || h > r.hi {
			r.hi = h
		}
		r.ok = true
	}
	if m.ranges == nil {
		m.ranges = map[int]valueRange{}
	}
	m.ranges[col] = r
	return r.lo, r.hi, r.ok
}

// arrayRange is the range of an array's non-NULL numeric or date values.
func arrayRange(a arrow.Array) (lo, hi float64, ok bool) {
	var at func(i int) float64
	switch x := a.(type) {
	case *array.Int64:
		at = func(i int) float64 { return float64(x.Value(i)) }
	case *array.Date32:
		at = func(i int) float64 { return float64(x.Value(i)) }
	case *array.Timestamp:
		at = func(i int) float64 { return float64(x.Value(i)) }
	case *array.Float64:
		at = func(i int) float64 { return x.Value(i) }
	case *array.Decimal128:
		scale := int(x.DataType().(*arrow.Decimal128Type).Scale)
		at = func(i int) float64 { return types.DecimalToFloat64(x.Value(i), scale) }
	default:
		return 0, 0, false
	}
	for i := 0; i < a.Len(); i++ {
		if a.IsNull(i) {
			continue
		}
		v := at(i)
		if v != v { // NaN orders nowhere in a range
			continue
		}
		if !ok || v < lo {
			lo = v
		}
		if !ok || v > hi {
			hi = v
		}
		ok = true
	}
	return lo, hi, ok
}
