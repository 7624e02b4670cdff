package hashtab

import (
	"errors"
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seq returns the BIGINTs from, from+step, ... (n of them) as []any.
func seq(from, step int64, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = from + int64(i)*step
	}
	return out
}

// withNulls returns vals with every k-th value NULL.
func withNulls(vals []any, k int) []any {
	for i := 0; i < len(vals); i += k {
		vals[i] = nil
	}
	return vals
}

// A single integer key moves between the direct and the word layout as
// its values are dense or sparse; group numbers, Find and KeyArrays stay
// right throughout.
func TestDirectLayoutTransitions(t *testing.T) {
	minI, maxI := int64(math.MinInt64), int64(math.MaxInt64)
	cases := []struct {
		name    string
		batches [][]any
		layouts []layout // after each batch
		probe   []any
	}{
		{
			name:    "dense ascending with runs",
			batches: [][]any{seq(1, 1, 5000), seq(3000, 1, 9000), seq(1, 3, 4000)},
			layouts: []layout{layoutDirect, layoutDirect, layoutDirect},
			probe:   []any{int64(0), int64(1), int64(11999), int64(12000), int64(-1), minI, maxI, nil},
		},
		{
			name:    "dense descending",
			batches: [][]any{seq(100000, -1, 3000), seq(97000, -1, 70000)},
			layouts: []layout{layoutDirect, layoutDirect},
			probe:   []any{int64(100000), int64(100001), int64(27001), int64(27000), nil},
		},
		{
			name:    "NULLs among dense keys",
			batches: [][]any{withNulls(seq(-50, 1, 100), 7), withNulls(seq(-60, 1, 30), 3)},
			layouts: []layout{layoutDirect, layoutDirect},
			probe:   []any{nil, int64(-60), int64(49), int64(50)},
		},
		{
			name:    "the ends of the BIGINT range",
			batches: [][]any{{maxI, maxI - 5, nil, maxI - 1}, {minI, minI + 1}},
			layouts: []layout{layoutDirect, layoutWord},
			probe:   []any{maxI, minI, maxI - 2, int64(0), nil},
		},
		{
			name:    "near the bottom end",
			batches: [][]any{{minI + 3, minI, minI + 60000}, {minI + directMinLen - 1}, {minI + directMinLen}},
			layouts: []layout{layoutDirect, layoutDirect, layoutWord},
			probe:   []any{minI, minI + 2, minI + 60000, minI + directMinLen, maxI},
		},
		{
			name: "sparse, then dense enough to go back",
			batches: [][]any{
				{int64(0), int64(200_000), nil},
				seq(1, 1, 8192), seq(8193, 1, 8192), seq(16385, 1, 8192),
			},
			layouts: []layout{layoutWord, layoutWord, layoutDirect, layoutDirect},
			probe:   []any{int64(0), int64(200_000), int64(199_999), int64(24576), int64(24577), nil},
		},
		{
			name:    "sparse in the middle of a batch",
			batches: [][]any{append(withNulls(seq(10, 1, 300), 11), int64(-1<<50), nil, int64(5), int64(10))},
			layouts: []layout{layoutWord},
			probe:   []any{int64(-1 << 50), int64(309), int64(310), nil},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := checkedMem(t)
			tab := New([]types.T{types.Int64Type})
			ref := newReference()
			for i, vals := range c.batches {
				col := []arrow.Array{column(mem, types.Int64Type, vals)}
				insert(t, tab, ref, &budget{}, col)
				find(t, tab, ref, col)
				release(col)
				require.Equal(t, c.layouts[i], tab.layout, "after batch %d", i)
			}
			probe := []arrow.Array{column(mem, types.Int64Type, c.probe)}
			find(t, tab, ref, probe)
			release(probe)
			requireKeyArrays(t, mem, tab, ref, []types.T{types.Int64Type}, 0, tab.Len())
			if tab.layout == layoutDirect {
				assert.LessOrEqual(t, uint64(tab.direct.Len()), directLimit(tab.Len()))
			}
		})
	}
}

// Two integer columns pack into one word while their values fit in 32
// bits; a value that does not turns the table into a serialised one that
// keeps every group.
func TestPairLayout(t *testing.T) {
	minI32, maxI32 := int64(math.MinInt32), int64(math.MaxInt32)
	mem := checkedMem(t)
	keyTypes := []types.T{types.Int64Type, types.DateType}
	tab := New(keyTypes)
	ref := newReference()
	batch := func(a, d []any) []arrow.Array {
		return []arrow.Array{column(mem, types.Int64Type, a), column(mem, types.DateType, d)}
	}
	fitting := batch(
		[]any{int64(1), int64(1), nil, int64(-1), maxI32, minI32 + 1, nil, int64(0), int64(1)},
		[]any{arrow.Date32(2), arrow.Date32(2), arrow.Date32(2), nil, arrow.Date32(math.MaxInt32), arrow.Date32(-5), nil, arrow.Date32(0), arrow.Date32(3)},
	)
	insert(t, tab, ref, &budget{}, fitting)
	require.Equal(t, layoutPair, tab.layout)
	find(t, tab, ref, fitting)
	// Values the layout cannot hold are simply absent.
	absent := batch([]any{minI32, int64(1 << 40), int64(1), maxI32 + 1}, []any{arrow.Date32(2), arrow.Date32(2), arrow.Date32(math.MinInt32), nil})
	find(t, tab, ref, absent)
	require.Equal(t, layoutPair, tab.layout, "Find never changes the layout")
	requireKeyArrays(t, mem, tab, ref, keyTypes, 0, tab.Len())

	insert(t, tab, ref, &budget{}, absent)
	require.Equal(t, layoutBytes, tab.layout)
	find(t, tab, ref, fitting)
	find(t, tab, ref, absent)
	more := batch([]any{int64(1), int64(7), nil}, []any{arrow.Date32(2), arrow.Date32(7), nil})
	insert(t, tab, ref, &budget{}, more)
	requireKeyArrays(t, mem, tab, ref, keyTypes, 0, tab.Len())
	release(fitting)
	release(absent)
	release(more)
}

// Short strings and booleans code into a pair too; "abcd" does not.
func TestPairOfStrings(t *testing.T) {
	mem := checkedMem(t)
	keyTypes := []types.T{types.StringType, types.BoolType}
	tab := New(keyTypes)
	ref := newReference()
	short := []arrow.Array{
		column(mem, types.StringType, []any{"A", "", "abc", nil, "A", "\x00", "\x00\x00", "ab", "", nil, "\xff\xff\xff"}),
		column(mem, types.BoolType, []any{true, true, false, true, true, nil, nil, false, nil, nil, true}),
	}
	defer release(short)
	insert(t, tab, ref, &budget{}, short)
	require.Equal(t, layoutPair, tab.layout)
	find(t, tab, ref, short)
	long := []arrow.Array{
		column(mem, types.StringType, []any{"abcd", "A", nil, "abc"}),
		column(mem, types.BoolType, []any{true, true, nil, false}),
	}
	defer release(long)
	find(t, tab, ref, long)
	requireKeyArrays(t, mem, tab, ref, keyTypes, 0, tab.Len())
	insert(t, tab, ref, &budget{}, long)
	require.Equal(t, layoutBytes, tab.layout)
	find(t, tab, ref, short)
	find(t, tab, ref, long)
	requireKeyArrays(t, mem, tab, ref, keyTypes, 0, tab.Len())
}

// Whatever lies under a NULL does not decide the layout: an out-of-range
// value under a NULL keeps a pair table packed.
func TestPairIgnoresValuesUnderNull(t *testing.T) {
	mem := checkedMem(t)
	vals := memory.NewBufferBytes(arrow.Int64Traits.CastToBytes([]int64{1, 1 << 40, 3}))
	valid := memory.NewBufferBytes([]byte{0b101}) // row 1 NULL
	d := array.NewData(arrow.PrimitiveTypes.Int64, 3, []*memory.Buffer{valid, vals}, nil, 1, 0)
	dirty := array.MakeFromData(d)
	d.Release()
	defer dirty.Release()
	other := column(mem, types.Int64Type, []any{int64(1), int64(2), int64(3)})
	defer other.Release()
	for _, cols := range [][]arrow.Array{{dirty, other}, {other, dirty}} {
		tab := New([]types.T{types.Int64Type, types.Int64Type})
		ref := newReference()
		insert(t, tab, ref, &budget{}, cols)
		assert.Equal(t, layoutPair, tab.layout)
		find(t, tab, ref, cols)
		requireKeyArrays(t, mem, tab, ref, []types.T{types.Int64Type, types.Int64Type}, 0, tab.Len())
	}
}

// A budget that fails while the table changes layout stops the insert
// with its error.
func TestBudgetFailsDuringLayoutChange(t *testing.T) {
	errStop := errors.New("cancelled")
	mem := checkedMem(t)
	cases := []struct {
		name     string
		keyTypes []types.T
		fill     [][]any // inserted with a budget that never fails
		trigger  [][]any // inserted with one that fails at once
	}{
		{
			name:     "direct to word",
			keyTypes: []types.T{types.Int64Type},
			fill:     [][]any{seq(0, 1, 2*growChunk)},
			trigger:  [][]any{{int64(1 << 50)}},
		},
		{
			name:     "widening a direct array",
			keyTypes: []types.T{types.Int64Type},
			fill:     [][]any{seq(0, 1, directMinLen)},
			trigger:  [][]any{{int64(directMinLen + 1)}},
		},
		{
			name:     "pair to bytes",
			keyTypes: []types.T{types.Int64Type, types.Int64Type},
			fill:     [][]any{seq(0, 1, 2*growChunk), seq(0, 1, 2*growChunk)},
			trigger:  [][]any{{int64(1 << 50)}, {int64(1)}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab := New(c.keyTypes)
			cols := make([]arrow.Array, len(c.keyTypes))
			for i, vals := range c.fill {
				cols[i] = column(mem, c.keyTypes[i], vals)
			}
			_, err := tab.FindOrInsert(&budget{}, cols, make([]int32, len(c.fill[0])))
			release(cols)
			require.NoError(t, err)
			for i, vals := range c.trigger {
				cols[i] = column(mem, c.keyTypes[i], vals)
			}
			b := &budget{failAfter: 1, err: errStop}
			_, err = tab.FindOrInsert(b, cols, make([]int32, len(c.trigger[0])))
			release(cols)
			require.ErrorIs(t, err, errStop)
			assert.Equal(t, 1, b.calls)
		})
	}
}
