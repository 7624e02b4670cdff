package parquetsrc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
)

// genRecord makes n rows of (a BIGINT = row number, b VARCHAR, c DOUBLE,
// d DATE), with NULLs in b every 5th row and in c every 3rd row.
func genRecord(mem memory.Allocator, n int) arrow.Record {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "c", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	}, nil)
	return buildRecord(mem, sc, func(b *array.RecordBuilder) {
		for i := 0; i < n; i++ {
			b.Field(0).(*array.Int64Builder).Append(int64(i))
			if i%5 == 0 {
				b.Field(1).AppendNull()
			} else {
				b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("s%d", i%37))
			}
			if i%3 == 0 {
				b.Field(2).AppendNull()
			} else {
				b.Field(2).(*array.Float64Builder).Append(float64(i) / 4)
			}
			b.Field(3).(*array.Date32Builder).Append(arrow.Date32(i % 1000))
		}
	})
}

// writeGen writes genRecord(n) in row groups of rgRows rows.
func writeGen(t testing.TB, n int, rgRows int64, opts ...parquet.WriterProperty) (string, arrow.Record) {
	mem := memory.NewGoAllocator()
	rec := genRecord(mem, n)
	t.Cleanup(rec.Release)
	path := writeArrow(t, rec, append([]parquet.WriterProperty{parquet.WithMaxRowGroupLength(rgRows)}, opts...)...)
	return path, rec
}

func TestProjection(t *testing.T) {
	mem := newMem(t)
	path, src := writeGen(t, 1000, 300)
	got, sc := readColumns(t, path, []int{2, 0}, mem)
	require.Equal(t, 2, sc.NumFields())
	assert.Equal(t, "c", sc.Field(0).Name)
	assert.Equal(t, "a", sc.Field(1).Name)
	assert.True(t, array.Equal(src.Column(2), got[0]))
	assert.True(t, array.Equal(src.Column(0), got[1]))
}

func TestNoColumns(t *testing.T) {
	mem := newMem(t)
	path, _ := writeGen(t, 1000, 300)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := f.NewReader(f.AllRowGroups(), nil, 128, mem)
	require.NoError(t, err)
	defer r.Close()
	var rows int64
	for _, rec := range readAll(t, r) {
		assert.EqualValues(t, 0, rec.NumCols())
		rows += rec.NumRows()
	}
	assert.EqualValues(t, 1000, rows)
}

func TestBatchSizeAndRowGroups(t *testing.T) {
	mem := newMem(t)
	path, src := writeGen(t, 1000, 300)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, 4, f.NumRowGroups())
	assert.EqualValues(t, 1000, f.NumRows())
	for rg, want := range []int64{300, 300, 300, 100} {
		assert.Equal(t, want, f.RowGroupRows(rg))
	}

	cases := []struct {
		name      string
		rowGroups []int
		batch     int
		sizes     []int64
		firstA    []int64 // value of a in the first row of each batch
	}{
		{"all", f.AllRowGroups(), 128, []int64{128, 128, 44, 128, 128, 44, 128, 128, 44, 100},
			[]int64{0, 128, 256, 300, 428, 556, 600, 728, 856, 900}},
		{"reordered subset", []int{3, 1}, 64, []int64{64, 36, 64, 64, 64, 64, 44},
			[]int64{900, 964, 300, 364, 428, 492, 556}},
		{"one row", []int{3}, 1, nil, nil},
		{"none", []int{}, 10, []int64{}, []int64{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := f.NewReader(tc.rowGroups, []int{0, 1, 2, 3}, tc.batch, mem)
			require.NoError(t, err)
			defer r.Close()
			recs := readAll(t, r)
			var sizes, firsts []int64
			for _, rec := range recs {
				sizes = append(sizes, rec.NumRows())
				firsts = append(firsts, rec.Column(0).(*array.Int64).Value(0))
				assert.LessOrEqual(t, rec.NumRows(), int64(tc.batch))
				// Every column is aligned with a.
				for i := 0; i < int(rec.NumRows()); i++ {
					row := int(rec.Column(0).(*array.Int64).Value(i))
					for c := 1; c < 4; c++ {
						want, got := src.Column(c), rec.Column(c)
						require.Equal(t, want.IsNull(row), got.IsNull(i), "col %d row %d", c, row)
						if !got.IsNull(i) {
							require.Equal(t, want.ValueStr(row), got.ValueStr(i), "col %d row %d", c, row)
						}
					}
				}
			}
			if tc.sizes != nil {
				assert.Equal(t, tc.sizes, append([]int64{}, sizes...))
				assert.Equal(t, tc.firstA, append([]int64{}, firsts...))
			} else {
				assert.Len(t, recs, 100)
			}
		})
	}
}

func TestManyPagesWithNulls(t *testing.T) {
	// Small pages and an odd batch size make batches cross page boundaries
	// of every column at different points; with and without dictionaries.
	for _, dict := range []bool{true, false} {
		t.Run(fmt.Sprintf("dict=%v", dict), func(t *testing.T) {
			mem := newMem(t)
			path, src := writeGen(t, 20000, 7000,
				parquet.WithDataPageSize(512), parquet.WithDictionaryDefault(dict))
			got, _ := readColumns(t, path, []int{0, 1, 2, 3}, mem)
			for c := range got {
				assert.True(t, array.Equal(src.Column(c), got[c]), "column %d", c)
			}
			assert.Equal(t, src.Column(1).NullN(), got[1].NullN())
		})
	}
}

func TestCancel(t *testing.T) {
	path, _ := writeGen(t, 5000, 1000)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()

	t.Run("mid-read", func(t *testing.T) {
		mem := newMem(t)
		r, err := f.NewReader(f.AllRowGroups(), []int{0, 1}, 100, mem)
		require.NoError(t, err)
		defer r.Close()
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
		r, err := f.NewReader(f.AllRowGroups(), []int{0}, 100, mem)
		require.NoError(t, err)
		defer r.Close()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err = r.Next(ctx)
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("cause", func(t *testing.T) {
		mem := newMem(t)
		r, err := f.NewReader(f.AllRowGroups(), []int{0}, 100, mem)
		require.NoError(t, err)
		defer r.Close()
		boom := errors.New("sibling failed")
		ctx, cancel := context.WithCancelCause(t.Context())
		cancel(boom)
		_, err = r.Next(ctx)
		assert.ErrorIs(t, err, boom)
	})
	t.Run("not sticky", func(t *testing.T) {
		// A Next cancelled before it starts leaves the reader
		// consistent: a new context continues where it stopped.
		mem := newMem(t)
		r, err := f.NewReader(f.AllRowGroups(), []int{0}, 1000, mem)
		require.NoError(t, err)
		defer r.Close()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err = r.Next(ctx)
		require.ErrorIs(t, err, context.Canceled)
		var rows int64
		for _, rec := range readAll(t, r) {
			rows += rec.NumRows()
		}
		assert.EqualValues(t, 5000, rows)
	})
}

func TestLifecycle(t *testing.T) {
	mem := newMem(t)
	path, _ := writeGen(t, 100, 50)
	f, err := Open(path)
	require.NoError(t, err)

	_, err = f.NewReader([]int{2}, []int{0}, 0, mem)
	assert.ErrorIs(t, err, sqlerr.ErrInternal)
	_, err = f.NewReader([]int{0}, []int{4}, 0, mem)
	assert.ErrorIs(t, err, sqlerr.ErrInternal)
	_, err = f.NewReader([]int{-1}, []int{0}, 0, mem)
	assert.ErrorIs(t, err, sqlerr.ErrInternal)

	r, err := f.NewReader(f.AllRowGroups(), []int{0}, 0, mem)
	require.NoError(t, err)
	assert.Equal(t, "a", r.Schema().Field(0).Name)
	readAll(t, r)
	rec, err := r.Next(t.Context()) // after the end: still the end
	assert.NoError(t, err)
	assert.Nil(t, rec)
	r.Close()
	r.Close()
	_, err = r.Next(t.Context())
	assert.Error(t, err)

	require.NoError(t, f.Close())
	require.NoError(t, f.Close())
	_, err = f.NewReader(f.AllRowGroups(), []int{0}, 0, mem)
	assert.Error(t, err)
}

func TestConcurrentReaders(t *testing.T) {
	mem := newMem(t)
	path, _ := writeGen(t, 4000, 500)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()

	// One reader per row group, all at once, as the engine's parallel scan
	// does (goroutines are the test's, not the package's).
	sums := make([]int64, f.NumRowGroups())
	var wg sync.WaitGroup
	errs := make(chan error, f.NumRowGroups())
	for rg := 0; rg < f.NumRowGroups(); rg++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := f.NewReader([]int{rg}, []int{0, 1}, 256, mem)
			if err != nil {
				errs <- err
				return
			}
			defer r.Close()
			for {
				rec, err := r.Next(context.Background())
				if err != nil {
					errs <- err
					return
				}
				if rec == nil {
					return
				}
				for _, v := range rec.Column(0).(*array.Int64).Int64Values() {
					sums[rg] += v
				}
				rec.Release()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	var total int64
	for _, s := range sums {
		total += s
	}
	assert.EqualValues(t, 4000*3999/2, total)
}

func TestEmptyFile(t *testing.T) {
	mem := newMem(t)
	path, _ := writeGen(t, 0, 100)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	assert.EqualValues(t, 0, f.NumRows())
	// No row group that Prune keeps has rows.
	for _, rg := range f.Prune([]Predicate{{Col: 0, Op: Eq, Values: []any{int64(1)}}}) {
		assert.Zero(t, f.RowGroupRows(rg))
	}
	r, err := f.NewReader(f.AllRowGroups(), []int{0, 1, 2, 3}, 0, mem)
	require.NoError(t, err)
	defer r.Close()
	assert.Empty(t, readAll(t, r))
}
