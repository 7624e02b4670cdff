package expr

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/require"
)

// The narrow DECIMAL comparison (low words as integers) agrees with the
// 128-bit one for values and constants of up to 18 digits of either
// sign, at the ends of that range and in the tail past the last whole
// word of 64 values.
func TestCmpNarrowDecimalMatchesWide(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 1003                        // not a whole number of bytes
	const limit = 999_999_999_999_999_999 // 18 digits
	a := make([]decimal128.Num, n)
	for i := range a {
		switch r.IntN(10) {
		case 0:
			a[i] = decimal128.FromI64(limit)
		case 1:
			a[i] = decimal128.FromI64(-limit)
		default:
			a[i] = decimal128.FromI64(r.Int64N(200) - 100)
		}
	}
	for _, c := range []int64{-limit, -101, -5, 0, 7, 100, limit} {
		for _, op := range []BinOp{OpEq, OpNe, OpLt, OpLe, OpGt, OpGe} {
			t.Run(fmt.Sprintf("%s_%d", op, c), func(t *testing.T) {
				cd := decimal128.FromI64(c)
				require.True(t, narrowNum(cd))
				want := make([]byte, (n+7)/8)
				cmpDecimal(op, a, nil, cd, want)
				for _, kernel := range []func(BinOp, []decimal128.Num, int64, []byte) int{cmpNarrowDecimal, cmpNarrowDecimalGo} {
					got := make([]byte, (n+7)/8)
					done := kernel(op, a, c, got)
					require.Zero(t, done%8)
					require.GreaterOrEqual(t, done, n/64*64)
					cmpDecimal(op, a[done:], nil, cd, got[done/8:])
					require.Equal(t, want, got)
				}
			})
		}
	}
	require.False(t, narrowNum(decimal128.FromI64(limit).Mul(decimal128.FromI64(1000))))
	require.True(t, narrowNum(decimal128.FromI64(-1)))
}
