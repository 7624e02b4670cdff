package vector

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidity(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, n := range []int{0, 1, 7, 8, 63, 64, 65, 200} {
		for _, fracs := range [][]float64{{0}, {0, 0}, {0.3}, {0, 0.3}, {0.3, 0}, {0.3, 0.5, 0}, {1, 0}, {0.1, 0.1, 0.1, 0.1}} {
			mem := checkedMem(t)
			arrs := make([]arrow.Array, len(fracs))
			for i, f := range fracs {
				// Different offsets per input: the AND must line them up.
				arrs[i] = slicedRandArray(mem, r, arrow.PrimitiveTypes.Int64, n, f)
			}
			anyNull := false
			for _, a := range arrs {
				anyNull = anyNull || a.NullN() > 0
			}
			// nil entries (absent operands) are skipped.
			buf, nulls := Validity(mem, n, append([]arrow.Array{nil}, arrs...)...)
			if !anyNull {
				assert.Nil(t, buf)
				assert.Zero(t, nulls)
			} else {
				require.NotNil(t, buf)
				require.GreaterOrEqual(t, buf.Len()*8, n)
				want := 0
				for i := 0; i < n; i++ {
					valid := true
					for _, a := range arrs {
						valid = valid && a.IsValid(i)
					}
					if !valid {
						want++
					}
					require.Equal(t, valid, bitutil.BitIsSet(buf.Bytes(), i), "row %d of %d", i, n)
				}
				assert.Equal(t, want, nulls)
				assert.Equal(t, want, NullCount(buf.Bytes(), n))
				buf.Release()
			}
			for _, a := range arrs {
				a.Release()
			}
		}
	}
}

// An arrow.Null operand has no bitmap (and IsNull reports false), yet every
// row is NULL: the AND is all NULL, wherever it appears among the inputs.
func TestValidityNullArray(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	for _, n := range []int{1, 10, 100} {
		for _, nullFirst := range []bool{true, false} {
			mem := checkedMem(t)
			whole := array.NewNull(n + 3)
			null := array.NewSlice(whole, 3, int64(n+3))
			whole.Release()
			other := slicedRandArray(mem, r, arrow.PrimitiveTypes.Int64, n, 0.3)
			arrs := []arrow.Array{other, null}
			if nullFirst {
				arrs = []arrow.Array{null, other}
			}
			buf, nulls := Validity(mem, n, arrs...)
			require.NotNil(t, buf)
			assert.Equal(t, n, nulls)
			assert.Equal(t, n, NullCount(buf.Bytes(), n))
			buf.Release()
			null.Release()
			other.Release()
		}
	}
}

func TestCopyBits(t *testing.T) {
	mem := checkedMem(t)
	r := rand.New(rand.NewPCG(23, 24))
	src := make([]byte, 40)
	for i := range src {
		src[i] = byte(r.Uint32())
	}
	for _, off := range []int{0, 1, 7, 8, 13, 64} {
		for _, n := range []int{0, 1, 9, 64, 100} {
			buf, b := CopyBits(mem, src, off, n)
			require.Equal(t, BitmapBytes(n), len(b))
			for i := 0; i < n; i++ {
				require.Equal(t, bitutil.BitIsSet(src, off+i), bitutil.BitIsSet(b, i))
			}
			for i := n; i < len(b)*8; i++ {
				require.False(t, bitutil.BitIsSet(b, i), "bits past n are clear")
			}
			buf.Release()

			buf, b = CopyBits(mem, nil, off, n)
			assert.Equal(t, 0, NullCount(b, n), "nil source means all valid")
			buf.Release()
		}
	}
}

// selectionRef is Selection by definition.
func selectionRef(a *array.Boolean) []int32 {
	out := []int32{}
	for i := 0; i < a.Len(); i++ {
		if a.IsValid(i) && a.Value(i) {
			out = append(out, int32(i))
		}
	}
	return out
}

func TestSelection(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	sel := make([]int32, 0, 4) // reused and grown across calls
	for _, n := range []int{0, 1, 5, 8, 9, 63, 64, 65, 130, 1000} {
		for _, nullFrac := range []float64{0, 0.2, 1} {
			for _, off := range []int{0, 3, 8, 11, 16, 64} {
				mem := checkedMem(t)
				whole := randArray(mem, r, arrow.FixedWidthTypes.Boolean, off+n+r.IntN(3), nullFrac)
				arr := array.NewSlice(whole, int64(off), int64(off+n)).(*array.Boolean)
				sel = Selection(arr, sel)
				require.Equal(t, selectionRef(arr), append([]int32{}, sel...), "n %d offset %d nulls %v", n, off, nullFrac)
				arr.Release()
				whole.Release()
			}
		}
	}
	// Every bit pattern of a byte, through both the aligned and the
	// unaligned path.
	for pattern := 0; pattern < 256; pattern++ {
		for _, off := range []int{0, 1, 8} {
			mem := checkedMem(t)
			b := array.NewBooleanBuilder(mem)
			for i := 0; i < off; i++ {
				b.Append(true)
			}
			for i := 0; i < 8; i++ {
				if pattern&(1<<i) != 0 && i%3 == 2 {
					b.AppendNull()
				} else {
					b.Append(pattern&(1<<i) != 0)
				}
			}
			whole := b.NewArray()
			b.Release()
			arr := array.NewSlice(whole, int64(off), int64(off+8)).(*array.Boolean)
			sel = Selection(arr, sel)
			require.Equal(t, selectionRef(arr), append([]int32{}, sel...), "pattern %08b offset %d", pattern, off)
			arr.Release()
			whole.Release()
		}
	}
}

// Runs of true values fill whole words, which Selection copies out
// without looking at each bit.
func TestSelectionDense(t *testing.T) {
	for _, n := range []int{64, 65, 128, 200, 1000} {
		for _, nullEvery := range []int{0, 7, 100} {
			for _, off := range []int{0, 8, 5} {
				mem := checkedMem(t)
				b := array.NewBooleanBuilder(mem)
				for i := 0; i < off+n; i++ {
					if nullEvery > 0 && i%nullEvery == 3 {
						b.AppendNull()
					} else {
						b.Append(i%150 != 149)
					}
				}
				whole := b.NewArray()
				b.Release()
				arr := array.NewSlice(whole, int64(off), int64(off+n)).(*array.Boolean)
				sel := Selection(arr, nil)
				require.Equal(t, selectionRef(arr), append([]int32{}, sel...), "n %d offset %d null every %d", n, off, nullEvery)
				arr.Release()
				whole.Release()
			}
		}
	}
}

func TestSelectionEmptyBuilderArray(t *testing.T) {
	mem := checkedMem(t)
	b := array.NewBooleanBuilder(mem)
	arr := b.NewArray()
	b.Release()
	defer arr.Release()
	assert.Empty(t, Selection(arr, nil))
}

// BenchmarkSelection: the selection of 8192 random booleans with 10%
// NULLs, and of a filter keeping 98% of its rows at random (Q1's).
func BenchmarkSelection(b *testing.B) {
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(27, 28))
	random := randArray(mem, r, arrow.FixedWidthTypes.Boolean, 8192, 0.1)
	defer random.Release()
	bld := array.NewBooleanBuilder(mem)
	for range 8192 {
		bld.Append(r.IntN(50) > 0)
	}
	dense := bld.NewArray()
	bld.Release()
	defer dense.Release()
	for _, c := range []struct {
		name string
		arr  arrow.Array
	}{{"random", random}, {"dense", dense}} {
		b.Run(c.name, func(b *testing.B) {
			sel := make([]int32, 0, 8192)
			b.SetBytes(8192)
			for b.Loop() {
				sel = Selection(c.arr, sel)
			}
		})
	}
}

// A NULL's value bit may be set (Arrow leaves it undefined): Selection
// must AND with the validity rather than trust the values to be zero
// there.
func TestSelectionValueBitsUnderNulls(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	for _, n := range []int{7, 8, 64, 100, 8192} {
		mem := checkedMem(t)
		vals, valid := memory.NewResizableBuffer(mem), memory.NewResizableBuffer(mem)
		nb := bitutil.BytesForBits(int64(n))
		vals.Resize(int(nb))
		valid.Resize(int(nb))
		for i := range vals.Bytes() {
			vals.Bytes()[i] = 0xff
			valid.Bytes()[i] = byte(r.Uint32())
		}
		nulls := n - bitutil.CountSetBits(valid.Bytes(), 0, n)
		data := array.NewData(arrow.FixedWidthTypes.Boolean, n, []*memory.Buffer{valid, vals}, nil, nulls, 0)
		arr := array.NewBooleanData(data)
		require.Equal(t, selectionRef(arr), Selection(arr, nil), "n %d", n)
		arr.Release()
		data.Release()
		vals.Release()
		valid.Release()
	}
}
