package operators

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// Per-group state and join chains live in pages (package paged); state
// that fits one page takes a slice fast path, larger state the paged one.
// Real inputs reach a second page only past millions of entries, so these
// tests force pages of a few entries and compare with the one-page path.

func TestHashIndexAcrossPages(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := rand.New(rand.NewPCG(5, 6))
	b := array.NewInt64Builder(mem)
	for range 10000 {
		b.Append(int64(r.IntN(900)))
	}
	keys := b.NewArray()
	b.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{keys}, int64(keys.Len()))
	keys.Release()
	defer rec.Release()
	task := NewTask(context.Background(), mem)
	rows, err := newBuildRows(task, schema, []arrow.Record{rec})
	require.NoError(t, err)
	defer rows.release()
	flat, _, err := buildHashIndex(task, rows, []int{0})
	require.NoError(t, err)
	paged, _, err := buildHashIndexPaged(task, rows, []int{0}, 3)
	require.NoError(t, err)
	require.Greater(t, len(paged.next.Pages), 1000, "eight chains a page")
	require.Len(t, flat.next.Pages, 1)

	// The probe walks the same chains, pair by pair, through both indexes.
	probe := make([]int32, 3000)
	for i := range probe {
		probe[i] = int32(r.IntN(flat.table.Len()+50)) - 25 // some rows match nothing (-1 and below)
		if probe[i] >= int32(flat.table.Len()) {
			probe[i] = -1
		}
	}
	walk := func(idx *hashIndex) (p, b []int32) {
		h := &HashJoin{idx: idx, gids: probe, chain: -1}
		for done := false; !done; {
			p, b, done, err = h.next(task, p, b, len(p)+777)
			require.NoError(t, err)
		}
		return p, b
	}
	fp, fb := walk(flat)
	pp, pb := walk(paged)
	assert.Equal(t, fp, pp)
	assert.Equal(t, fb, pb)
	assert.Greater(t, len(fp), 10000, "the probe found chains")
}

// pageSmall makes every paged vector of an accumulator use pages of 1<<3.
func pageSmall(acc accumulator) {
	const s = 3
	switch a := acc.(type) {
	case *countAcc:
		a.counts.Shift = s
	case *sumIntAcc:
		a.sums.Shift, a.seen.Shift = s, s
	case *sumFloatAcc:
		a.sums.Shift, a.seen.Shift = s, s
	case *sumDecAcc:
		a.sums.Shift, a.seen.Shift = s, s
	case *avgAcc:
		a.sums.Shift, a.fsums.Shift, a.counts.Shift = s, s, s
	case *minMaxAcc[int64]:
		a.best.Shift, a.seen.Shift = s, s
	case *minMaxDatum:
		a.best.Shift = s
	default:
		panic("pageSmall: add the accumulator")
	}
}

func TestAccumulatorsAcrossPages(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := rand.New(rand.NewPCG(7, 8))
	const groups, rows = 500, 6000
	narrow, wide := types.DecimalType(12, 2), types.DecimalType(38, 2)
	ints, floats := array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
	narrows := array.NewDecimal128Builder(mem, narrow.Arrow().(*arrow.Decimal128Type))
	wides := array.NewDecimal128Builder(mem, wide.Arrow().(*arrow.Decimal128Type))
	strs := array.NewStringBuilder(mem)
	gids := make([]int32, rows)
	for i := range gids {
		gids[i] = int32(r.IntN(groups))
		if r.IntN(10) == 0 {
			ints.AppendNull()
			floats.AppendNull()
			narrows.AppendNull()
			wides.AppendNull()
			strs.AppendNull()
			continue
		}
		v := int64(r.IntN(20000) - 10000)
		ints.Append(v)
		floats.Append(float64(v) / 8)
		narrows.Append(decimal128.FromI64(v))
		wides.Append(decimal128.FromI64(v))
		strs.Append(string(rune('a' + r.IntN(26))))
	}
	args := map[string]arrow.Array{
		"int": ints.NewArray(), "float": floats.NewArray(), "narrow": narrows.NewArray(),
		"wide": wides.NewArray(), "str": strs.NewArray(),
	}
	for _, b := range []array.Builder{ints, floats, narrows, wides, strs} {
		b.Release()
	}
	defer func() {
		for _, a := range args {
			a.Release()
		}
	}()
	// No-NULL copies take the narrow-decimal and count fast paths.
	dense := array.NewDecimal128Builder(mem, narrow.Arrow().(*arrow.Decimal128Type))
	for i := range rows {
		dense.Append(decimal128.FromI64(int64(i % 97)))
	}
	args["dense"] = dense.NewArray()
	dense.Release()
	for _, tc := range []struct {
		name string
		spec AggSpec
		arg  string
	}{
		{"count_star", AggSpec{Kind: AggCountStar, Out: types.Int64Type}, "int"},
		{"count", AggSpec{Kind: AggCount, In: types.Int64Type, Out: types.Int64Type}, "int"},
		{"sum_int", AggSpec{Kind: AggSum, In: types.Int64Type, Out: types.Int64Type}, "int"},
		{"sum_float", AggSpec{Kind: AggSum, In: types.Float64Type, Out: types.Float64Type}, "float"},
		{"sum_narrow", AggSpec{Kind: AggSum, In: narrow, Out: wide}, "narrow"},
		{"sum_narrow_dense", AggSpec{Kind: AggSum, In: narrow, Out: wide}, "dense"},
		{"sum_wide", AggSpec{Kind: AggSum, In: wide, Out: wide}, "wide"},
		{"avg_narrow_dense", AggSpec{Kind: AggAvg, In: narrow, Out: types.Float64Type}, "dense"},
		{"avg_float", AggSpec{Kind: AggAvg, In: types.Float64Type, Out: types.Float64Type}, "float"},
		{"avg_int", AggSpec{Kind: AggAvg, In: types.Int64Type, Out: types.Float64Type}, "int"},
		{"max_int", AggSpec{Kind: AggMax, In: types.Int64Type, Out: types.Int64Type}, "int"},
		{"min_str", AggSpec{Kind: AggMin, In: types.StringType, Out: types.StringType}, "str"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task := NewTask(context.Background(), mem)
			results := make([]string, 2)
			for k := range results {
				acc, err := newAccumulator(tc.spec)
				require.NoError(t, err)
				if k == 1 {
					pageSmall(acc)
				}
				require.NoError(t, acc.resize(task, groups))
				// In slices of a batch, as HashAggregate feeds them.
				for lo := 0; lo < rows; lo += 1000 {
					arg := array.NewSlice(args[tc.arg], int64(lo), int64(lo+1000))
					require.NoError(t, acc.update(task, gids[lo:lo+1000], arg))
					arg.Release()
				}
				out := acc.finish(mem, 0, groups)
				results[k] = out.String()
				out.Release()
			}
			assert.Equal(t, results[0], results[1])
		})
	}
}
