package expr

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The int64 path must agree with the 128-bit one wherever it is taken, and
// must refuse any batch holding a value outside [-2^62, 2^62).
func TestNarrowArithMatches128Bit(t *testing.T) {
	edge := []int64{0, 1, -1, 99, -99, types.NarrowBound - 1, -types.NarrowBound, -(types.NarrowBound - 1), 1 << 31, -(1 << 31), 123456789012345, -987654321098765}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		edge = append(edge, rng.Int64N(types.NarrowBound)-rng.Int64N(types.NarrowBound))
	}
	vals := make([]decimal128.Num, len(edge))
	for i, x := range edge {
		vals[i] = decimal128.FromI64(x)
	}
	rev := make([]decimal128.Num, len(vals))
	for i := range vals {
		rev[i] = vals[len(vals)-1-i]
	}
	ref := map[BinOp]func(x, y decimal128.Num) (decimal128.Num, bool){
		OpAdd: types.AddInt128, OpSub: types.SubInt128, OpMul: types.MulInt128,
	}
	for op, f := range ref {
		for _, known := range []bool{false, true} {
			for _, c := range []decimal128.Num{decimal128.FromI64(100), decimal128.FromI64(-types.NarrowBound)} {
				for _, tc := range []struct {
					name   string
					a, b   []decimal128.Num
					ca, cb decimal128.Num
				}{
					{"columns", vals, rev, decimal128.Num{}, decimal128.Num{}},
					{"column-const", vals, nil, decimal128.Num{}, c},
					{"const-column", nil, vals, c, decimal128.Num{}},
				} {
					res := make([]decimal128.Num, len(vals))
					require.True(t, narrowArith(op, tc.a, tc.b, tc.ca, tc.cb, res, known), "%s %s", op, tc.name)
					for i := range res {
						x, y := tc.ca, tc.cb
						if tc.a != nil {
							x = tc.a[i]
						}
						if tc.b != nil {
							y = tc.b[i]
						}
						want, ovf := f(x, y)
						require.False(t, ovf)
						assert.True(t, types.FitsPrecision(res[i], types.MaxDecimalPrecision))
						require.Equal(t, want, res[i], "%s %s row %d: %v %s %v", op, tc.name, i, x, op, y)
					}
				}
			}
		}
	}
}

func TestNarrowArithRefusesWideValues(t *testing.T) {
	small := []decimal128.Num{decimal128.FromI64(5), decimal128.FromI64(-7)}
	for _, wide := range []decimal128.Num{
		decimal128.FromI64(types.NarrowBound),
		decimal128.FromI64(-types.NarrowBound - 1),
		decimal128.FromI64(math.MaxInt64),
		decimal128.FromI64(math.MinInt64),
		decimal128.New(1, 0),     // 2^64
		decimal128.New(0, 1<<63), // 2^63: high word not the sign extension
		decimal128.New(-1, 1),    // -(2^64) + 1
	} {
		withWide := []decimal128.Num{small[0], wide}
		res := make([]decimal128.Num, 2)
		for _, op := range []BinOp{OpAdd, OpSub, OpMul} {
			assert.False(t, narrowArith(op, withWide, small, decimal128.Num{}, decimal128.Num{}, res, false), "%v in the left column", wide)
			assert.False(t, narrowArith(op, small, withWide, decimal128.Num{}, decimal128.Num{}, res, false), "%v in the right column", wide)
			assert.False(t, narrowArith(op, small, nil, decimal128.Num{}, wide, res, true), "%v as the constant", wide)
			assert.False(t, narrowArith(op, nil, small, wide, decimal128.Num{}, res, true), "%v as the constant", wide)
		}
	}
}
