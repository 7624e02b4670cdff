package expr

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/stretchr/testify/require"
)

// cmpWordsAgree checks that cmpWords (the vector kernel where there is
// one) sets the same bits as the Go loop, for every operator and for
// constants inside, at and beyond the values' range.
func cmpWordsAgree[T ordered](t *testing.T, a []T, consts []T) {
	for _, c := range consts {
		for _, op := range []BinOp{OpEq, OpNe, OpLt, OpLe, OpGt, OpGe} {
			t.Run(fmt.Sprintf("%s_%v", op, c), func(t *testing.T) {
				want, got := make([]byte, len(a)/8), make([]byte, len(a)/8)
				require.Equal(t, cmpWordsGo(op, a, c, want), cmpWords(op, a, c, got))
				require.Equal(t, want, got)
			})
		}
	}
}

func TestCmpWordsVectorMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n = 1001 // whole bytes only: the caller does the tail
	i32 := make([]int32, n)
	i64 := make([]int64, n)
	for i := range i32 {
		switch r.IntN(8) {
		case 0:
			i32[i], i64[i] = math.MinInt32, math.MinInt64
		case 1:
			i32[i], i64[i] = math.MaxInt32, math.MaxInt64
		default:
			v := r.Int32N(21) - 10
			i32[i], i64[i] = v, int64(v)
		}
	}
	t.Run("int32", func(t *testing.T) {
		cmpWordsAgree(t, i32, []int32{math.MinInt32, -11, -3, 0, 4, 10, math.MaxInt32})
	})
	t.Run("int64", func(t *testing.T) {
		cmpWordsAgree(t, i64, []int64{math.MinInt64, -11, -3, 0, 4, 10, math.MaxInt64})
	})
	dates := make([]arrow.Date32, n)
	stamps := make([]arrow.Timestamp, n)
	for i := range dates {
		dates[i], stamps[i] = arrow.Date32(i32[i]), arrow.Timestamp(i64[i])
	}
	t.Run("date", func(t *testing.T) { cmpWordsAgree(t, dates, []arrow.Date32{-3, 0, 4}) })
	t.Run("timestamp", func(t *testing.T) { cmpWordsAgree(t, stamps, []arrow.Timestamp{-3, 0, 4}) })
}
