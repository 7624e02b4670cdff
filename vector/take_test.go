package vector

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// takeRef is Take by definition: row idx[i] of a, NULL for -1.
func takeRef(a arrow.Array, idx []int32) []any {
	out := make([]any, len(idx))
	for i, j := range idx {
		if j >= 0 {
			out[i] = valueAt(a, int(j))
		}
	}
	return out
}

func randIndices(r *rand.Rand, n, rows int, missing float64) []int32 {
	idx := make([]int32, n)
	for i := range idx {
		if rows == 0 || r.Float64() < missing {
			idx[i] = -1
		} else {
			idx[i] = r.Int32N(int32(rows))
		}
	}
	return idx
}

func TestTake(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	shapes := []struct {
		name     string
		rows     int
		nullFrac float64
		sliced   bool
		missing  float64
		takeN    int
	}{
		{"no nulls", 100, 0, false, 0, 150},
		{"nulls", 100, 0.3, false, 0, 150},
		{"missing rows", 100, 0, false, 0.3, 150},
		{"nulls and missing", 100, 0.3, false, 0.3, 150},
		{"sliced", 70, 0, true, 0, 99},
		{"sliced nulls missing", 70, 0.4, true, 0.2, 99},
		{"all null", 20, 1, true, 0, 33},
		{"all missing", 20, 0, false, 1, 33},
		{"empty take", 20, 0.5, true, 0, 0},
		{"empty input", 0, 0, false, 1, 9},
		{"one row", 1, 0, true, 0, 64},
	}
	for _, dt := range allTypes {
		for _, sh := range shapes {
			t.Run(dt.String()+"/"+sh.name, func(t *testing.T) {
				mem := newDirtyMem(t)
				var arr arrow.Array
				if sh.sliced {
					arr = slicedRandArray(mem, r, dt, sh.rows, sh.nullFrac)
				} else {
					arr = randArray(mem, r, dt, sh.rows, sh.nullFrac)
				}
				defer arr.Release()
				idx := randIndices(r, sh.takeN, sh.rows, sh.missing)
				got := Take(mem, arr, idx)
				defer got.Release()
				requireWellFormed(t, dt, got)
				require.Equal(t, takeRef(arr, idx), valuesOf(got))
			})
		}
	}
}

// Arrays that arrow's builders produce with no value buffer at all (an
// empty BooleanBuilder's array has nil buffers).
func TestTakeEmptyBuilderArrays(t *testing.T) {
	for _, dt := range allTypes {
		t.Run(dt.String(), func(t *testing.T) {
			mem := checkedMem(t)
			b := array.NewBuilder(mem, dt)
			empty := b.NewArray()
			b.Release()
			defer empty.Release()
			got := Take(mem, empty, []int32{-1, -1, -1})
			defer got.Release()
			requireWellFormed(t, dt, got)
			assert.Equal(t, []any{nil, nil, nil}, valuesOf(got))
			none := Take(mem, empty, nil)
			defer none.Release()
			assert.Zero(t, none.Len())
		})
	}
}

func TestTakeNullArray(t *testing.T) {
	mem := checkedMem(t)
	arr := array.NewNull(5)
	defer arr.Release()
	got := Take(mem, arr, []int32{4, -1, 0})
	defer got.Release()
	assert.Equal(t, arrow.NULL, got.DataType().ID())
	assert.Equal(t, 3, got.Len())
	assert.Equal(t, 3, got.NullN())
}

func TestTakeRecord(t *testing.T) {
	mem := checkedMem(t)
	r := rand.New(rand.NewPCG(3, 4))
	fields := make([]arrow.Field, len(allTypes))
	cols := make([]arrow.Array, len(allTypes))
	for i, dt := range allTypes {
		fields[i] = arrow.Field{Name: dt.String(), Type: dt, Nullable: true}
		cols[i] = slicedRandArray(mem, r, dt, 50, 0.2)
	}
	schema := arrow.NewSchema(fields, nil)
	rec := NewRecord(schema, cols, 50) // takes over cols
	defer rec.Release()
	idx := randIndices(r, 77, 50, 0.1)
	got := TakeRecord(mem, rec, idx)
	defer got.Release()
	require.Equal(t, int64(77), got.NumRows())
	require.True(t, got.Schema().Equal(schema))
	for c := range cols {
		requireWellFormed(t, allTypes[c], got.Column(c))
		assert.Equal(t, takeRef(rec.Column(c), idx), valuesOf(got.Column(c)), fields[c].Name)
	}
}

func TestTakeUnsupportedTypePanics(t *testing.T) {
	mem := checkedMem(t)
	b := array.NewInt32Builder(mem)
	b.Append(1)
	arr := b.NewArray()
	b.Release()
	defer arr.Release()
	// Take is internal: its inputs are always engine arrays, so another
	// type is a programming error.
	assert.Panics(t, func() { Take(mem, arr, []int32{0}) })
}

func BenchmarkTake(b *testing.B) {
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(5, 6))
	for _, dt := range []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String} {
		arr := randArray(mem, r, dt, 8192, 0.1)
		idx := randIndices(r, 8192, 8192, 0.05)
		b.Run(dt.String(), func(b *testing.B) {
			b.SetBytes(8192)
			for b.Loop() {
				Take(mem, arr, idx).Release()
			}
		})
		arr.Release()
	}
}
