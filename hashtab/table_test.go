package hashtab

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dec(v int64) decimal128.Num { return decimal128.FromI64(v) }

// Each case inserts its batches in order, then probes with its probe
// batch (or the inserted batches when it has none).
func TestFindOrInsertAndFind(t *testing.T) {
	negZero := math.Copysign(0, -1)
	nan1, nan2 := math.NaN(), math.Float64frombits(0x7ff8_dead_beef_0001)
	wideNeg, _ := types.MulInt128(dec(-1), types.Pow10(37))
	cases := []struct {
		name    string
		types   []types.T
		batches [][][]any // batch, column, row
		probe   [][]any
	}{
		{
			name:  "int64",
			types: []types.T{types.Int64Type},
			batches: [][][]any{
				{{int64(5), int64(7), int64(5), nil, int64(-1), int64(math.MinInt64), int64(math.MaxInt64), int64(0)}},
				{{nil, int64(7), int64(8), int64(0), int64(math.MinInt64)}},
			},
			probe: [][]any{{int64(5), nil, int64(99), int64(0), int64(math.MaxInt64), int64(-1)}},
		},
		{
			name:  "date",
			types: []types.T{types.DateType},
			batches: [][][]any{
				{{arrow.Date32(19000), nil, arrow.Date32(-719468), arrow.Date32(19000), arrow.Date32(math.MaxInt32)}},
				{{arrow.Date32(0), nil, arrow.Date32(math.MinInt32)}},
			},
			probe: [][]any{{arrow.Date32(19000), arrow.Date32(1), nil, arrow.Date32(math.MinInt32)}},
		},
		{
			name:  "string",
			types: []types.T{types.StringType},
			batches: [][][]any{
				{{"a", "", nil, "a", "ab", "b", strings.Repeat("x", 1000), ""}},
				{{"\x00", "a\x00", nil, "ab"}},
			},
			probe: [][]any{{"a", "", "\x00", "ab\x00", nil, "zz"}},
		},
		{
			name:  "decimal",
			types: []types.T{types.DecimalType(38, 2)},
			batches: [][][]any{
				{{dec(1250), dec(-1250), nil, dec(0), dec(1250), types.Pow10(37), wideNeg}},
			},
			probe: [][]any{{dec(1250), dec(125), nil, wideNeg, types.Pow10(36)}},
		},
		{
			name:  "float",
			types: []types.T{types.Float64Type},
			batches: [][][]any{
				{{0.0, negZero, nan1, nil, nan2, 1.5, -1.5, math.Inf(1), math.Inf(-1), nil}},
				{{negZero, math.NaN(), 1.5, 0.0}},
			},
			probe: [][]any{{negZero, 0.0, nan2, nil, 2.5, math.Inf(-1)}},
		},
		{
			name:  "bool",
			types: []types.T{types.BoolType},
			batches: [][][]any{
				{{true, false, nil, true, false, nil}},
			},
			probe: [][]any{{nil, false, true}},
		},
		{
			name:    "null type",
			types:   []types.T{types.NullType},
			batches: [][][]any{{{nil, nil, nil}}},
			probe:   [][]any{{nil}},
		},
		{
			name:  "int64 and string",
			types: []types.T{types.Int64Type, types.StringType},
			batches: [][][]any{
				{
					{int64(1), int64(1), int64(2), nil, nil, int64(1), int64(1)},
					{"a", "b", "a", "a", nil, nil, "a"},
				},
			},
			probe: [][]any{
				{int64(1), int64(1), nil, int64(2), int64(1)},
				{"a", nil, "a", "b", "b"},
			},
		},
		{
			// Encodings must not collide across column boundaries: ("ab","c")
			// and ("a","bc") are different keys.
			name:  "string pairs",
			types: []types.T{types.StringType, types.StringType},
			batches: [][][]any{
				{
					{"ab", "a", "", "abc", nil, ""},
					{"c", "bc", "abc", "", "", nil},
				},
			},
		},
		{
			name:  "date decimal bool float",
			types: []types.T{types.DateType, types.DecimalType(10, 3), types.BoolType, types.Float64Type},
			batches: [][][]any{
				{
					{arrow.Date32(1), arrow.Date32(1), arrow.Date32(1), nil, arrow.Date32(1)},
					{dec(5), dec(5), dec(5), dec(5), nil},
					{true, true, false, true, true},
					{0.0, negZero, 0.0, 0.0, nan1},
				},
				{
					{arrow.Date32(1), arrow.Date32(1)},
					{nil, dec(5)},
					{true, false},
					{nan2, negZero},
				},
			},
		},
		{
			name:  "int64 and null type",
			types: []types.T{types.Int64Type, types.NullType},
			batches: [][][]any{
				{{int64(1), int64(2), int64(1), nil}, {nil, nil, nil, nil}},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := checkedMem(t)
			tab := New(c.types)
			ref := newReference()
			for _, batch := range c.batches {
				cols := make([]arrow.Array, len(c.types))
				for i, vals := range batch {
					cols[i] = column(mem, c.types[i], vals)
				}
				insert(t, tab, ref, &budget{}, cols)
				find(t, tab, ref, cols)
				findSliced(t, tab, cols)
				release(cols)
			}
			if c.probe != nil {
				cols := make([]arrow.Array, len(c.types))
				for i, vals := range c.probe {
					cols[i] = column(mem, c.types[i], vals)
				}
				find(t, tab, ref, cols)
				findSliced(t, tab, cols)
				release(cols)
			}
			requireKeyArrays(t, mem, tab, ref, c.types, 0, tab.Len())
		})
	}
}

// The identities SQL grouping needs, spelled out.
func TestGroupingIdentities(t *testing.T) {
	mem := checkedMem(t)
	groups := func(typ types.T, vals ...any) []int32 {
		col := column(mem, typ, vals)
		defer col.Release()
		out := make([]int32, len(vals))
		_, err := New([]types.T{typ}).FindOrInsert(&budget{}, []arrow.Array{col}, out)
		require.NoError(t, err)
		return out
	}
	assert.Equal(t, []int32{0, 0}, groups(types.Float64Type, 0.0, math.Copysign(0, -1)), "-0 and +0 are one group")
	assert.Equal(t, []int32{0, 0, 0}, groups(types.Float64Type, math.NaN(), -math.NaN(), math.Float64frombits(0x7ff0_0000_0000_0001)), "every NaN is one group")
	assert.Equal(t, []int32{0, 1, 2, 1, 0}, groups(types.Float64Type, math.NaN(), nil, 0.0, nil, math.NaN()), "NULL is its own group, apart from NaN and 0")
	assert.Equal(t, []int32{0, 1, 0}, groups(types.Int64Type, nil, int64(0), nil), "NULL is not 0")
	assert.Equal(t, []int32{0, 1, 0}, groups(types.DateType, nil, arrow.Date32(0), nil), "NULL is not the epoch")
	assert.Equal(t, []int32{0, 1, 0}, groups(types.StringType, nil, "", nil), "NULL is not the empty string")
	assert.Equal(t, []int32{0, 1, 0, 2}, groups(types.BoolType, nil, false, nil, true), "NULL is not false")
	assert.Equal(t, []int32{0, 1, 0}, groups(types.DecimalType(5, 2), nil, dec(0), nil), "NULL is not 0")
}

// Random keys of every layout through many rehashes (or widenings of a
// direct array), checked against the reference, with sliced inputs
// (offsets) and NULLs. Sparse BIGINTs end up hashed, dense DATEs direct;
// pairs of BIGINTs beyond 32 bits end up serialised, pairs of DATEs packed.
func TestGrowthThroughRehashes(t *testing.T) {
	layouts := []struct {
		name  string
		types []types.T
		want  layout
	}{
		{"int64", []types.T{types.Int64Type}, layoutWord},
		{"date", []types.T{types.DateType}, layoutDirect},
		{"string", []types.T{types.StringType}, layoutBytes},
		{"int64 string", []types.T{types.Int64Type, types.StringType}, layoutBytes},
		{"decimal bool", []types.T{types.DecimalType(20, 2), types.BoolType}, layoutBytes},
		{"int64 int64", []types.T{types.Int64Type, types.Int64Type}, layoutBytes},
		{"date date", []types.T{types.DateType, types.DateType}, layoutPair},
		{"date int64", []types.T{types.DateType, types.Int64Type}, layoutBytes},
		{"bool date", []types.T{types.BoolType, types.DateType}, layoutPair},
		{"string bool", []types.T{types.StringType, types.BoolType}, layoutBytes},
	}
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			mem := checkedMem(t)
			r := rand.New(rand.NewPCG(1, 2))
			tab := New(l.types)
			ref := newReference()
			b := &budget{}
			const batches, rows = 16, 8192
			for i := 0; i < batches; i++ {
				// Half the keys repeat earlier ones, half are new.
				cols := randKeys(mem, r, l.types, rows, (i+1)*rows)
				insert(t, tab, ref, b, cols)
				release(cols)
			}
			require.Equal(t, l.want, tab.layout)
			if tab.layout == layoutDirect {
				assert.LessOrEqual(t, uint64(tab.direct.Len()), directLimit(tab.Len()), "direct range bounded")
				assert.Empty(t, tab.slots)
			} else {
				rehashes := 0
				for n := minSlots; n < len(tab.slots); n *= 2 {
					rehashes++
				}
				assert.GreaterOrEqual(t, rehashes, 6, "%d groups", tab.Len())
				assert.LessOrEqual(t, 2*tab.Len(), len(tab.slots), "load factor at most 1/2")
				assert.NotNil(t, tab.smap, "slots of %d bytes are mapped", len(tab.slots)*(slotSize+1))
			}
			assert.Positive(t, b.spent, "growth spends budget")
			// Probe with fresh random keys, half present.
			for i := 0; i < 3; i++ {
				cols := randKeys(mem, r, l.types, rows, batches*rows)
				find(t, tab, ref, cols)
				release(cols)
			}
			requireKeyArrays(t, mem, tab, ref, l.types, 0, tab.Len())
			requireKeyArrays(t, mem, tab, ref, l.types, 1, tab.Len()/3)
			requireKeyArrays(t, mem, tab, ref, l.types, tab.Len()-1, tab.Len())
			requireKeyArrays(t, mem, tab, ref, l.types, 5, 5)
			assert.Positive(t, tab.Bytes())
		})
	}
}

// randKeys returns n rows of random keys drawn from about domain values,
// 1% NULL, as slices of larger arrays.
func randKeys(mem memory.Allocator, r *rand.Rand, keyTypes []types.T, n, domain int) []arrow.Array {
	cols := make([]arrow.Array, len(keyTypes))
	off := r.IntN(9)
	for c, typ := range keyTypes {
		vals := make([]any, off+n)
		for i := range vals {
			if r.IntN(100) == 0 {
				continue
			}
			k := r.IntN(domain)
			switch typ.Kind {
			case types.Int64:
				vals[i] = int64(k)*7919 - 1<<40
			case types.Date:
				vals[i] = arrow.Date32(k - domain/2)
			case types.String:
				vals[i] = strings.Repeat("k", k%5) + string(rune('a'+k%26)) + string(rune('0'+k/26%10)) + string(rune('A'+k/260%26)) + string(rune('a'+k/6760%26))
			case types.Decimal:
				vals[i] = decimal128.New(int64(k%3), uint64(k))
			case types.Bool:
				vals[i] = k%2 == 0
			}
		}
		whole := column(mem, typ, vals)
		cols[c] = array.NewSlice(whole, int64(off), int64(off+n))
		whole.Release()
	}
	return cols
}

// A budget that fails while the table grows makes FindOrInsert return
// its error at once (the query was cancelled mid-rehash); the table is
// then dropped, as FindOrInsert's doc says.
func TestBudgetFailsDuringGrowth(t *testing.T) {
	for _, keyTypes := range [][]types.T{{types.Int64Type}, {types.StringType, types.Int64Type}} {
		mem := checkedMem(t)
		errStop := errors.New("cancelled")
		tab := New(keyTypes)
		b := &budget{failAfter: 1, err: errStop}
		r := rand.New(rand.NewPCG(3, 4))
		var err error
		inserted := 0
		for i := 0; i < 10 && err == nil; i++ {
			cols := randKeys(mem, r, keyTypes, 8192, 1<<30)
			out := make([]int32, 8192)
			_, err = tab.FindOrInsert(b, cols, out)
			release(cols)
			inserted += 8192
		}
		require.ErrorIs(t, err, errStop, "%v", keyTypes)
		assert.Equal(t, 1, b.calls, "the first spend fails and nothing spends after it")
		assert.LessOrEqual(t, b.spent, growChunk, "one spend of at most a chunk")
		assert.Less(t, inserted, 10*8192, "stopped early")
	}
}

// Find never matches a row with a NULL key, even when the table has a
// NULL group (GROUP BY puts one there; a join probe must not match it).
func TestFindNeverMatchesNull(t *testing.T) {
	for _, keyTypes := range [][]types.T{
		{types.Int64Type}, {types.DateType}, {types.StringType}, {types.Float64Type}, {types.BoolType},
		{types.DecimalType(12, 2)}, {types.Int64Type, types.StringType}, {types.NullType},
	} {
		mem := checkedMem(t)
		tab := New(keyTypes)
		nulls := make([]arrow.Array, len(keyTypes))
		for c, typ := range keyTypes {
			nulls[c] = column(mem, typ, []any{nil, nil})
		}
		out := make([]int32, 2)
		_, err := tab.FindOrInsert(&budget{}, nulls, out)
		require.NoError(t, err)
		require.Equal(t, []int32{0, 0}, out, "%v: NULL is one group", keyTypes)
		tab.Find(&Probe{}, nulls, out)
		assert.Equal(t, []int32{-1, -1}, out, "%v", keyTypes)
		release(nulls)
	}
	// One NULL column is enough to miss, though the other matches.
	mem := checkedMem(t)
	keyTypes := []types.T{types.Int64Type, types.StringType}
	tab := New(keyTypes)
	ins := []arrow.Array{column(mem, types.Int64Type, []any{int64(1), int64(1)}), column(mem, types.StringType, []any{nil, "a"})}
	defer release(ins)
	out := make([]int32, 2)
	_, err := tab.FindOrInsert(&budget{}, ins, out)
	require.NoError(t, err)
	tab.Find(&Probe{}, ins, out)
	assert.Equal(t, []int32{-1, 1}, out)
}

// A NULL string may still own bytes in the data buffer (arrow allows it,
// e.g. from kernels that write every row). The bytes are not part of the
// key: such a NULL groups with every other NULL.
func TestNullStringWithData(t *testing.T) {
	mem := checkedMem(t)
	data := memory.NewBufferBytes([]byte("xyzab"))
	offsets := memory.NewBufferBytes(arrow.Int32Traits.CastToBytes([]int32{0, 3, 3, 5, 5}))
	valid := memory.NewBufferBytes([]byte{0b1100}) // rows 0 and 1 NULL, 2 and 3 valid
	d := array.NewData(arrow.BinaryTypes.String, 4, []*memory.Buffer{valid, offsets, data}, nil, 2, 0)
	dirty := array.MakeFromData(d)
	d.Release()
	defer dirty.Release()
	require.Equal(t, []any{nil, nil, "ab", ""}, []any{valueAt(dirty, 0), valueAt(dirty, 1), valueAt(dirty, 2), valueAt(dirty, 3)})

	for _, keyTypes := range [][]types.T{{types.StringType}, {types.StringType, types.Int64Type}} {
		cols := []arrow.Array{dirty}
		if len(keyTypes) == 2 {
			ints := column(mem, types.Int64Type, []any{int64(1), int64(1), int64(1), int64(1)})
			defer ints.Release()
			cols = append(cols, ints)
		}
		tab := New(keyTypes)
		out := make([]int32, 4)
		n, err := tab.FindOrInsert(&budget{}, cols, out)
		require.NoError(t, err)
		assert.Equal(t, []int32{0, 0, 1, 2}, out, "%v", keyTypes)
		assert.Equal(t, 3, n)
		keys := tab.KeyArrays(mem, 0, tab.Len())
		assert.Equal(t, []any{nil, "ab", ""}, []any{valueAt(keys[0], 0), valueAt(keys[0], 1), valueAt(keys[0], 2)})
		if len(keyTypes) == 2 {
			assert.Equal(t, []any{int64(1), int64(1), int64(1)}, []any{valueAt(keys[1], 0), valueAt(keys[1], 1), valueAt(keys[1], 2)})
		}
		release(keys)
	}
}

// A Table built once may be probed from several goroutines, each with its
// own Probe (parallel hash-join workers share the build side). Run with
// -race.
func TestConcurrentFind(t *testing.T) {
	mem := checkedMem(t)
	for _, keyTypes := range [][]types.T{{types.Int64Type}, {types.StringType, types.Int64Type}} {
		r := rand.New(rand.NewPCG(5, 6))
		tab := New(keyTypes)
		ref := newReference()
		cols := randKeys(mem, r, keyTypes, 8192, 5000)
		insert(t, tab, ref, &budget{}, cols)
		want := ref.find(cols)
		// The probe columns are shared by the goroutines below; a slice's
		// first NullN stores its count (vector.SettleNulls), and the
		// engine settles what it shares the same way.
		for _, c := range cols {
			c.NullN()
		}
		done := make(chan []int32)
		for w := 0; w < 4; w++ {
			go func() {
				p := &Probe{}
				out := make([]int32, 8192)
				for i := 0; i < 5; i++ {
					tab.Find(p, cols, out)
				}
				done <- out
			}()
		}
		for w := 0; w < 4; w++ {
			assert.Equal(t, want, <-done)
		}
		release(cols)
	}
}

func TestEmptyTable(t *testing.T) {
	mem := checkedMem(t)
	for _, keyTypes := range [][]types.T{{types.Int64Type}, {types.StringType}} {
		tab := New(keyTypes)
		assert.Zero(t, tab.Len())
		col := column(mem, keyTypes[0], []any{nil})
		out := []int32{7}
		tab.Find(&Probe{}, []arrow.Array{col}, out)
		assert.Equal(t, []int32{-1}, out)
		col.Release()
		keys := tab.KeyArrays(mem, 0, 0)
		require.Len(t, keys, 1)
		assert.Zero(t, keys[0].Len())
		release(keys)
	}
}

// findSliced checks that Find over slices of cols (arrays with an
// offset, as a hash join probes a batch a part at a time) agrees with
// Find over the whole.
func findSliced(t *testing.T, tab *Table, cols []arrow.Array) {
	t.Helper()
	n := cols[0].Len()
	whole := make([]int32, n)
	tab.Find(&Probe{}, cols, whole)
	for lo := 1; lo < n; lo++ {
		for _, hi := range []int{lo + 1, n} {
			part := make([]arrow.Array, len(cols))
			for i, c := range cols {
				part[i] = array.NewSlice(c, int64(lo), int64(hi))
			}
			out := make([]int32, hi-lo)
			tab.Find(&Probe{}, part, out)
			require.Equal(t, whole[lo:hi], out, "rows [%d, %d)", lo, hi)
			release(part)
		}
	}
}

// The bytes layout inserts a batch a piece at a time, spending after each
// piece: a whole batch of 8192 rows went 1-4 ms between two checks when
// its scratch was fresh memory. The first batch sets the layout up (a
// pair table converts, spending on its own); in the second the keys
// repeat (no growth), so every spend is a piece's. The groups match the
// reference's throughout.
func TestBytesLayoutSpendsEveryPiece(t *testing.T) {
	for _, keyTypes := range [][]types.T{{types.StringType}, {types.Int64Type, types.StringType}} {
		mem := checkedMem(t)
		tab := New(keyTypes)
		ref := newReference()
		r := rand.New(rand.NewPCG(5, 6))
		const rows = 8192
		for i := range 2 {
			b := &budget{}
			cols := randKeys(mem, r, keyTypes, rows, 20) // under 512 groups: no growth
			insert(t, tab, ref, b, cols)
			release(cols)
			require.Equal(t, layoutBytes, tab.layout)
			if i == 1 {
				assert.Equal(t, rows/bytesPiece, b.calls, "%v: a spend per piece", keyTypes)
				assert.Equal(t, rows*bytesRowUnits, b.spent, "%v", keyTypes)
			}
		}
	}
}
