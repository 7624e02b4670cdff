package parquetsrc

import (
	"math"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// Op is the comparison of a Predicate.
type Op uint8

const (
	Eq      Op = iota // col = Values[0]
	Lt                // col < Values[0]
	Le                // col <= Values[0]
	Gt                // col > Values[0]
	Ge                // col >= Values[0]
	Between           // Values[0] <= col <= Values[1]
	In                // col IN (Values...)
)

// Predicate is a comparison of column Col (an index into Schema) with
// constants. Values must have the column's engine Go type (int64, float64,
// decimal128.Num at the column's scale, string, arrow.Date32,
// arrow.Timestamp, bool); a predicate with a value of another type, or
// with the wrong number of values, prunes nothing. A nil value is SQL NULL: no row satisfies a
// comparison with it, so it matches nothing (and is ignored inside In).
type Predicate struct {
	Col    int
	Op     Op
	Values []any
}

// Prune returns, in order, the row groups that may contain rows satisfying
// all the predicates. Row groups are dropped only on proof from their
// statistics: a column that is entirely NULL (comparisons are never true on
// NULL) or whose [min, max] range excludes the predicate. Missing statistics
// keep the row group.
func (f *File) Prune(preds []Predicate) []int {
	keep := make([]int, 0, len(f.rgRows))
	for rg := range f.rgRows {
		if f.mayMatchAll(rg, preds) {
			keep = append(keep, rg)
		}
	}
	return keep
}

func (f *File) mayMatchAll(rg int, preds []Predicate) bool {
	for _, p := range preds {
		if p.Col < 0 || p.Col >= len(f.cols) {
			continue
		}
		if !mayMatch(f.stats[rg][p.Col], p) {
			return false
		}
	}
	return true
}

// mayMatch reports whether a chunk with statistics s may hold a value
// satisfying p.
func mayMatch(s ColumnStats, p Predicate) bool {
	if s.HasNullCount && s.NullCount >= s.Rows {
		return false // only NULLs (or no rows at all)
	}
	switch p.Op {
	case Between:
		if len(p.Values) != 2 {
			return true
		}
		if p.Values[0] == nil || p.Values[1] == nil {
			return false
		}
		if !s.HasMinMax {
			return true
		}
		// max >= lo && min <= hi
		return cmpAtLeast(s.Max, p.Values[0], 0) && cmpAtMost(s.Min, p.Values[1], 0)
	case In:
		for _, v := range p.Values {
			if v == nil {
				continue
			}
			if !s.HasMinMax || mayEqual(s, v) {
				return true
			}
		}
		return false
	case Eq, Lt, Le, Gt, Ge:
		if len(p.Values) != 1 {
			return true
		}
		v := p.Values[0]
		if v == nil {
			return false
		}
		if !s.HasMinMax {
			return true
		}
		switch p.Op {
		case Eq:
			return mayEqual(s, v)
		case Lt: // min < v
			return cmpAtMost(s.Min, v, -1)
		case Le: // min <= v
			return cmpAtMost(s.Min, v, 0)
		case Gt: // max > v
			return cmpAtLeast(s.Max, v, 1)
		case Ge: // max >= v
			return cmpAtLeast(s.Max, v, 0)
		}
	}
	return true
}

func mayEqual(s ColumnStats, v any) bool {
	return cmpAtMost(s.Min, v, 0) && cmpAtLeast(s.Max, v, 0)
}

// cmpAtMost reports compare(a, b) <= limit; cmpAtLeast reports
// compare(a, b) >= limit. Both are true (keep) when the values cannot be
// compared.
func cmpAtMost(a, b any, limit int) bool {
	c, ok := compare(a, b)
	return !ok || c <= limit
}

func cmpAtLeast(a, b any, limit int) bool {
	c, ok := compare(a, b)
	return !ok || c >= limit
}

// compare orders two engine values of the same Go type; ok is false for
// values of different types and for NaN.
func compare(a, b any) (int, bool) {
	switch x := a.(type) {
	case int64:
		y, ok := b.(int64)
		return cmpOrdered(x, y), ok
	case float64:
		y, ok := b.(float64)
		if !ok || math.IsNaN(y) {
			return 0, false
		}
		return cmpOrdered(x, y), true
	case decimal128.Num:
		y, ok := b.(decimal128.Num)
		return x.Cmp(y), ok
	case string:
		y, ok := b.(string)
		return strings.Compare(x, y), ok
	case arrow.Date32:
		y, ok := b.(arrow.Date32)
		return cmpOrdered(x, y), ok
	case arrow.Timestamp:
		y, ok := b.(arrow.Timestamp)
		return cmpOrdered(x, y), ok
	case bool:
		y, ok := b.(bool)
		return cmpOrdered(boolInt(x), boolInt(y)), ok
	}
	return 0, false
}

func cmpOrdered[T int64 | float64 | arrow.Date32 | arrow.Timestamp | int](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
