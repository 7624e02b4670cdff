package operators

import (
	"context"
	"math/big"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// Decimal sums take an unchecked int64-sized path for batches of narrow
// values (addNarrow). It must give the exact 128-bit answer whatever the
// mix of narrow and wide batches, and must not hide an overflow that an
// earlier wide value made possible.
func TestDecimalSumsNarrowAndWideBatches(t *testing.T) {
	pow2 := func(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }
	num := func(b *big.Int) decimal128.Num { return decimal128.FromBigInt(b) }
	small := func(v int64) decimal128.Num { return decimal128.FromI64(v) }
	type batch struct {
		vals []decimal128.Num
		gids []int32
		null int // row to make NULL, or -1
	}
	for _, tc := range []struct {
		name    string
		batches []batch
		wantErr bool
	}{
		{"narrow only", []batch{
			{[]decimal128.Num{small(5), small(-7), small(9)}, []int32{0, 1, 0}, -1},
			{[]decimal128.Num{small(1 << 61), small(1 << 61)}, []int32{1, 1}, -1},
		}, false},
		{"wide then narrow", []batch{
			{[]decimal128.Num{num(pow2(100)), small(3)}, []int32{0, 1}, -1},
			{[]decimal128.Num{small(4), small(-5)}, []int32{0, 1}, -1},
		}, false},
		{"NULL batch then narrow", []batch{
			{[]decimal128.Num{small(8), small(100)}, []int32{0, 0}, 1},
			{[]decimal128.Num{small(4), small(-5)}, []int32{0, 1}, -1},
		}, false},
		// A state near 2^127 from a wide value: a narrow value then
		// overflows it, which only the checked path sees.
		{"overflow after a wide value", []batch{
			{[]decimal128.Num{num(new(big.Int).Sub(pow2(127), pow2(60)))}, []int32{0}, -1},
			{[]decimal128.Num{num(pow2(61)), small(1)}, []int32{0, 1}, -1},
		}, true},
		{"overflow of wide values", []batch{
			{[]decimal128.Num{num(pow2(126)), num(pow2(126))}, []int32{0, 0}, -1},
		}, true},
	} {
		for _, kind := range []AggKind{AggSum, AggAvg} {
			t.Run(tc.name+"/"+kind.String(), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				task := NewTask(context.Background(), mem)
				dt := types.DecimalType(38, 0)
				acc, err := newAccumulator(AggSpec{Kind: kind, In: dt, Out: dt})
				require.NoError(t, err)
				want := []*big.Int{new(big.Int), new(big.Int)}
				var gotErr error
				for _, b := range tc.batches {
					bld := array.NewDecimal128Builder(mem, dt.Arrow().(*arrow.Decimal128Type))
					for i, v := range b.vals {
						if i == b.null {
							bld.AppendNull()
							continue
						}
						bld.Append(v)
						want[b.gids[i]].Add(want[b.gids[i]], v.BigInt())
					}
					arr := bld.NewArray()
					bld.Release()
					require.NoError(t, acc.resize(task, 2))
					gotErr = acc.update(task, b.gids, arr)
					arr.Release()
					if gotErr != nil {
						break
					}
				}
				if tc.wantErr {
					require.ErrorIs(t, gotErr, sqlerr.ErrOverflow)
					return
				}
				require.NoError(t, gotErr)
				var sums decimal128.Num
				for g, w := range want {
					switch a := acc.(type) {
					case *sumDecAcc:
						sums = a.sums.Get(g)
					case *avgAcc:
						sums = a.sums.Get(g)
					}
					require.Equal(t, w.String(), sums.BigInt().String(), "group %d", g)
				}
			})
		}
	}
}

// A group whose only rows are NULL has a NULL sum, whichever batches the
// unchecked path took before and after it (sumDecAcc.seenN).
func TestDecimalSumNullGroupsAmongNarrowBatches(t *testing.T) {
	type batch struct {
		gids  []int32
		nulls []bool
	}
	for _, tc := range []struct {
		name    string
		batches []batch
		want    []any // per group: int64 sum or nil
	}{
		{"NULL group after narrow batches", []batch{
			{[]int32{0, 1, 0}, nil},
			{[]int32{2, 0}, []bool{true, false}},
			{[]int32{3, 1}, nil},
		}, []any{int64(3), int64(2), nil, int64(1)}},
		{"NULL group first", []batch{
			{[]int32{0, 1}, []bool{true, false}},
			{[]int32{2, 1}, nil},
		}, []any{nil, int64(2), int64(1)}},
		{"no NULLs", []batch{
			{[]int32{0, 1}, nil},
			{[]int32{2, 2}, nil},
		}, []any{int64(1), int64(1), int64(2)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			task := NewTask(context.Background(), mem)
			dt := types.DecimalType(15, 0)
			acc, err := newAccumulator(AggSpec{Kind: AggSum, In: dt, Out: types.DecimalType(38, 0)})
			require.NoError(t, err)
			groups := 0
			for _, b := range tc.batches {
				bld := array.NewDecimal128Builder(mem, dt.Arrow().(*arrow.Decimal128Type))
				for i, g := range b.gids {
					groups = max(groups, int(g)+1)
					if b.nulls != nil && b.nulls[i] {
						bld.AppendNull()
					} else {
						bld.Append(decimal128.FromI64(1))
					}
				}
				arr := bld.NewArray()
				bld.Release()
				require.NoError(t, acc.resize(task, groups))
				require.NoError(t, acc.update(task, b.gids, arr))
				arr.Release()
			}
			out := acc.finish(mem, 0, groups).(*array.Decimal128)
			defer out.Release()
			for g, w := range tc.want {
				if w == nil {
					require.True(t, out.IsNull(g), "group %d", g)
					continue
				}
				require.True(t, out.IsValid(g), "group %d", g)
				require.Equal(t, w, int64(out.Value(g).LowBits()))
			}
		})
	}
}
