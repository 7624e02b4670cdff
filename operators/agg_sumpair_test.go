package operators

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// sumPairInput is n rows of four columns with values of every sign and
// size (products that wrap included), a selection of runs broken by
// gaps at the given rate, and groups 0 to 3 for the selected rows.
func sumPairInput(r *rand.Rand, n int, gapRate float64) (cols [4][]decimal128.Num, sel, gids []int32) {
	for k := range cols {
		cols[k] = make([]decimal128.Num, n)
		for i := range n {
			var v int64
			switch r.IntN(4) {
			case 0:
				v = r.Int64N(1000) - 500
			case 1:
				v = r.Int64N(10_000_000)
			case 2:
				v = int64(r.Uint64())
			default:
				v = math.MinInt64 + r.Int64N(3)
			}
			// The high word is not the sign: the kernels read only
			// low words.
			cols[k][i] = decimal128.New(r.Int64N(5)-2, uint64(v))
		}
	}
	for i := range n {
		if r.Float64() >= gapRate {
			sel = append(sel, int32(i))
			gids = append(gids, int32(r.IntN(sumPairGroups)))
		}
	}
	return cols, sel, gids
}

// The AVX-512 pass gives exactly what its Go loop gives, lane by lane:
// runs of eight rows and gathered ones, every length around the eights,
// and the products' wrapping.
func TestSumPairMatchesGo(t *testing.T) {
	if !sumPairKernel {
		t.Skip("no AVX-512 here: the Go loop is all there is")
	}
	r := rand.New(rand.NewPCG(5, 6))
	c := [3]int64{0, -100, 100}
	for _, gapRate := range []float64{0, 0.02, 0.5} {
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 8192} {
			t.Run(fmt.Sprintf("gaps=%v/n=%d", gapRate, n), func(t *testing.T) {
				cols, sel, gids := sumPairInput(r, n, gapRate)
				var want, got sumPairLanes
				sumPairGo(&want, sel, gids, &cols, &c)
				sumPairRows(&got, sel, gids, &cols, &c)
				require.Equal(t, want, got)
			})
		}
	}
}

// The Go loop's measures are the sums and products, group by group, that
// the pass promises: a check of the reference itself.
func TestSumPairGoSums(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	cols, sel, gids := sumPairInput(r, 500, 0.1)
	c := [3]int64{3, -100, 100}
	var out sumPairLanes
	sumPairRows(&out, sel, gids, &cols, &c)
	var want [5][sumPairGroups]int64
	var mags [4]uint64
	for j, i := range sel {
		g := gids[j]
		x := func(k int) int64 { return int64(cols[k][i].LowBits()) }
		for k := range 3 {
			want[k][g] += x(k)
		}
		p := (x(1) + 3) * (x(2) - 100)
		want[3][g] += p
		want[4][g] += p * (x(3) + 100)
		for k := range mags {
			if v := x(k); v < 0 {
				mags[k] |= uint64(-(v + 1))
			} else {
				mags[k] |= uint64(v)
			}
		}
	}
	for m := range want {
		for g := range sumPairGroups {
			require.Equal(t, want[m][g], out.total(m, g), "measure %d group %d", m, g)
		}
	}
	for k := range mags {
		require.Equal(t, mags[k], out.mag(k), "column %d", k)
	}
}

func BenchmarkSumPair(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	cols, sel, gids := sumPairInput(r, 8192, 0.015)
	c := [3]int64{0, -100, 100}
	b.Run("kernel", func(b *testing.B) {
		for b.Loop() {
			var out sumPairLanes
			sumPairRows(&out, sel, gids, &cols, &c)
		}
	})
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			var out sumPairLanes
			sumPairGo(&out, sel, gids, &cols, &c)
		}
	})
	b.Run("two-passes", func(b *testing.B) {
		for b.Loop() {
			var totals [3][laneGroups]int64
			var laneP, laneQ [lanes * laneGroups]int64
			sumColumns3(&totals, gids, sel, cols[0], cols[1], cols[2])
			fusedPair(&laneP, &laneQ, gids, sel, cols[1], cols[2], cols[3], c[0], c[1], c[2])
		}
	})
}

// sumPairShapeInput is Q1-like batches with four DECIMAL(15,2) columns
// q, p, d and t (columns 2-5), a filter column x and a key k in four
// groups. The third batch holds a q too large for the three-factor
// product's bound (where the product reads q), and the last such a t.
// Either makes that SUM wide, and sumPair does not take it after.
func sumPairShapeInput(mem memory.Allocator) (*arrow.Schema, []arrow.Record) {
	r := rand.New(rand.NewPCG(13, 14))
	dec := &arrow.Decimal128Type{Precision: 15, Scale: 2}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "x", Type: arrow.PrimitiveTypes.Int64},
		{Name: "k", Type: arrow.PrimitiveTypes.Int64},
		{Name: "q", Type: dec}, {Name: "p", Type: dec}, {Name: "d", Type: dec}, {Name: "t", Type: dec},
	}, nil)
	var recs []arrow.Record
	for bi, rows := range []int{3000, 8192, 2500, 4001} {
		b := array.NewRecordBuilder(mem, schema)
		for i := range rows {
			x := r.Int64N(100)
			b.Field(1).(*array.Int64Builder).Append(r.Int64N(sumPairGroups))
			vals := [4]int64{r.Int64N(5000) + 100, r.Int64N(10_000_000) - 1_000_000, r.Int64N(11), r.Int64N(9)}
			if i == 1000 && bi >= 2 {
				vals[3*(bi-2)], x = 1<<44, 0 // the filter keeps it
			}
			b.Field(0).(*array.Int64Builder).Append(x)
			for k, v := range vals {
				b.Field(2 + k).(*array.Decimal128Builder).Append(decimal128.FromI64(v))
			}
		}
		recs = append(recs, b.NewRecord())
		b.Release()
	}
	return schema, recs
}

// sumPair gives what the two passes and the aggregates' own kernels give,
// whatever the order of the sums, whichever of the columns the pair reads
// last, and with either sign of its last factor: a product bound that
// reads the wrong column's magnitudes, or a sum the wrong measure, fails.
func TestSumPairShapes(t *testing.T) {
	if !sumPairKernel {
		t.Skip("no AVX-512 here: sumPair does not run")
	}
	dec := types.DecimalType(15, 2)
	col := func(i int) expr.Expr { return &expr.ColumnRef{Index: i, T: dec, Name: "c"} }
	one := &expr.Literal{Value: expr.DecDatum(decimal128.FromI64(100)), T: types.DecimalType(3, 2)}
	sum := func(c int) AggSpec { return AggSpec{Kind: AggSum, Arg: c, In: dec, Out: types.DecimalType(38, 2)} }
	// pair returns the SUMs of p * (1 - d) and of that times (1 + last),
	// or (1 - last) when neg.
	pair := func(last int, neg bool) []AggSpec {
		oneMinusD := &expr.Binary{Op: expr.OpSub, L: one, R: col(4), T: types.DecimalAddType(one.T, dec)}
		pt, _ := types.DecimalMulType(dec, oneMinusD.T)
		p := &expr.Binary{Op: expr.OpMul, L: col(3), R: oneMinusD, T: pt}
		op := expr.OpAdd
		if neg {
			op = expr.OpSub
		}
		f := &expr.Binary{Op: op, L: one, R: col(last), T: types.DecimalAddType(one.T, dec)}
		qt, _ := types.DecimalMulType(pt, f.T)
		q := &expr.Binary{Op: expr.OpMul, L: p, R: f, T: qt}
		terms := []FusedTerm{{Col: 3}, {Col: 4, C: 100, Neg: true}}
		return []AggSpec{
			{Kind: AggSum, Arg: -1, In: pt, Out: types.DecimalType(38, int(pt.Scale)),
				Fused: &FusedProduct{Terms: terms, Eval: mustCompile(t, p)}},
			{Kind: AggSum, Arg: -1, In: qt, Out: types.DecimalType(38, int(qt.Scale)),
				Fused: &FusedProduct{Terms: append(terms[:2:2], FusedTerm{Col: last, C: 100, Neg: neg}), Eval: mustCompile(t, q)}},
		}
	}
	for _, tc := range []struct {
		name  string
		aggs  []AggSpec
		pairs int // batches sumPair takes
	}{
		{"q1", append([]AggSpec{sum(2), sum(3), sum(4)}, pair(5, false)...), 4},
		{"sums in another order", append([]AggSpec{sum(4), sum(2), sum(3)}, pair(5, false)...), 4},
		{"last factor negated", append([]AggSpec{sum(3), sum(4), sum(2)}, pair(5, true)...), 4},
		{"last factor a summed column", append([]AggSpec{sum(3), sum(2), sum(4)}, pair(2, false)...), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			schema, recs := sumPairShapeInput(mem)
			defer func() {
				for _, r := range recs {
					r.Release()
				}
			}()
			fields := []arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}}
			for i, s := range tc.aggs {
				fields = append(fields, arrow.Field{Name: fmt.Sprint("a", i), Type: s.Out.Arrow(), Nullable: true})
			}
			for _, filtered := range []bool{false, true} {
				run := func(batch bool) ([]string, int) {
					var in Operator = NewRecords(schema, recs, "batches")
					if filtered {
						in = NewFilter(in, lessThan(t, 0, 97), "x < 97")
					}
					h, err := NewHashAggregate(in, []int{1}, tc.aggs, arrow.NewSchema(fields, nil), 8192)
					require.NoError(t, err)
					h.batch.off = !batch
					return rowsOf(t, NewTask(context.Background(), mem), h), h.batch.pairs
				}
				want, _ := run(false)
				got, pairs := run(true)
				require.Equal(t, tc.pairs, pairs, "batches sumPair took")
				require.Equal(t, want, got, "filtered=%v", filtered)
			}
		})
	}
}
