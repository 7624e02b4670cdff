package ipcsrc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
)

// genBatches writes record batches of the given sizes with columns
// (a int32 = row number, b string, c float32 with NULLs), returning the path.
func genBatches(t testing.TB, sizes ...int) string {
	mem := memory.NewGoAllocator()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "c", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	}, nil)
	var recs []arrow.Record
	row := 0
	for _, n := range sizes {
		b := array.NewRecordBuilder(mem, sc)
		for i := 0; i < n; i++ {
			b.Field(0).(*array.Int32Builder).Append(int32(row))
			b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("r%d", row))
			if row%3 == 0 {
				b.Field(2).AppendNull()
			} else {
				b.Field(2).(*array.Float32Builder).Append(float32(row))
			}
			row++
		}
		recs = append(recs, b.NewRecord())
		b.Release()
	}
	path := writeIPC(t, recs)
	for _, r := range recs {
		r.Release()
	}
	return path
}

func TestReaderBatches(t *testing.T) {
	path := genBatches(t, 100, 0, 250, 30)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, 4, f.NumRecordBatches())

	cases := []struct {
		name    string
		batches []int
		cols    []int
		size    int
		sizes   []int64
		firstA  []int64
	}{
		{"all", f.AllRecordBatches(), []int{0, 1, 2}, 0, []int64{100, 250, 30}, []int64{0, 100, 350}},
		{"sliced", f.AllRecordBatches(), []int{0, 1, 2}, 64, []int64{64, 36, 64, 64, 64, 58, 30}, []int64{0, 64, 100, 164, 228, 292, 350}},
		{"reordered", []int{3, 0}, []int{0}, 80, []int64{30, 80, 20}, []int64{350, 0, 80}},
		{"projection", []int{2}, []int{2, 0}, 1000, []int64{250}, nil},
		{"no columns", f.AllRecordBatches(), nil, 128, []int64{100, 128, 122, 30}, nil},
		{"none", nil, []int{0}, 10, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := newMem(t)
			r, err := f.NewReader(tc.batches, tc.cols, tc.size, mem)
			require.NoError(t, err)
			defer r.Close()
			require.Equal(t, len(tc.cols), r.Schema().NumFields())
			var sizes, firsts []int64
			for _, rec := range readAll(t, r) {
				sizes = append(sizes, rec.NumRows())
				require.Equal(t, len(tc.cols), int(rec.NumCols()))
				if len(tc.cols) == 0 {
					continue
				}
				ai := -1
				for k, c := range tc.cols {
					if c == 0 {
						ai = k
					}
				}
				a := rec.Column(ai).(*array.Int64)
				firsts = append(firsts, a.Value(0))
				for i := 0; i < a.Len(); i++ {
					row := a.Value(i)
					for k, c := range tc.cols {
						col := rec.Column(k)
						switch c {
						case 1:
							assert.Equal(t, fmt.Sprintf("r%d", row), col.(*array.String).Value(i))
						case 2:
							assert.Equal(t, row%3 == 0, col.IsNull(i))
							if col.IsValid(i) {
								assert.Equal(t, float64(row), col.(*array.Float64).Value(i))
							}
						}
					}
				}
			}
			assert.Equal(t, tc.sizes, sizes)
			if tc.firstA != nil {
				assert.Equal(t, tc.firstA, firsts)
			}
		})
	}
	t.Run("projection schema", func(t *testing.T) {
		r, err := f.NewReader(nil, []int{2, 0}, 0, newMem(t))
		require.NoError(t, err)
		defer r.Close()
		assert.Equal(t, "c", r.Schema().Field(0).Name)
		assert.Equal(t, "a", r.Schema().Field(1).Name)
	})
}

func TestCancel(t *testing.T) {
	path := genBatches(t, 500, 500)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	t.Run("mid-read", func(t *testing.T) {
		mem := newMem(t)
		r, err := f.NewReader(f.AllRecordBatches(), []int{0, 1}, 100, mem)
		require.NoError(t, err)
		defer r.Close() // releases the half-sliced batch
		ctx, cancel := context.WithCancel(t.Context())
		rec, err := r.Next(ctx)
		require.NoError(t, err)
		rec.Release()
		cancel()
		rec, err = r.Next(ctx)
		assert.Nil(t, rec)
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("before first Next", func(t *testing.T) {
		mem := newMem(t)
		r, err := f.NewReader(f.AllRecordBatches(), []int{0}, 100, mem)
		require.NoError(t, err)
		defer r.Close()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err = r.Next(ctx)
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("cause", func(t *testing.T) {
		mem := newMem(t)
		r, err := f.NewReader(f.AllRecordBatches(), []int{0}, 100, mem)
		require.NoError(t, err)
		defer r.Close()
		boom := errors.New("sibling failed")
		ctx, cancel := context.WithCancelCause(t.Context())
		cancel(boom)
		_, err = r.Next(ctx)
		assert.ErrorIs(t, err, boom)
	})
}

func TestLifecycle(t *testing.T) {
	mem := newMem(t)
	path := genBatches(t, 10)
	f, err := Open(path)
	require.NoError(t, err)
	_, err = f.NewReader([]int{1}, []int{0}, 0, mem)
	assert.ErrorIs(t, err, sqlerr.ErrInternal)
	_, err = f.NewReader([]int{0}, []int{3}, 0, mem)
	assert.ErrorIs(t, err, sqlerr.ErrInternal)

	r, err := f.NewReader(f.AllRecordBatches(), []int{0}, 0, mem)
	require.NoError(t, err)
	readAll(t, r)
	rec, err := r.Next(t.Context())
	assert.NoError(t, err)
	assert.Nil(t, rec)
	r.Close()
	r.Close()
	_, err = r.Next(t.Context())
	assert.Error(t, err)

	require.NoError(t, f.Close())
	require.NoError(t, f.Close())
	_, err = f.NewReader(nil, nil, 0, mem)
	assert.Error(t, err)
}

func TestConcurrentReaders(t *testing.T) {
	mem := newMem(t)
	path := genBatches(t, 300, 300, 300, 100)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	sums := make([]int64, f.NumRecordBatches())
	var wg sync.WaitGroup
	for b := 0; b < f.NumRecordBatches(); b++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := f.NewReader([]int{b}, []int{0, 1}, 64, mem)
			if !assert.NoError(t, err) {
				return
			}
			defer r.Close()
			for {
				rec, err := r.Next(context.Background())
				if !assert.NoError(t, err) || rec == nil {
					return
				}
				for _, v := range rec.Column(0).(*array.Int64).Int64Values() {
					sums[b] += v
				}
				rec.Release()
			}
		}()
	}
	wg.Wait()
	var total int64
	for _, s := range sums {
		total += s
	}
	assert.EqualValues(t, 1000*999/2, total)
}
