package operators

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// A sort test builds random batches of key columns plus a last "id" column
// numbering the input rows, sorts them, and compares the ids that come out
// with a stable sort of the same rows by a plain reference comparator.

// sortColGen generates one column's values: a Go value per row (nil for
// NULL) that the reference comparator understands.
type sortColGen struct {
	name string
	typ  types.T
	gen  func(r *rand.Rand) any
}

func pick[T any](r *rand.Rand, vs ...T) T { return vs[r.IntN(len(vs))] }

func sortColGens() []sortColGen {
	long := strings.Repeat("shared-prefix-", 3)
	huge := strings.Repeat("x", tieMaxFrom+40) // past the prefix sorted again by codes
	return []sortColGen{
		{"int_small", types.Int64Type, func(r *rand.Rand) any { return int64(r.IntN(5) - 2) }},
		{"int_wide", types.Int64Type, func(r *rand.Rand) any {
			return pick(r, math.MinInt64, math.MaxInt64, 0, -1, int64(r.Uint64()))
		}},
		{"float", types.Float64Type, func(r *rand.Rand) any {
			return pick(r, math.NaN(), math.Inf(1), math.Inf(-1), 0.0, math.Copysign(0, -1), 1.5, -2.25, r.NormFloat64())
		}},
		{"date", types.DateType, func(r *rand.Rand) any { return arrow.Date32(r.IntN(4000) - 1000) }},
		{"dec_narrow", types.DecimalType(15, 2), func(r *rand.Rand) any { return decimal128.FromI64(int64(r.IntN(2001) - 1000)) }},
		{"dec_wide", types.DecimalType(38, 0), func(r *rand.Rand) any {
			return pick(r, decimal128.New(int64(r.IntN(5)-2), r.Uint64()), decimal128.FromI64(int64(r.IntN(7)-3)),
				decimal128.New(math.MaxInt64, math.MaxUint64), decimal128.New(math.MinInt64, 0))
		}},
		{"str_short", types.StringType, func(r *rand.Rand) any {
			return pick(r, "", "a", "ab", "ab\x00", "b", "abc", "\xff", "Z")
		}},
		{"str_long", types.StringType, func(r *rand.Rand) any {
			return pick(r, long, long+"a", long+"a\x00", long+"b", long[:20], long+"ab"+long, long+"ab"+long+"c", "x"+long)
		}},
		{"str_huge", types.StringType, func(r *rand.Rand) any {
			return pick(r, huge, huge+"a", huge+"b", huge+"ab", huge[:100], huge+"a"+huge, huge+"a"+huge+"z")
		}},
		{"str_prefix", types.StringType, func(r *rand.Rand) any { return fmt.Sprintf("Customer#%09d", r.IntN(50)) }},
		{"bool", types.BoolType, func(r *rand.Rand) any { return r.IntN(2) == 1 }},
	}
}

// compareValues is the reference order of two non-NULL values.
func compareValues(a, b any) int {
	switch x := a.(type) {
	case int64:
		return cmp.Compare(x, b.(int64))
	case float64:
		return compareFloats(x, b.(float64)) // NaN greatest, as DuckDB
	case arrow.Date32:
		return cmp.Compare(x, b.(arrow.Date32))
	case decimal128.Num:
		return types.CmpInt128(x, b.(decimal128.Num))
	case string:
		return bytes.Compare([]byte(x), []byte(b.(string)))
	case bool:
		return cmp.Compare(b2i(x), b2i(b.(bool)))
	}
	panic(fmt.Sprintf("unexpected %T", a))
}

// refCompare orders two rows (one Go value per column) by keys.
func refCompare(keys []SortKey, a, b []any) int {
	for _, k := range keys {
		x, y := a[k.Col], b[k.Col]
		switch {
		case x == nil && y == nil:
			continue
		case x == nil || y == nil:
			if (x == nil) == k.NullsFirst {
				return -1
			}
			return 1
		}
		c := compareValues(x, y)
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func appendValue(b array.Builder, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch b := b.(type) {
	case *array.Int64Builder:
		b.Append(v.(int64))
	case *array.Float64Builder:
		b.Append(v.(float64))
	case *array.Date32Builder:
		b.Append(v.(arrow.Date32))
	case *array.Decimal128Builder:
		b.Append(v.(decimal128.Num))
	case *array.StringBuilder:
		b.Append(v.(string))
	case *array.BooleanBuilder:
		b.Append(v.(bool))
	}
}

// sortInput is random batches and the same rows as Go values.
type sortInput struct {
	schema *arrow.Schema
	recs   []arrow.Record
	rows   [][]any // per row: the key columns' values, then the id
}

func (in *sortInput) release() {
	for _, r := range in.recs {
		r.Release()
	}
}

// makeSortInput builds random batches of cols. Some batches are slices of a
// larger record, so that array offsets are exercised.
func makeSortInput(mem memory.Allocator, r *rand.Rand, cols []sortColGen, batches, maxRows int, nullFrac float64) *sortInput {
	fields := make([]arrow.Field, 0, len(cols)+1)
	for _, c := range cols {
		fields = append(fields, arrow.Field{Name: c.name, Type: c.typ.Arrow(), Nullable: true})
	}
	fields = append(fields, arrow.Field{Name: "id", Type: arrow.PrimitiveTypes.Int64})
	in := &sortInput{schema: arrow.NewSchema(fields, nil)}
	for range batches {
		n := 1 + r.IntN(maxRows)
		pad := 0
		if r.IntN(3) == 0 {
			pad = 3
		}
		rb := array.NewRecordBuilder(mem, in.schema)
		for i := 0; i < n+2*pad; i++ {
			row := make([]any, len(cols)+1)
			for c, g := range cols {
				if r.Float64() >= nullFrac {
					row[c] = g.gen(r)
				}
				appendValue(rb.Field(c), row[c])
			}
			// A kept row's id is its number among the kept rows; the
			// padding sliced away shares numbers, unseen.
			row[len(cols)] = int64(len(in.rows))
			rb.Field(len(cols)).(*array.Int64Builder).Append(int64(len(in.rows)))
			if i >= pad && i < n+pad {
				in.rows = append(in.rows, row)
			}
		}
		rec := rb.NewRecord()
		rb.Release()
		if pad > 0 {
			sliced := rec.NewSlice(int64(pad), int64(n+pad))
			rec.Release()
			rec = sliced
		}
		in.recs = append(in.recs, rec)
	}
	return in
}

// expectedIDs is the id column of a stable sort of in by keys, cut to k.
func (in *sortInput) expectedIDs(keys []SortKey, k int) []int64 {
	rows := slices.Clone(in.rows)
	slices.SortStableFunc(rows, func(a, b []any) int { return refCompare(keys, a, b) })
	ids := make([]int64, 0, len(rows))
	for _, row := range rows[:min(k, len(rows))] {
		ids = append(ids, row[len(row)-1].(int64))
	}
	return ids
}

// runIDs drives op to its end and returns the id column of its output.
func runIDs(t *testing.T, mem memory.Allocator, op Operator) []int64 {
	t.Helper()
	ctx := context.Background()
	g := NewGroup(ctx)
	task := NewTask(ctx, mem, WithGroup(g))
	require.NoError(t, op.Open(task))
	var ids []int64
	for {
		rec, err := op.Next(task)
		require.NoError(t, err)
		if rec == nil {
			break
		}
		require.Positive(t, rec.NumRows())
		ids = append(ids, rec.Column(int(rec.NumCols())-1).(*array.Int64).Int64Values()...)
		rec.Release()
	}
	require.NoError(t, op.Close())
	require.NoError(t, g.Wait())
	return ids
}

// randomKeys picks 1 to 3 distinct key columns of ncols with random
// directions and NULL placements.
func randomKeys(r *rand.Rand, ncols int) []SortKey {
	perm := r.Perm(ncols)
	keys := make([]SortKey, 1+r.IntN(min(3, ncols)))
	for i := range keys {
		keys[i] = SortKey{Col: perm[i], Desc: r.IntN(2) == 1, NullsFirst: r.IntN(2) == 1}
	}
	return keys
}

func TestSortMatchesReference(t *testing.T) {
	gens := sortColGens()
	for _, tc := range []struct {
		name     string
		batches  int
		maxRows  int
		nullFrac float64
		trials   int
	}{
		{"one_row", 1, 1, 0, 10},
		{"small_batches", 20, 7, 0.2, 40},
		{"no_nulls", 6, 300, 0, 40},
		{"some_nulls", 6, 300, 0.1, 40},
		{"mostly_nulls", 4, 200, 0.9, 20},
		{"many_batches", 300, 40, 0.05, 4},
		// Enough rows that the sort joins batches (keptChunkRows).
		{"joined_batches", 160, 1000, 0.05, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(len(tc.name)), 7))
			for trial := 0; trial < tc.trials; trial++ {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				in := makeSortInput(mem, r, gens, 1+r.IntN(tc.batches), tc.maxRows, tc.nullFrac)
				keys := randomKeys(r, len(gens))
				want := in.expectedIDs(keys, len(in.rows))
				sort := NewSort(NewRecords(in.schema, in.recs, "in"), keys, 1+r.IntN(100))
				sort.in.loose = 0 // join batches from the start
				got := runIDs(t, mem, sort)
				require.Equal(t, want, got, "keys %v", keys)
				in.release()
				mem.AssertSize(t, 0)
			}
		})
	}
}

// TestSortEachType sorts by every column alone, in every direction and
// NULL placement.
func TestSortEachType(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for c, g := range sortColGens() {
		for _, desc := range []bool{false, true} {
			for _, nf := range []bool{false, true} {
				keys := []SortKey{{Col: c, Desc: desc, NullsFirst: nf}}
				t.Run(fmt.Sprintf("%s/%v", g.name, keys[0]), func(t *testing.T) {
					mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
					defer mem.AssertSize(t, 0)
					in := makeSortInput(mem, r, sortColGens(), 5, 500, 0.1)
					defer in.release()
					require.Equal(t, in.expectedIDs(keys, len(in.rows)), runIDs(t, mem, NewSort(NewRecords(in.schema, in.recs, "in"), keys, 64)))
				})
			}
		}
	}
}

func TestSortEmptyInput(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}}, nil)
	require.Empty(t, runIDs(t, mem, NewSort(NewRecords(schema, nil, "in"), []SortKey{{Col: 0}}, 10)))
}

func TestBitsFor(t *testing.T) {
	for _, tc := range []struct {
		x    uint64
		want int
	}{{0, 0}, {1, 1}, {2, 2}, {255, 8}, {256, 9}, {math.MaxUint64, 64}} {
		require.Equal(t, tc.want, bitsFor(tc.x), "%d", tc.x)
	}
}

func TestFloatImageOrder(t *testing.T) {
	vals := []float64{math.Inf(-1), -1e300, -1, -math.SmallestNonzeroFloat64, 0, math.SmallestNonzeroFloat64, 1, 1e300, math.Inf(1), math.NaN()}
	for i := 1; i < len(vals); i++ {
		require.Less(t, floatImage(vals[i-1]), floatImage(vals[i]), "%v < %v", vals[i-1], vals[i])
	}
	require.Equal(t, floatImage(0), floatImage(math.Copysign(0, -1)))
	require.Equal(t, floatImage(math.NaN()), floatImage(-math.NaN()))
}

func TestSharedPrefix(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		n    int
		want int
	}{
		{"", "", 5, 0},
		{"abc", "abd", 5, 2},
		{"abc", "abc", 5, 3},
		{"abc", "abcdef", 9, 3},
		{"0123456789abcdef", "0123456789abcdeX", 99, 15},
		{"0123456789abcdef", "0123456X89abcdef", 99, 7},
		{"0123456789abcdef", "0123456789abcdef", 12, 12},
	} {
		require.Equal(t, tc.want, sharedPrefix([]byte(tc.a), []byte(tc.b), tc.n), "%q %q", tc.a, tc.b)
	}
}

func TestTopKMatchesReference(t *testing.T) {
	gens := sortColGens()
	r := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []struct {
		name     string
		batches  int
		maxRows  int
		nullFrac float64
		ks       []int64
	}{
		{"small", 10, 50, 0.1, []int64{0, 1, 3, 10, 1000}},
		{"no_nulls", 8, 2000, 0, []int64{1, 10, 500, 5000}},
		{"compactions", 20, 3000, 0.05, []int64{1, 100, 4096, 9000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for trial := 0; trial < 3; trial++ {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				in := makeSortInput(mem, r, gens, 1+r.IntN(tc.batches), tc.maxRows, tc.nullFrac)
				keys := randomKeys(r, len(gens))
				for _, k := range tc.ks {
					want := in.expectedIDs(keys, int(k))
					got := runIDs(t, mem, NewTopK(NewRecords(in.schema, in.recs, "in"), keys, k, 1+r.IntN(100)))
					if len(want) == 0 {
						want = nil
					}
					require.Equal(t, want, got, "keys %v k %d", keys, k)
				}
				in.release()
				mem.AssertSize(t, 0)
			}
		})
	}
}

// TestSortLargeRuns sorts enough rows that radix buckets are split several
// levels deep and runs of tied string prefixes are sorted again, through
// Sort and through TopK's partial sort.
func TestSortLargeRuns(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	words := []string{"furiously ", "carefully ", "quickly ", "blithely ", "regular ", "ironic ", "pending "}
	gens := []sortColGen{
		{"sentence", types.StringType, func(r *rand.Rand) any {
			var sb strings.Builder
			for range 2 + r.IntN(5) {
				sb.WriteString(words[r.IntN(len(words))])
			}
			return sb.String()
		}},
		{"date", types.DateType, func(r *rand.Rand) any { return arrow.Date32(r.IntN(2500)) }},
		{"key", types.Int64Type, func(r *rand.Rand) any { return int64(r.IntN(1 << 40)) }},
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := makeSortInput(mem, r, gens, 12, 8192, 0.01)
	defer in.release()
	for _, keys := range [][]SortKey{
		{{Col: 0}, {Col: 1, Desc: true}},
		{{Col: 0, Desc: true, NullsFirst: true}},
		{{Col: 1}, {Col: 2}},
		{{Col: 1, Desc: true}, {Col: 0}},
		{{Col: 2, Desc: true}},
	} {
		require.Equal(t, in.expectedIDs(keys, len(in.rows)), runIDs(t, mem, NewSort(NewRecords(in.schema, in.recs, "in"), keys, 8192)), "%v", keys)
		require.Equal(t, in.expectedIDs(keys, 777), runIDs(t, mem, NewTopK(NewRecords(in.schema, in.recs, "in"), keys, 777, 100)), "%v", keys)
	}
}

// TestMergeExchangeMatchesReference sorts parts of the input in parallel
// and merges them: with the first batches in the first stream, the merge
// must equal a stable sort of the whole input (ties go to lower streams).
func TestMergeExchangeMatchesReference(t *testing.T) {
	gens := sortColGens()
	r := rand.New(rand.NewPCG(31, 32))
	for trial := 0; trial < 30; trial++ {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		in := makeSortInput(mem, r, gens, 2+r.IntN(12), 1+r.IntN(400), 0.1*float64(r.IntN(3)))
		keys := randomKeys(r, len(gens))
		streams := 1 + r.IntN(min(4, len(in.recs)))
		var sorts []Operator
		for s := 0; s < streams; s++ {
			part := in.recs[s*len(in.recs)/streams : (s+1)*len(in.recs)/streams]
			sorts = append(sorts, NewSort(NewRecords(in.schema, part, "part"), keys, 1+r.IntN(300)))
		}
		got := runIDs(t, mem, NewMergeExchange(sorts, keys, 1+r.IntN(300)))
		require.Equal(t, in.expectedIDs(keys, len(in.rows)), got, "keys %v streams %d", keys, streams)
		in.release()
		mem.AssertSize(t, 0)
	}
}

// cancelAfterCtx is a context that reports Canceled from its n-th Err call
// on: a cancel that lands at a chosen check.
type cancelAfterCtx struct {
	context.Context
	calls, n int
}

func (c *cancelAfterCtx) Err() error {
	if c.calls++; c.calls >= c.n {
		return context.Canceled
	}
	return nil
}

// TestSortRowsStopsAtEveryCheck cancels sortRows at its 1st, 2nd, 4th, ...
// check, through every phase (statistics, encoding, radix passes, runs of
// ties sorted again, and a large sort's splits), until it completes: each cancel must come back as
// context.Canceled, and a complete sort must still be right.
func TestSortRowsStopsAtEveryCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	words := []string{"furiously ", "carefully ", "quickly ", "blithely "}
	gens := []sortColGen{
		{"sentence", types.StringType, func(r *rand.Rand) any {
			var sb strings.Builder
			for range 3 + r.IntN(4) {
				sb.WriteString(words[r.IntN(len(words))])
			}
			return sb.String()
		}},
		{"key", types.Int64Type, func(r *rand.Rand) any { return int64(r.IntN(1000)) }},
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := makeSortInput(mem, r, gens, 10, 5000, 0.01)
	defer in.release()
	keys := []SortKey{{Col: 0}, {Col: 1, Desc: true}}
	for _, sizes := range []pagedSizes{defaultPagedSizes(), {runRows: 1000, pageRecs: 100}} {
		stopsAtEveryCheck(t, in, keys, sizes)
	}
}

func stopsAtEveryCheck(t *testing.T, in *sortInput, keys []SortKey, sizes pagedSizes) {
	mem := memory.NewGoAllocator()
	for n := 1; ; n *= 2 {
		ctx := &cancelAfterCtx{Context: context.Background(), n: n}
		task := NewTask(ctx, mem, WithQuantum(64))
		order, err := sortRowsSized(task, keys, in.schema, in.recs, len(in.rows), func(int64) {}, sizes, nil)
		if err == nil {
			require.Greater(t, n, 100, "a sort of %d rows looked at its context only %d times", len(in.rows), ctx.calls)
			refs := order.next(&orderCursor{}, nil, order.n)
			ids := make([]int64, len(refs))
			for i, ref := range refs {
				ids[i] = in.recs[ref.Batch].Column(2).(*array.Int64).Value(int(ref.Row))
			}
			require.Equal(t, in.expectedIDs(keys, len(in.rows)), ids)
			return
		}
		require.ErrorIs(t, err, context.Canceled, "cancelled at check %d (sizes %+v)", n, sizes)
	}
}
