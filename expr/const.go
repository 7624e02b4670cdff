package expr

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// ConstArray materialises a constant as an array of n rows of type t.
func ConstArray(mem memory.Allocator, d Datum, t types.T, n int) (arrow.Array, error) {
	if !d.Valid {
		return NullArray(mem, t, n), nil
	}
	switch t.Kind {
	case types.Int64:
		buf, v := vector.AllocValues[int64](mem, n)
		fill(v, d.I)
		return vector.NewFixedArray(t.Arrow(), n, nil, 0, buf), nil
	case types.Float64:
		buf, v := vector.AllocValues[float64](mem, n)
		fill(v, d.F)
		return vector.NewFixedArray(t.Arrow(), n, nil, 0, buf), nil
	case types.Date:
		buf, v := vector.AllocValues[arrow.Date32](mem, n)
		fill(v, arrow.Date32(d.I))
		return vector.NewFixedArray(t.Arrow(), n, nil, 0, buf), nil
	case types.Timestamp:
		buf, v := vector.AllocValues[arrow.Timestamp](mem, n)
		fill(v, arrow.Timestamp(d.I))
		return vector.NewFixedArray(t.Arrow(), n, nil, 0, buf), nil
	case types.Decimal:
		buf, v := vector.AllocValues[decimal128.Num](mem, n)
		fill(v, d.D)
		return vector.NewFixedArray(t.Arrow(), n, nil, 0, buf), nil
	case types.Bool:
		buf, b := vector.AllocBitmap(mem, n)
		if d.Bool() {
			bitutil.SetBitsTo(b, 0, int64(n), true)
		}
		return vector.NewBoolArray(n, nil, 0, buf), nil
	case types.String:
		if int64(n)*int64(len(d.S)) > maxStringBytes { // int32 offsets would wrap
			return nil, errStringTooBig()
		}
		obuf, offs := vector.AllocValues[int32](mem, n+1)
		dbuf := vector.NewBuffer(mem, n*len(d.S))
		data := dbuf.Bytes()
		for i := 0; i < n; i++ {
			offs[i] = int32(i * len(d.S))
			copy(data[i*len(d.S):], d.S)
		}
		offs[n] = int32(n * len(d.S))
		return vector.NewStringArray(n, nil, 0, obuf, dbuf), nil
	}
	return nil, errUnsupportedType("a constant column", t)
}

// NullArray returns n NULLs of type t (arrow.Null for the NULL type).
func NullArray(mem memory.Allocator, t types.T, n int) arrow.Array {
	if t.Kind == types.Null || t.Kind == types.Interval {
		return array.NewNull(n)
	}
	b := array.NewBuilder(mem, t.Arrow())
	defer b.Release()
	b.AppendNulls(n)
	return b.NewArray()
}

func fill[T any](v []T, x T) {
	for i := range v {
		v[i] = x
	}
}
