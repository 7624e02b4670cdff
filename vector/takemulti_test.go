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

func randRefs(r *rand.Rand, n int, arrs []arrow.Array) []RowRef {
	return randRefsMissing(r, n, arrs, 0)
}

// randRefsMissing is randRefs with a share of NULL refs (Batch -1).
func randRefsMissing(r *rand.Rand, n int, arrs []arrow.Array, missing float64) []RowRef {
	refs := make([]RowRef, 0, n)
	for len(refs) < n {
		if r.Float64() < missing {
			refs = append(refs, RowRef{Batch: -1})
			continue
		}
		b := r.IntN(len(arrs))
		if arrs[b].Len() == 0 {
			continue
		}
		refs = append(refs, RowRef{Batch: int32(b), Row: r.Int32N(int32(arrs[b].Len()))})
	}
	return refs
}

func takeMultiRef(arrs []arrow.Array, refs []RowRef) []any {
	out := make([]any, len(refs))
	for i, ref := range refs {
		if ref.Batch >= 0 {
			out[i] = valueAt(arrs[ref.Batch], int(ref.Row))
		}
	}
	return out
}

func TestTakeMulti(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	shapes := []struct {
		name     string
		batches  int
		nullFrac float64
		refs     int
		missing  float64 // share of NULL refs
	}{
		{"one batch", 1, 0.2, 100, 0},
		{"one batch no nulls", 1, 0, 100, 0},
		{"one batch NULL refs", 1, 0, 100, 0.3},
		{"several batches", 5, 0.2, 300, 0},
		{"several batches no nulls", 5, 0, 300, 0},
		{"several batches NULL refs", 5, 0, 300, 0.3},
		{"several batches nulls and NULL refs", 5, 0.2, 300, 0.3},
		{"all null", 3, 1, 40, 0},
		{"no refs", 3, 0.2, 0, 0},
	}
	for _, dt := range allTypes {
		for _, sh := range shapes {
			t.Run(dt.String()+"/"+sh.name, func(t *testing.T) {
				mem := newDirtyMem(t)
				arrs := make([]arrow.Array, sh.batches)
				for i := range arrs {
					// Sliced inputs: offsets must be honoured per batch.
					arrs[i] = slicedRandArray(mem, r, dt, 1+r.IntN(60), sh.nullFrac)
					defer arrs[i].Release()
				}
				refs := randRefsMissing(r, sh.refs, arrs, sh.missing)
				got := TakeMulti(mem, arrs, refs)
				defer got.Release()
				requireWellFormed(t, dt, got)
				require.Equal(t, takeMultiRef(arrs, refs), valuesOf(got))
			})
		}
	}
}

// Batches of every shape side by side: empty ones from a builder (a
// Boolean one has no value buffer), ones without NULLs, sliced ones.
func TestTakeMultiMixedBatches(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, dt := range allTypes {
		mem := checkedMem(t)
		b := array.NewBuilder(mem, dt)
		empty := b.NewArray()
		b.Release()
		arrs := []arrow.Array{
			empty,
			randArray(mem, r, dt, 30, 0),
			slicedRandArray(mem, r, dt, 30, 0.5),
			randArray(mem, r, dt, 1, 1),
		}
		refs := randRefs(r, 200, arrs)
		got := TakeMulti(mem, arrs, refs)
		requireWellFormed(t, dt, got)
		require.Equal(t, takeMultiRef(arrs, refs), valuesOf(got), "%s", dt)
		if s, ok := got.(*array.String); ok {
			offs, _ := StringData(s)
			for i := 0; i < s.Len(); i++ {
				if s.IsNull(i) {
					assert.Equal(t, offs[i], offs[i+1], "a NULL row owns no bytes")
				}
			}
		}
		got.Release()
		for _, a := range arrs {
			a.Release()
		}
	}
}

func TestTakeMultiUnsupportedTypePanics(t *testing.T) {
	mem := checkedMem(t)
	b := array.NewInt32Builder(mem)
	b.AppendValues([]int32{1, 2}, []bool{true, false})
	arr := b.NewArray()
	b.Release()
	defer arr.Release()
	assert.Panics(t, func() { TakeMulti(mem, []arrow.Array{arr, arr}, []RowRef{{0, 0}, {1, 1}}) })
}

func TestTakeMultiNull(t *testing.T) {
	mem := checkedMem(t)
	a, b := array.NewNull(3), array.NewNull(4)
	defer a.Release()
	defer b.Release()
	got := TakeMulti(mem, []arrow.Array{a, b}, []RowRef{{0, 2}, {1, 3}})
	defer got.Release()
	assert.Equal(t, arrow.NULL, got.DataType().ID())
	assert.Equal(t, 2, got.NullN())
}

func TestTakeMultiRecord(t *testing.T) {
	mem := checkedMem(t)
	r := rand.New(rand.NewPCG(9, 10))
	fields := make([]arrow.Field, len(allTypes))
	for i, dt := range allTypes {
		fields[i] = arrow.Field{Name: dt.String(), Type: dt, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	recs := make([]arrow.Record, 4)
	for i := range recs {
		n := 10 + r.IntN(40)
		cols := make([]arrow.Array, len(allTypes))
		for c, dt := range allTypes {
			cols[c] = slicedRandArray(mem, r, dt, n, 0.25)
		}
		recs[i] = NewRecord(schema, cols, n)
		defer recs[i].Release()
	}
	firstCol := make([]arrow.Array, len(recs))
	for i, rec := range recs {
		firstCol[i] = rec.Column(0)
	}
	refs := randRefs(r, 123, firstCol)
	got := TakeMultiRecord(mem, schema, recs, refs)
	defer got.Release()
	require.Equal(t, int64(len(refs)), got.NumRows())
	for c := range fields {
		arrs := make([]arrow.Array, len(recs))
		for i, rec := range recs {
			arrs[i] = rec.Column(c)
		}
		requireWellFormed(t, allTypes[c], got.Column(c))
		assert.Equal(t, takeMultiRef(arrs, refs), valuesOf(got.Column(c)), fields[c].Name)
	}
}

func BenchmarkTakeMulti(b *testing.B) {
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(11, 12))
	for _, dt := range allTypes {
		arrs := make([]arrow.Array, 8)
		for i := range arrs {
			arrs[i] = randArray(mem, r, dt, 8192, 0.1)
		}
		refs := randRefs(r, 8192, arrs)
		b.Run(dt.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				TakeMulti(mem, arrs, refs).Release()
			}
		})
		for _, a := range arrs {
			a.Release()
		}
	}
}
