package vector

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noSpend(int) error { return nil }

func concatRef(arrs []arrow.Array) []any {
	out := []any{}
	for _, a := range arrs {
		out = append(out, valuesOf(a)...)
	}
	return out
}

func TestConcat(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	shapes := []struct {
		name     string
		lens     []int
		nullFrac []float64
	}{
		{"one", []int{17}, []float64{0}},
		{"no nulls", []int{10, 64, 3, 100}, []float64{0, 0, 0, 0}},
		{"nulls in some", []int{10, 64, 3, 100}, []float64{0, 0.5, 0, 0.1}},
		{"nulls in all", []int{9, 1, 70}, []float64{0.3, 1, 0.3}},
		{"empty inputs", []int{0, 5, 0, 0, 9, 0}, []float64{0, 0.5, 0, 0, 0, 0}},
		{"all empty", []int{0, 0}, []float64{0, 0}},
	}
	for _, dt := range allTypes {
		for _, sh := range shapes {
			for _, sliced := range []bool{false, true} {
				name := dt.String() + "/" + sh.name
				if sliced {
					name += "/sliced"
				}
				t.Run(name, func(t *testing.T) {
					mem := checkedMem(t)
					arrs := make([]arrow.Array, len(sh.lens))
					for i, n := range sh.lens {
						if sliced {
							arrs[i] = slicedRandArray(mem, r, dt, n, sh.nullFrac[i])
						} else {
							arrs[i] = randArray(mem, r, dt, n, sh.nullFrac[i])
						}
						defer arrs[i].Release()
					}
					spent := 0
					got, err := Concat(mem, arrs, func(n int) error { spent += n; return nil })
					require.NoError(t, err)
					defer got.Release()
					requireWellFormed(t, dt, got)
					require.Equal(t, concatRef(arrs), valuesOf(got))
					total := 0
					for _, n := range sh.lens {
						total += n
					}
					// A row of fixed-width values spends a unit per 4
					// bytes, any other a unit; a string's bytes spend a
					// unit per 4 more (these arrays are one piece each).
					if fw, ok := dt.(arrow.FixedWidthDataType); ok && fw.BitWidth() >= 64 {
						total *= fw.BitWidth() / 8 / concatBytesPerUnit
					}
					for _, a := range arrs {
						if s, ok := a.(*array.String); ok {
							offs, _ := StringData(s)
							total += int(offs[a.Len()]-offs[0]) / concatBytesPerUnit
						}
					}
					assert.Equal(t, total, spent, "spend is called for every input's bytes")
				})
			}
		}
	}
}

// A spend that fails part-way (the query was cancelled) returns its error
// and leaves nothing allocated: the checked allocator proves it.
func TestConcatSpendFails(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	errStop := errors.New("stop")
	for _, dt := range allTypes {
		for _, nullFrac := range []float64{0, 0.3} {
			for failAt := 1; failAt <= 3; failAt++ {
				mem := checkedMem(t)
				arrs := make([]arrow.Array, 3)
				for i := range arrs {
					arrs[i] = slicedRandArray(mem, r, dt, 20+i, nullFrac)
				}
				calls := 0
				got, err := Concat(mem, arrs, func(int) error {
					calls++
					if calls == failAt {
						return errStop
					}
					return nil
				})
				require.ErrorIs(t, err, errStop, "%s", dt)
				assert.Nil(t, got)
				assert.Equal(t, failAt, calls, "Concat stops at the first failed spend")
				for _, a := range arrs {
					a.Release()
				}
				require.Zero(t, mem.CurrentAlloc(), "%s null fraction %v failing at %d", dt, nullFrac, failAt)
			}
		}
	}
}

func TestConcatNull(t *testing.T) {
	mem := checkedMem(t)
	a, b := array.NewNull(3), array.NewNull(4)
	defer a.Release()
	defer b.Release()
	got, err := Concat(mem, []arrow.Array{a, b}, noSpend)
	require.NoError(t, err)
	defer got.Release()
	assert.Equal(t, 7, got.Len())
	assert.Equal(t, 7, got.NullN())
}

func TestConcatErrors(t *testing.T) {
	mem := checkedMem(t)
	_, err := Concat(mem, nil, noSpend)
	assert.Error(t, err, "no inputs: the type is unknown")

	b := array.NewInt32Builder(mem)
	b.AppendValues([]int32{1, 2}, []bool{true, false})
	arr := b.NewArray()
	b.Release()
	defer arr.Release()
	_, err = Concat(mem, []arrow.Array{arr, arr}, noSpend)
	assert.ErrorContains(t, err, "unsupported type int32")
}

func recordsOf(mem memory.Allocator, r *rand.Rand, schema *arrow.Schema, lens []int) []arrow.Record {
	recs := make([]arrow.Record, len(lens))
	for i, n := range lens {
		cols := make([]arrow.Array, schema.NumFields())
		for c, f := range schema.Fields() {
			cols[c] = slicedRandArray(mem, r, f.Type, n, 0.2)
		}
		recs[i] = NewRecord(schema, cols, n)
	}
	return recs
}

func allTypesSchema() *arrow.Schema {
	fields := make([]arrow.Field, len(allTypes))
	for i, dt := range allTypes {
		fields[i] = arrow.Field{Name: dt.String(), Type: dt, Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

func TestConcatRecords(t *testing.T) {
	mem := checkedMem(t)
	r := rand.New(rand.NewPCG(15, 16))
	schema := allTypesSchema()
	recs := recordsOf(mem, r, schema, []int{5, 0, 31, 64})
	defer func() {
		for _, rec := range recs {
			rec.Release()
		}
	}()
	got, err := ConcatRecords(mem, schema, recs, noSpend)
	require.NoError(t, err)
	defer got.Release()
	require.Equal(t, int64(100), got.NumRows())
	for c := range schema.Fields() {
		arrs := make([]arrow.Array, len(recs))
		for i, rec := range recs {
			arrs[i] = rec.Column(c)
		}
		requireWellFormed(t, allTypes[c], got.Column(c))
		assert.Equal(t, concatRef(arrs), valuesOf(got.Column(c)))
	}

	none, err := ConcatRecords(mem, schema, nil, noSpend)
	require.NoError(t, err)
	defer none.Release()
	assert.Zero(t, none.NumRows())
	assert.True(t, none.Schema().Equal(schema))
	for c := range schema.Fields() {
		assert.True(t, arrow.TypeEqual(allTypes[c], none.Column(c).DataType()))
	}
}

// Failing in a later column releases the columns already concatenated.
func TestConcatRecordsSpendFails(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	schema := allTypesSchema()
	errStop := errors.New("stop")
	for failAt := 1; failAt <= 3*schema.NumFields(); failAt += 2 {
		mem := checkedMem(t)
		recs := recordsOf(mem, r, schema, []int{7, 8, 9})
		calls := 0
		got, err := ConcatRecords(mem, schema, recs, func(int) error {
			calls++
			if calls == failAt {
				return errStop
			}
			return nil
		})
		require.ErrorIs(t, err, errStop)
		assert.Nil(t, got)
		for _, rec := range recs {
			rec.Release()
		}
		require.Zero(t, mem.CurrentAlloc(), "failing at spend %d", failAt)
	}
}

func BenchmarkConcat(b *testing.B) {
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(19, 20))
	for _, dt := range []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String} {
		arrs := make([]arrow.Array, 16)
		for i := range arrs {
			arrs[i] = randArray(mem, r, dt, 8192, 0.1)
		}
		b.Run(dt.String(), func(b *testing.B) {
			b.SetBytes(16 * 8192)
			for b.Loop() {
				a, err := Concat(mem, arrs, noSpend)
				if err != nil {
					b.Fatal(err)
				}
				a.Release()
			}
		})
		for _, a := range arrs {
			a.Release()
		}
	}
}

// A large array is copied in pieces, with a spend after each, so that a
// copy into fresh memory (a page fault every 4 KiB) is never long
// between two checks.
func TestConcatSpendsWithinAnArray(t *testing.T) {
	mem := checkedMem(t)
	r := rand.New(rand.NewPCG(13, 14))
	long := strings.Repeat("x", 100)
	b := array.NewStringBuilder(mem)
	for range 10_000 {
		b.Append(long[:r.IntN(len(long))])
	}
	tests := []struct {
		name   string
		arr    arrow.Array
		copies int // bytes copied
	}{
		{"int64", randArray(mem, r, arrow.PrimitiveTypes.Int64, 100_000, 0), 100_000 * 8},
		{"strings", b.NewArray(), 0},
	}
	b.Release()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer tt.arr.Release()
			copies := tt.copies
			if s, ok := tt.arr.(*array.String); ok {
				offs, _ := StringData(s)
				copies = 4*s.Len() + int(offs[s.Len()]) // offsets, then bytes
			}
			calls := 0
			got, err := Concat(mem, []arrow.Array{tt.arr}, func(n int) error {
				calls++
				require.LessOrEqual(t, n*concatBytesPerUnit, concatPiece, "one piece at most between spends")
				return nil
			})
			require.NoError(t, err)
			defer got.Release()
			require.GreaterOrEqual(t, calls, copies/concatPiece)
		})
	}
}

func TestCanConcat(t *testing.T) {
	mem := checkedMem(t)
	for _, dt := range append(allTypes, arrow.FixedWidthTypes.Timestamp_us, arrow.Null) {
		assert.True(t, CanConcat(dt), dt.String())
	}
	// An interval column cannot be joined, and CanConcat says so before
	// Concat fails on it.
	dt := arrow.FixedWidthTypes.MonthDayNanoInterval
	require.False(t, CanConcat(dt))
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	b.AppendNull()
	a := b.NewArray()
	defer a.Release()
	_, err := Concat(mem, []arrow.Array{a, a}, noSpend)
	require.Error(t, err)
}
