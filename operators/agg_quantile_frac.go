package operators

import (
	"math"
	"math/bits"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
)

// QuantileFrac is the fraction of a quantile aggregate, a constant in
// [-1, 1]. As in DuckDB a negative fraction counts from the largest value
// down: quantile_cont(x, -0.25) interpolates in descending order.
type QuantileFrac struct {
	Q    float64 // |fraction|
	Desc bool    // the fraction was negative
	// Num/10^Scale is Q exactly when Exact (the fraction was written as an
	// integer or decimal constant of at most 18 digits): quantile_disc then
	// picks its rank with integer arithmetic, as DuckDB does, so that
	// quantile_disc(x, 0.07) over 100 rows is the 7th value and not, by
	// 100 * 0.07 = 7.000000000000001, the 8th.
	Num   int64
	Scale uint8
	Exact bool
}

func (f QuantileFrac) String() string {
	q := f.Q
	if f.Desc {
		q = -q
	}
	return strconv.FormatFloat(q, 'g', -1, 64)
}

// discRank is the position, in ascending order, of quantile_disc's value
// among n: DuckDB's max(1, n - floor(n - n*q)) - 1, counted from the top
// for a negative fraction.
func (f QuantileFrac) discRank(n int) int {
	var up int // ceil(n*q)
	if f.Exact {
		hi, lo := bits.Mul64(uint64(n), uint64(f.Num))
		// n*Num/10^Scale <= n, so the quotient fits (Div64's condition).
		q, r := bits.Div64(hi, lo, uint64(types.Pow10Int64(int(f.Scale))))
		up = int(q)
		if r != 0 {
			up++
		}
	} else {
		up = n - int(math.Floor(float64(n)-float64(n)*f.Q))
	}
	k := max(1, up) - 1
	if f.Desc {
		k = n - 1 - k
	}
	return k
}

// contRanks are the ranks (in the fraction's order, descending for a
// negative one) of the two values quantile_cont interpolates between and
// the weight of the second: DuckDB's RN = (n-1)*q in double precision,
// FRN = floor(RN), CRN = ceil(RN), d = RN - FRN.
func (f QuantileFrac) contRanks(n int) (frn, crn int, d float64) {
	rn := float64(n-1) * f.Q
	lo := math.Floor(rn)
	return int(lo), int(math.Ceil(rn)), rn - lo
}

// interpFloat is DuckDB's interpolation of doubles: lo + (hi-lo)*d.
func interpFloat(lo, hi, d float64) float64 { return lo + (hi-lo)*d }

// interpTimestamp is DuckDB's interpolation of timestamps: to the nearest
// microsecond, halves away from the lower one.
func interpTimestamp(lo, hi int64, d float64) int64 {
	return lo + int64(math.Round(float64(hi-lo)*d))
}

// interpDecimal returns the interpolation of decimals of the given
// precision as DuckDB computes it on its physical types: up to 18 digits
// (16-, 32- or 64-bit integers) lo + trunc((hi-lo)*d), the difference
// scaled in double precision; beyond, with 128-bit integers,
// trunc(lo + (hi-lo)*d) entirely in double precision, so that a median of
// 38-digit decimals is as inexact as DuckDB's.
func interpDecimal(precision int) func(lo, hi decimal128.Num, d float64) decimal128.Num {
	if precision <= 18 {
		return func(lo, hi decimal128.Num, d float64) decimal128.Num {
			l, h := int64(lo.LowBits()), int64(hi.LowBits())
			return decimal128.FromI64(l + int64(float64(h-l)*d))
		}
	}
	return func(lo, hi decimal128.Num, d float64) decimal128.Num {
		delta, _ := types.SubInt128(hi, lo) // |values| < 10^38: no overflow
		return hugeFromFloat(hugeToFloat(lo) + hugeToFloat(delta)*d)
	}
}

// two64 is 2^64, the weight of a 128-bit integer's high word.
const two64 = 18446744073709551616.0

// hugeToFloat converts as DuckDB's hugeint to double does: low word plus
// high word times 2^64, each rounded (a high word of -1 is done apart, so
// that small negative numbers stay exact).
func hugeToFloat(n decimal128.Num) float64 {
	if n.HighBits() == -1 {
		return -float64(math.MaxUint64-n.LowBits()) - 1
	}
	return float64(n.LowBits()) + float64(n.HighBits())*two64
}

// hugeFromFloat truncates a finite double toward zero into 128 bits, as
// DuckDB's double to hugeint does. |f| < 2^127 here: it lies between two
// decimals of at most 38 digits.
func hugeFromFloat(f float64) decimal128.Num {
	neg := f < 0
	f = math.Abs(f)
	n := decimal128.New(int64(uint64(f/two64)), uint64(math.Mod(f, two64)))
	if neg {
		return types.NegInt128(n)
	}
	return n
}
