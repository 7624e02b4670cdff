package operators

import (
	"cmp"
	"math"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// newQuantileAcc returns the accumulator of a quantile spec. Values are
// kept in the type's natural Go form: DATE and BOOLEAN as int64, so that
// one instantiation orders all the integer-like types.
func newQuantileAcc(spec AggSpec) accumulator {
	cont := spec.Kind == AggQuantileCont
	switch spec.In.Kind {
	case types.Null:
		return nullAcc{}
	case types.Float64:
		return &quantileAcc[float64]{frac: spec.Frac, cont: cont, cmp: cmpFloat, interp: interpFloat,
			at:    func(a arrow.Array) func(int) float64 { return a.(*array.Float64).Value },
			build: buildFixed[float64](arrow.PrimitiveTypes.Float64)}
	case types.Decimal:
		if spec.In.Precision <= 18 {
			return narrowDecimalQuantile(spec, cont)
		}
		return &quantileAcc[decimal128.Num]{frac: spec.Frac, cont: cont, cmp: types.CmpInt128,
			interp: interpDecimal(int(spec.In.Precision)),
			at:     func(a arrow.Array) func(int) decimal128.Num { return a.(*array.Decimal128).Value },
			build:  buildFixed[decimal128.Num](spec.Out.Arrow())}
	case types.String:
		if cont {
			return nil
		}
		return &quantileAcc[string]{frac: spec.Frac, cmp: strings.Compare, build: buildStrings,
			at: func(a arrow.Array) func(int) string {
				s := a.(*array.String)
				return func(i int) string { return string(vector.StringAt(s, i)) }
			},
			size: func(s string) int64 { return int64(len(s)) }}
	}
	if cont && spec.In.Kind != types.Timestamp {
		return nil // quantile_cont of integers is over their DOUBLE cast
	}
	acc := &quantileAcc[int64]{frac: spec.Frac, cont: cont, cmp: cmp.Compare[int64]}
	switch spec.In.Kind {
	case types.Timestamp:
		acc.at = func(a arrow.Array) func(int) int64 {
			ts := a.(*array.Timestamp)
			return func(i int) int64 { return int64(ts.Value(i)) }
		}
		acc.build = buildFixed[int64](types.TimestampType.Arrow())
		acc.interp = interpTimestamp
	case types.Int64:
		acc.at = func(a arrow.Array) func(int) int64 { return a.(*array.Int64).Value }
		acc.build = buildFixed[int64](arrow.PrimitiveTypes.Int64)
	case types.Date:
		acc.at = func(a arrow.Array) func(int) int64 {
			d := a.(*array.Date32)
			return func(i int) int64 { return int64(d.Value(i)) }
		}
		acc.build = buildDates
	case types.Bool:
		acc.at = func(a arrow.Array) func(int) int64 {
			b := a.(*array.Boolean)
			return func(i int) int64 {
				if b.Value(i) {
					return 1
				}
				return 0
			}
		}
		acc.build = buildBools
	default:
		return nil
	}
	return acc
}

// cmpFloat orders doubles as DuckDB does: NaN above +Inf, equal to itself.
func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	xn, yn := math.IsNaN(x), math.IsNaN(y)
	switch {
	case xn == yn:
		return 0
	case xn:
		return 1
	}
	return -1
}

func buildFixed[T any](dt arrow.DataType) func(memory.Allocator, []T, []bool) arrow.Array {
	return func(mem memory.Allocator, out []T, valid []bool) arrow.Array {
		buf, vals := vector.AllocValues[T](mem, len(out))
		copy(vals, out)
		validity, nulls := seenValidity(mem, valid)
		return vector.NewFixedArray(dt, len(out), validity, nulls, buf)
	}
}

func buildDates(mem memory.Allocator, out []int64, valid []bool) arrow.Array {
	buf, vals := vector.AllocValues[arrow.Date32](mem, len(out))
	for i, d := range out {
		vals[i] = arrow.Date32(d)
	}
	validity, nulls := seenValidity(mem, valid)
	return vector.NewFixedArray(arrow.FixedWidthTypes.Date32, len(out), validity, nulls, buf)
}

func buildBools(mem memory.Allocator, out []int64, valid []bool) arrow.Array {
	buf, bits := vector.AllocBitmap(mem, len(out))
	for i, b := range out {
		if b != 0 {
			bits[i>>3] |= 1 << (i & 7)
		}
	}
	validity, nulls := seenValidity(mem, valid)
	return vector.NewBoolArray(len(out), validity, nulls, buf)
}

func buildStrings(mem memory.Allocator, out []string, valid []bool) arrow.Array {
	total := 0
	for _, s := range out {
		total += len(s)
	}
	obuf, offs := vector.AllocValuesUninit[int32](mem, len(out)+1)
	dbuf := vector.NewBufferUninit(mem, total)
	data := dbuf.Bytes()
	pos := int32(0)
	for i, s := range out {
		offs[i] = pos
		pos += int32(copy(data[pos:], s))
	}
	offs[len(out)] = pos
	validity, nulls := seenValidity(mem, valid)
	return vector.NewStringArray(len(out), validity, nulls, obuf, dbuf)
}

// narrowDecimalQuantile keeps DECIMALs of at most 18 digits as int64s
// (every such value fits): half the memory of 128-bit values, and the
// selection compares machine integers. Interpolation is DuckDB's for
// these widths (interpDecimal).
func narrowDecimalQuantile(spec AggSpec, cont bool) accumulator {
	return &quantileAcc[int64]{frac: spec.Frac, cont: cont, cmp: cmp.Compare[int64],
		interp: func(lo, hi int64, d float64) int64 { return lo + int64(float64(hi-lo)*d) },
		at: func(a arrow.Array) func(int) int64 {
			vals := a.(*array.Decimal128).Values()
			return func(i int) int64 { return int64(vals[i].LowBits()) }
		},
		build: func(mem memory.Allocator, out []int64, valid []bool) arrow.Array {
			buf, vals := vector.AllocValues[decimal128.Num](mem, len(out))
			for i, x := range out {
				vals[i] = decimal128.FromI64(x)
			}
			validity, nulls := seenValidity(mem, valid)
			return vector.NewFixedArray(spec.Out.Arrow(), len(out), validity, nulls, buf)
		}}
}
