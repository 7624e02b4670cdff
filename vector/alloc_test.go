package vector

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuffers(t *testing.T) {
	mem := checkedMem(t)
	for _, n := range []int{0, 1, 100, 4096} {
		buf := NewBuffer(mem, n)
		require.Equal(t, n, buf.Len())
		for _, b := range buf.Bytes() {
			require.Zero(t, b, "NewBuffer is zeroed")
		}
		buf.Release()
	}
	buf, vals := AllocValues[decimal128.Num](mem, 5)
	require.Len(t, vals, 5)
	assert.Equal(t, 5*16, buf.Len())
	vals[4] = decimal128.FromI64(-7)
	assert.Equal(t, vals, Values[decimal128.Num](buf, 5), "Values views the same memory")
	assert.Nil(t, Values[int64](buf, 0))
	buf.Release()
}

func TestBitmapHelpers(t *testing.T) {
	mem := checkedMem(t)
	for _, c := range []struct{ n, bytes int }{{0, 0}, {1, 8}, {64, 8}, {65, 16}, {8192, 1024}} {
		assert.Equal(t, c.bytes, BitmapBytes(c.n), "%d bits", c.n)
		buf, b := AllocBitmap(mem, c.n)
		assert.Len(t, b, c.bytes)
		assert.Equal(t, c.n, NullCount(b, c.n), "a fresh bitmap is all clear")
		buf.Release()

		buf, b = AllValid(mem, c.n)
		assert.Zero(t, NullCount(b, c.n))
		for i := c.n; i < len(b)*8; i++ {
			require.False(t, bitutil.BitIsSet(b, i), "AllValid sets only the first n bits")
		}
		w := Words(b)
		assert.Len(t, w, c.bytes/8)
		if len(w) > 0 {
			w[0] = 0
			assert.False(t, bitutil.BitIsSet(b, 0), "Words views the same memory")
			assert.Equal(t, b, BytesOfWords(w))
		}
		buf.Release()
	}
	assert.Nil(t, Words([]byte{1, 2, 3}))
	assert.Nil(t, BytesOfWords(nil))
}

// The constructors take over the caller's buffer references: releasing
// the array frees everything.
func TestArrayConstructors(t *testing.T) {
	mem := checkedMem(t)

	vbuf, vals := AllocValues[int64](mem, 3)
	copy(vals, []int64{1, 2, 3})
	valid, vb := AllValid(mem, 3)
	bitutil.ClearBit(vb, 1)
	arr := NewFixedArray(arrow.PrimitiveTypes.Int64, 3, valid, 1, vbuf)
	assert.Equal(t, []any{int64(1), nil, int64(3)}, valuesOf(arr))
	arr.Release()

	dbuf, dates := AllocValues[arrow.Date32](mem, 2)
	dates[1] = 19000
	arr = NewFixedArray(arrow.FixedWidthTypes.Date32, 2, nil, 0, dbuf)
	assert.Equal(t, []any{arrow.Date32(0), arrow.Date32(19000)}, valuesOf(arr))
	arr.Release()

	obuf, offs := AllocValues[int32](mem, 4)
	copy(offs, []int32{0, 2, 2, 5})
	data := NewBuffer(mem, 5)
	copy(data.Bytes(), "abcde")
	valid, vb = AllValid(mem, 3)
	bitutil.ClearBit(vb, 1)
	arr = NewStringArray(3, valid, 1, obuf, data)
	requireWellFormed(t, arrow.BinaryTypes.String, arr)
	assert.Equal(t, []any{"ab", nil, "cde"}, valuesOf(arr))
	arr.Release()

	bbuf, bits := AllocBitmap(mem, 3)
	bitutil.SetBit(bits, 2)
	arr = NewBoolArray(3, nil, 0, bbuf)
	assert.Equal(t, []any{false, false, true}, valuesOf(arr))
	arr.Release()
}

func TestBoolBits(t *testing.T) {
	mem := checkedMem(t)
	b := array.NewBooleanBuilder(mem)
	empty := b.NewArray()
	assert.Nil(t, BoolBits(empty), "an empty builder's array has no value buffer")
	empty.Release()
	b.AppendValues([]bool{true, false, true}, nil)
	arr := b.NewArray()
	b.Release()
	defer arr.Release()
	assert.Equal(t, byte(0b101), BoolBits(arr)[0]&0b111)
}

func TestStringData(t *testing.T) {
	mem := checkedMem(t)
	b := array.NewStringBuilder(mem)
	b.AppendValues([]string{"alpha", "", "gamma", "delta", "eps"}, []bool{true, true, false, true, true})
	whole := b.NewArray().(*array.String)
	b.Release()
	defer whole.Release()
	sliced := array.NewSlice(whole, 2, 5).(*array.String)
	defer sliced.Release()

	for _, a := range []*array.String{whole, sliced} {
		offs, data := StringData(a)
		require.Len(t, offs, a.Len()+1)
		for i := 0; i < a.Len(); i++ {
			if a.IsValid(i) {
				assert.Equal(t, a.Value(i), string(data[offs[i]:offs[i+1]]))
				assert.Equal(t, a.Value(i), string(StringAt(a, i)))
			}
		}
	}
	// The offsets of a slice are not re-based: row 0 of the slice starts
	// where row 2 of the whole array does.
	offs, _ := StringData(sliced)
	assert.Equal(t, int32(len("alpha")), offs[0])

	sb := array.NewStringBuilder(mem)
	sb.AppendValues([]string{"", ""}, nil)
	empties := sb.NewArray().(*array.String)
	sb.Release()
	defer empties.Release()
	offs, _ = StringData(empties)
	assert.Equal(t, []int32{0, 0, 0}, offs)
	assert.Empty(t, StringAt(empties, 1))
}
