package operators

import (
	"context"
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test data of the aggregates below: three groups, the first with
// values (and a NULL), the second with only NULLs, the third with no
// rows at all.
var (
	moreYs   = []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7}
	moreXs   = []float64{2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9, 0}
	moreGids = []int32{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0}
	// NULL at: the x of row 5 and the y of row 9 (row 13 is a NULL y
	// too), and every value of group 1.
	moreNullY = map[int]bool{9: true, 11: true, 12: true, 13: true}
	moreNullX = map[int]bool{5: true, 11: true, 12: true}
)

func floatArray(mem memory.Allocator, vals []float64, null map[int]bool) arrow.Array {
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	for i, v := range vals {
		if null[i] {
			b.AppendNull()
		} else {
			b.Append(v)
		}
	}
	return b.NewArray()
}

func intArray(mem memory.Allocator, vals []float64, null map[int]bool) arrow.Array {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	for i, v := range vals {
		if null[i] {
			b.AppendNull()
		} else {
			b.Append(int64(v))
		}
	}
	return b.NewArray()
}

// validYs are group 0's non-NULL ys, and the (y, x) pairs with neither NULL.
func validYs() []float64 {
	var out []float64
	for i, y := range moreYs {
		if moreGids[i] == 0 && !moreNullY[i] {
			out = append(out, y)
		}
	}
	return out
}

func validPairs() (ys, xs []float64) {
	for i := range moreYs {
		if moreGids[i] == 0 && !moreNullY[i] && !moreNullX[i] {
			ys, xs = append(ys, moreYs[i]), append(xs, moreXs[i])
		}
	}
	return ys, xs
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// centralMoment is the k-th central moment of v (divided by n).
func centralMoment(v []float64, k float64) float64 {
	m, s := mean(v), 0.0
	for _, x := range v {
		s += math.Pow(x-m, k)
	}
	return s / float64(len(v))
}

func coMoment(ys, xs []float64) float64 {
	my, mx, s := mean(ys), mean(xs), 0.0
	for i := range ys {
		s += (ys[i] - my) * (xs[i] - mx)
	}
	return s
}

// aggRun feeds rows [from, to) of y (and x) into acc.
func aggRun(t *testing.T, task *Task, acc accumulator, y, x arrow.Array, from, to int) {
	ys := array.NewSlice(y, int64(from), int64(to))
	defer ys.Release()
	gids := moreGids[from:to]
	if x != nil {
		xs := array.NewSlice(x, int64(from), int64(to))
		defer xs.Release()
		require.NoError(t, acc.(twoArgUpdater).update2(task, gids, ys, xs))
		return
	}
	require.NoError(t, acc.update(task, gids, ys))
}

func finishAll(t *testing.T, task *Task, acc accumulator, n int) arrow.Array {
	if p, ok := acc.(preparer); ok {
		require.NoError(t, p.prepare(task, 0, n))
	}
	return acc.finish(task.Alloc(), 0, n)
}

// Each aggregate once over all rows and once split in three partial
// states merged by the final phase: both give the definition's result
// for group 0, and NULL (or 0 for the counts and entropy) for the group
// of NULLs and the group of no rows.
func TestMoreAggregatesOnePassAndMerged(t *testing.T) {
	ys, xs := validPairs()
	vy := validYs()
	n := float64(len(vy))
	m2, m3, m4 := centralMoment(vy, 2), centralMoment(vy, 3), centralMoment(vy, 4)
	np := float64(len(ys))
	sxx, syy, sxy := coMoment(xs, xs), coMoment(ys, ys), coMoment(ys, xs)
	product := 1.0
	for _, v := range vy {
		product *= v
	}
	bitAnd, bitOr, bitXor := int64(-1), int64(0), int64(0)
	for _, v := range vy {
		bitAnd, bitOr, bitXor = bitAnd&int64(v), bitOr|int64(v), bitXor^int64(v)
	}
	counts := map[float64]float64{}
	for _, v := range vy {
		counts[v]++
	}
	entropy := 0.0
	for _, c := range counts {
		entropy -= c / n * math.Log2(c/n)
	}
	for _, tc := range []struct {
		kind  AggKind
		two   bool // reads (y, x)
		ints  bool // over BIGINT
		want  float64
		empty any // the result over no values: nil is NULL
	}{
		{kind: AggProduct, want: product},
		{kind: AggBitAnd, ints: true, want: float64(bitAnd)},
		{kind: AggBitOr, ints: true, want: float64(bitOr)},
		{kind: AggBitXor, ints: true, want: float64(bitXor)},
		{kind: AggFSum, want: n * mean(vy)},
		{kind: AggFAvg, want: mean(vy)},
		{kind: AggSkewness, want: math.Sqrt(n*(n-1)) / (n - 2) * m3 / math.Pow(m2, 1.5)},
		{kind: AggKurtosis, want: (n - 1) * ((n+1)*m4/(m2*m2) - 3*(n-1)) / ((n - 2) * (n - 3))},
		{kind: AggKurtosisPop, want: m4/(m2*m2) - 3},
		{kind: AggEntropy, want: entropy, empty: 0.0},
		{kind: AggApproxCountDistinct, want: float64(len(counts)), empty: int64(0)},
		{kind: AggCovarPop, two: true, want: sxy / np},
		{kind: AggCovarSamp, two: true, want: sxy / (np - 1)},
		{kind: AggCorr, two: true, want: sxy / math.Sqrt(sxx*syy)},
		{kind: AggRegrSlope, two: true, want: sxy / sxx},
		{kind: AggRegrIntercept, two: true, want: mean(ys) - sxy/sxx*mean(xs)},
		{kind: AggRegrCount, two: true, want: np, empty: int64(0)},
		{kind: AggRegrR2, two: true, want: sxy * sxy / (sxx * syy)},
		{kind: AggRegrAvgX, two: true, want: mean(xs)},
		{kind: AggRegrAvgY, two: true, want: mean(ys)},
		{kind: AggRegrSXX, two: true, want: sxx},
		{kind: AggRegrSYY, two: true, want: syy},
		{kind: AggRegrSXY, two: true, want: sxy},
	} {
		t.Run(tc.kind.String(), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			task := NewTask(context.Background(), mem)
			in := types.Float64Type
			newArr := floatArray
			if tc.ints {
				in, newArr = types.Int64Type, intArray
			}
			y := newArr(mem, moreYs, moreNullY)
			defer y.Release()
			var x arrow.Array
			spec := AggSpec{Kind: tc.kind, In: in}
			if tc.two {
				x = floatArray(mem, moreXs, moreNullX)
				defer x.Release()
				spec.In2 = types.Float64Type
			}
			out, err := AggResultType(tc.kind, in)
			require.NoError(t, err)
			spec.Out = out
			const groups = 3

			one, err := newAccumulator(spec)
			require.NoError(t, err)
			require.NoError(t, one.resize(task, groups))
			aggRun(t, task, one, y, x, 0, len(moreYs))
			results := []arrow.Array{finishAll(t, task, one, groups)}

			_, states, final, ok := SplitAggregates(0, []AggSpec{spec})
			if tc.kind == AggEntropy {
				assert.False(t, ok, "entropy keeps counts per value: not split")
			} else {
				require.True(t, ok)
				merged, err := newAccumulator(final[0])
				require.NoError(t, err)
				require.NoError(t, merged.resize(task, groups))
				for _, r := range [][2]int{{0, 5}, {5, 6}, {6, len(moreYs)}} {
					part, err := newAccumulator(spec)
					require.NoError(t, err)
					require.NoError(t, part.resize(task, groups))
					aggRun(t, task, part, y, x, r[0], r[1])
					var cols []arrow.Array
					if s, ok := part.(stateAcc); ok {
						cols = s.states(mem, 0, groups)
					} else {
						cols = []arrow.Array{finishAll(t, task, part, groups)}
					}
					require.Len(t, cols, len(states))
					if final[0].Kind == AggStateMerge {
						require.NoError(t, merged.(stateAcc).merge(task, []int32{0, 1, 2}, cols))
					} else {
						require.NoError(t, merged.update(task, []int32{0, 1, 2}, cols[0]))
					}
					for _, c := range cols {
						c.Release()
					}
				}
				results = append(results, finishAll(t, task, merged, groups))
			}
			for i, res := range results {
				what := []string{"one pass", "merged"}[i]
				switch r := res.(type) {
				case *array.Float64:
					assert.InDelta(t, tc.want, r.Value(0), 1e-12*math.Max(1, math.Abs(tc.want)), what)
				case *array.Int64:
					assert.Equal(t, int64(tc.want), r.Value(0), what)
				default:
					t.Fatalf("%s: result %T", what, res)
				}
				for g := 1; g < groups; g++ {
					if tc.empty == nil {
						assert.True(t, res.IsNull(g), "%s: group %d", what, g)
						continue
					}
					require.True(t, res.IsValid(g), "%s: group %d", what, g)
					switch r := res.(type) {
					case *array.Float64:
						assert.Equal(t, tc.empty, r.Value(g), what)
					case *array.Int64:
						assert.Equal(t, tc.empty, r.Value(g), what)
					}
				}
				res.Release()
			}
		})
	}
}
