package vector

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
)

// checkedMem returns an allocator that fails the test if anything it
// handed out is still held when the test ends.
func checkedMem(t *testing.T) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

// The engine's physical types, one per logical type.
var allTypes = []arrow.DataType{
	arrow.PrimitiveTypes.Int64,
	arrow.PrimitiveTypes.Float64,
	&arrow.Decimal128Type{Precision: 38, Scale: 2},
	arrow.BinaryTypes.String,
	arrow.FixedWidthTypes.Date32,
	arrow.FixedWidthTypes.Boolean,
}

// randArray builds n random values of dt, each NULL with probability
// nullFrac, through arrow's builders (the reference layout).
func randArray(mem memory.Allocator, r *rand.Rand, dt arrow.DataType, n int, nullFrac float64) arrow.Array {
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	for i := 0; i < n; i++ {
		if r.Float64() < nullFrac {
			b.AppendNull()
			continue
		}
		switch bb := b.(type) {
		case *array.Int64Builder:
			bb.Append(r.Int64() >> r.IntN(64))
		case *array.Float64Builder:
			bb.Append(r.NormFloat64() * 1e6)
		case *array.Decimal128Builder:
			bb.Append(decimal128.New(r.Int64N(1<<40)-1<<39, r.Uint64()))
		case *array.StringBuilder:
			s := make([]byte, r.IntN(12))
			for j := range s {
				s[j] = byte('a' + r.IntN(26))
			}
			bb.Append(string(s))
		case *array.Date32Builder:
			bb.Append(arrow.Date32(r.Int32N(40000) - 10000))
		case *array.BooleanBuilder:
			bb.Append(r.IntN(2) == 0)
		default:
			panic(fmt.Sprintf("randArray: %s", dt))
		}
	}
	return b.NewArray()
}

// slicedRandArray returns n random values viewed through a slice at a
// random offset of a larger array, so offsets that are not multiples of 8
// are exercised.
func slicedRandArray(mem memory.Allocator, r *rand.Rand, dt arrow.DataType, n int, nullFrac float64) arrow.Array {
	off := r.IntN(20)
	whole := randArray(mem, r, dt, off+n+r.IntN(5), nullFrac)
	defer whole.Release()
	return array.NewSlice(whole, int64(off), int64(off+n))
}

// valueAt returns row i of a as a comparable Go value, nil for NULL.
func valueAt(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Int64:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Decimal128:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.Date32:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.Null:
		return nil
	}
	panic(fmt.Sprintf("valueAt: %s", a.DataType()))
}

func valuesOf(a arrow.Array) []any {
	out := make([]any, a.Len())
	for i := range out {
		out[i] = valueAt(a, i)
	}
	return out
}

// requireWellFormed checks what kernels downstream rely on: buffers long
// enough for the array's offset and length, string offsets increasing
// within the data, a null count that matches the bitmap, and the type
// asked for. (arrow v17 has no ValidateFull for these types.)
func requireWellFormed(t *testing.T, dt arrow.DataType, a arrow.Array) {
	t.Helper()
	require.True(t, arrow.TypeEqual(dt, a.DataType()), "type %s, want %s", a.DataType(), dt)
	d := a.Data()
	n, off := d.Len(), d.Offset()
	if dt.ID() == arrow.NULL {
		require.Equal(t, n, a.NullN())
		return
	}
	bufs := d.Buffers()
	if v := bufs[0]; v != nil {
		require.GreaterOrEqual(t, v.Len()*8, off+n, "validity bitmap too short")
	} else {
		require.Zero(t, a.NullN(), "NULLs without a bitmap")
	}
	switch dt.ID() {
	case arrow.STRING:
		offs := a.(*array.String).ValueOffsets()
		require.Len(t, offs, n+1)
		data := 0
		if bufs[2] != nil {
			data = bufs[2].Len()
		}
		for i := 0; i < n; i++ {
			require.LessOrEqual(t, offs[i], offs[i+1], "offsets decrease at %d", i)
		}
		if n > 0 {
			require.GreaterOrEqual(t, offs[0], int32(0))
			require.LessOrEqual(t, int(offs[n]), data, "offsets beyond the data")
		}
	case arrow.BOOL:
		if n > 0 {
			require.GreaterOrEqual(t, bufs[1].Len()*8, off+n, "value bitmap too short")
		}
	default:
		w := dt.(arrow.FixedWidthDataType).BitWidth() / 8
		if n > 0 {
			require.GreaterOrEqual(t, bufs[1].Len(), (off+n)*w, "value buffer too short")
		}
	}
	nulls := 0
	for i := 0; i < n; i++ {
		if a.IsNull(i) {
			nulls++
		}
	}
	require.Equal(t, nulls, a.NullN(), "null count")
}

// dirtyMem is a checked allocator whose AllocateUninit fills what it
// hands out with garbage, so a kernel that leaves a byte unwritten gives
// a wrong answer instead of a lucky zero.
type dirtyMem struct{ *memory.CheckedAllocator }

func (m dirtyMem) AllocateUninit(size int) []byte {
	b := m.Allocate(size)
	for i := range b {
		b[i] = 0xa5
	}
	return b
}

func newDirtyMem(t *testing.T) dirtyMem { return dirtyMem{checkedMem(t)} }
