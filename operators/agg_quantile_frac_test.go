package operators

import (
	"math/big"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected ranks and values below are DuckDB 1.5.6's answers.

func TestDiscRank(t *testing.T) {
	exact := func(num int64, scale uint8) QuantileFrac {
		f := QuantileFrac{Num: num, Scale: scale, Exact: true}
		f.Q = float64(num)
		for range scale {
			f.Q /= 10
		}
		return f
	}
	tests := []struct {
		name string
		f    QuantileFrac
		n    int
		want int
	}{
		{"median of 4 is the lower middle", exact(5, 1), 4, 1},
		{"median of 5", exact(5, 1), 5, 2},
		{"just above the middle", exact(51, 2), 4, 2},
		{"0.07 of 100 exactly", exact(7, 2), 100, 6},
		{"0.07 of 100 in double", QuantileFrac{Q: 0.07}, 100, 6},
		{"0 is the least", exact(0, 0), 10, 0},
		{"1 is the greatest", exact(1, 0), 10, 9},
		{"one value", exact(3, 1), 1, 0},
		{"-0.25 counts from the top", QuantileFrac{Q: 0.25, Desc: true, Num: 25, Scale: 2, Exact: true}, 10, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.f.discRank(tt.n))
		})
	}
}

func TestContRanks(t *testing.T) {
	frn, crn, d := QuantileFrac{Q: 0.9}.contRanks(4)
	assert.Equal(t, []int{2, 3}, []int{frn, crn})
	// 4 + 3*d is DuckDB's 6.1000000000000005 for quantile_cont(0.9) of 1, 2, 4, 7.
	assert.Equal(t, 6.1000000000000005, interpFloat(4, 7, d))
	frn, crn, d = QuantileFrac{Q: 0.5}.contRanks(5)
	assert.Equal(t, []int{2, 2, 0}, []int{frn, crn, int(d)})
}

func TestInterpDecimal(t *testing.T) {
	dec := func(s string) decimal128.Num {
		b, ok := new(big.Int).SetString(s, 10)
		require.True(t, ok)
		return decimal128.FromBigInt(b)
	}
	tests := []struct {
		name      string
		precision int
		lo, hi    string
		d         float64
		want      string
	}{
		// median(DECIMAL(10,2)) of 1.01, 2.04 is 1.52; of -1.01, -2.04 -1.53.
		{"narrow: the scaled difference is truncated", 10, "101", "204", 0.5, "152"},
		{"narrow negative: lo plus a truncated positive step", 10, "-204", "-101", 0.5, "-153"},
		{"narrow 0.3 of 1.01..2.02", 10, "101", "202", 0.8999999999999999, "191"},
		{"narrow, DECIMAL(18,0) 99999999999999998.5", 18, "99999999999999998", "99999999999999999", 0.5, "99999999999999998"},
		// DECIMAL(38,1): median of -0.1, -0.4 is -0.2, of 0.1, 0.4 0.2.
		{"wide: the sum is truncated toward zero", 38, "-4", "-1", 0.5, "-2"},
		{"wide positive", 38, "1", "4", 0.5, "2"},
		{"wide: computed in double precision", 38, "123456789012345678901234567891", "123456789012345678901234567994", 0.5,
			"123456789012345677877719597056"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := interpDecimal(tt.precision)(dec(tt.lo), dec(tt.hi), tt.d)
			assert.Equal(t, tt.want, got.BigInt().String())
		})
	}
}

func TestHugeFloatConversions(t *testing.T) {
	for _, s := range []string{"0", "-1", "1", "-18446744073709551616", "18446744073709551617", "-170141183460469231731687303715884105"} {
		b, _ := new(big.Int).SetString(s, 10)
		f, _ := new(big.Float).SetInt(b).Float64()
		n := decimal128.FromBigInt(b)
		assert.InDelta(t, f, hugeToFloat(n), 1e-9*max(1, abs(f)), s)
		back := hugeFromFloat(f)
		want, _ := new(big.Float).SetFloat64(f).Int(nil)
		assert.Equal(t, want.String(), back.BigInt().String(), s)
	}
	assert.Equal(t, "2", hugeFromFloat(2.9).BigInt().String(), "truncates")
	assert.Equal(t, "-2", hugeFromFloat(-2.9).BigInt().String(), "toward zero")
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
