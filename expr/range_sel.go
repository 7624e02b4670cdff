package expr

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// A filter's later conjuncts see only the rows the earlier ones kept.
// Evaluated as expressions, they need those rows gathered into arrays
// first: Q6's l_discount and l_quantity tests copied the 16-byte values of
// the 15% of lineitem its date range keeps, a row at a time, and then
// compared the copies. A conjunct that is a range (or one comparison) of
// a column with constants needs no copy: KeepInRange reads the kept
// rows' values where they are and narrows the selection directly.

// Range is the predicate Lo <= x <= Hi over column Col of a batch, of a
// BIGINT, DATE, TIMESTAMP or narrow DECIMAL column (by its low words).
// A NULL x fails it.
type Range struct {
	Col    int
	Lo, Hi int64
	Empty  bool // no value passes
}

// RangeOf returns the range a compiled predicate tests, when it is one:
// a conjunction of comparisons of one column with constants (rangeEval),
// or one such comparison other than <>.
func RangeOf(e Evaluator) (Range, bool) {
	switch r := e.(type) {
	case *rangeEval:
		c, ok := r.col.(*colEval)
		if !ok {
			return Range{}, false
		}
		return Range{Col: c.idx, Lo: r.lo, Hi: r.hi, Empty: r.empty}, true
	case *binaryEval:
		if !r.op.IsComparison() {
			return Range{}, false
		}
		col, okc := r.l.(*colEval)
		k, okk := r.r.(*constEval)
		op := r.op
		if !okc || !okk {
			col, okc = r.r.(*colEval)
			k, okk = r.l.(*constEval)
			op = op.Flip()
		}
		if !okc || !okk || !k.d.Valid || k.t.Kind != col.t.Kind {
			return Range{}, false
		}
		c, ok := rangeConstOf(col.t, k.t, k.d)
		if !ok {
			return Range{}, false
		}
		rg := Range{Col: col.idx, Lo: math.MinInt64, Hi: math.MaxInt64}
		if !narrowRange(op, c, &rg.Lo, &rg.Hi, &rg.Empty) {
			return Range{}, false
		}
		rg.Empty = rg.Empty || rg.Lo > rg.Hi
		return rg, true
	}
	return Range{}, false
}

// KeepInRange tests every row of the column, in order, unless sel holds
// few of them. The rows of a selection lie scattered over the column, and
// reading each one's value costs a cache miss at nearly every row: about
// 15 ns a row here, against about 0.6 for testing a 16-byte value of
// every row in order (a column read at the memory's bandwidth). Q6's two
// DECIMAL conjuncts, over the 15% and 4% of lineitem kept before them,
// took 12 and 4 ms at SF1 read row by row, and 3.8 each read whole. So a
// column is read whole when sel holds at least one row in denseRows(w)
// for w-byte values: one in 32 of 16-byte ones, fewer of narrower.
func denseRows(width int) int { return 512 / width }

// KeepInRange writes to out (of at least len(sel) rows) the rows of sel
// whose value in arr passes r, in order, and returns how many; false when
// arr is not of a type r can be, having written nothing. bits is scratch
// for the dense test, kept by the caller across batches.
func KeepInRange(r Range, arr arrow.Array, sel, out []int32, bits *[]byte) (int, bool) {
	if !rangeType(arr) {
		return 0, false
	}
	if r.Empty || len(sel) == 0 {
		return 0, true
	}
	out = out[:len(sel)]
	width := uint64(r.Hi) - uint64(r.Lo)
	var k int
	if n := arr.Len(); len(sel) >= n/denseRows(valueBytes(arr)) {
		if cap(*bits) < (n+7)/8 {
			*bits = make([]byte, (n+7)/8)
		}
		b := (*bits)[:(n+7)/8]
		b[len(b)-1] = 0 // the kernels OR the last byte's bits in
		inRangeBits(r, arr, b)
		k = keepSetBits(b, sel, out)
	} else {
		switch a := arr.(type) {
		case *array.Int64:
			k = keepInRange64(a.Int64Values(), r.Lo, width, sel, out)
		case *array.Timestamp:
			k = keepInRange64(a.TimestampValues(), r.Lo, width, sel, out)
		case *array.Date32:
			k = keepInRange64(a.Date32Values(), r.Lo, width, sel, out)
		case *array.Decimal128:
			k = keepInRangeNarrow(a.Values(), r.Lo, width, sel, out)
		}
	}
	if arr.NullN() > 0 {
		k = dropNulls(arr, out[:k])
	}
	return k, true
}

// rangeType reports whether a range can test arr's values.
func rangeType(arr arrow.Array) bool {
	switch a := arr.(type) {
	case *array.Int64, *array.Timestamp, *array.Date32:
		return true
	case *array.Decimal128:
		return a.DataType().(*arrow.Decimal128Type).Precision <= 18
	}
	return false
}

// valueBytes is the width of arr's values, of a type rangeType takes.
func valueBytes(arr arrow.Array) int {
	switch arr.(type) {
	case *array.Date32:
		return 4
	case *array.Decimal128:
		return 16
	}
	return 8
}

// inRangeBits sets bit i of out (zeroed, or at least its last byte) when
// row i of arr passes r: rangeEval's evaluation, and KeepInRange's test
// of a whole column.
func inRangeBits(r Range, arr arrow.Array, out []byte) {
	width := uint64(r.Hi) - uint64(r.Lo)
	switch a := arr.(type) {
	case *array.Int64:
		inRange64(a.Int64Values(), r.Lo, width, out)
	case *array.Timestamp:
		inRange64(a.TimestampValues(), r.Lo, width, out)
	case *array.Date32:
		// No DATE lies outside int32: clamp the range to it.
		lo, hi := max(r.Lo, math.MinInt32), min(r.Hi, math.MaxInt32)
		if lo > hi {
			clear(out)
			return
		}
		inRange32(a.Date32Values(), arrow.Date32(lo), uint32(hi-lo), out)
	case *array.Decimal128:
		inRangeNarrow(a.Values(), r.Lo, width, out)
	}
}

// keepSetBits writes to out the rows of sel whose bit is set in b.
func keepSetBits(b []byte, sel, out []int32) int {
	k := 0
	for _, i := range sel {
		out[k] = i
		k += int(b[i>>3] >> (i & 7) & 1)
	}
	return k
}

// keepInRange64 and keepInRangeNarrow keep row i when uint64(x - lo) <=
// width, in two passes. The first reads the values, which the rows
// leave scattered over the column (Q6's second conjunct misses the cache
// on most), and writes each verdict to its own place in out; the second
// packs the kept rows in out. One pass, writing each row at the count of
// rows kept so far, was twice as slow as gathering the values: each
// store waited on the miss before it, and the loads after it on the
// store, so the misses came one at a time.
func keepInRange64[T ~int32 | ~int64](vals []T, lo int64, width uint64, sel, out []int32) int {
	for j, i := range sel {
		out[j] = int32(b2u(uint64(int64(vals[i])-lo) <= width))
	}
	return packKept(sel, out)
}

func keepInRangeNarrow(vals []decimal128.Num, lo int64, width uint64, sel, out []int32) int {
	l := uint64(lo)
	for j, i := range sel {
		out[j] = int32(b2u(vals[i].LowBits()-l <= width))
	}
	return packKept(sel, out)
}

// packKept replaces the verdicts (0 or 1) in out with the rows of sel
// they keep, in place: the k-th row kept goes to out[k], k <= j, after
// out[j] is read.
func packKept(sel, out []int32) int {
	out = out[:len(sel)]
	k := 0
	for j, i := range sel {
		v := out[j]
		out[k] = i
		k += int(v)
	}
	return k
}

// dropNulls keeps the rows of rows that are valid in arr, in place.
func dropNulls(arr arrow.Array, rows []int32) int {
	bits := arr.NullBitmapBytes()
	off := arr.Data().Offset()
	k := 0
	for _, i := range rows {
		rows[k] = i
		k += int(b2u(bitutil.BitIsSet(bits, off+int(i))))
	}
	return k
}
