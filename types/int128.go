package types

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// Decimal values are 128-bit two's-complement integers scaled by 10^-scale,
// held in arrow's decimal128.Num. arrow's own Mul and Div go through
// math/big; these helpers are the allocation-free arithmetic the kernels
// use, with overflow reported instead of wrapped.

// Pow10 returns 10^n for 0 <= n <= 38.
func Pow10(n int) decimal128.Num { return pow10[n] }

// Pow10Int64 returns 10^n for 0 <= n <= 18.
func Pow10Int64(n int) int64 { return pow10i64[n] }

var pow10i64 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

var pow10 = func() (p [39]decimal128.Num) {
	p[0] = decimal128.FromI64(1)
	for i := 1; i < len(p); i++ {
		v, _ := MulInt128(p[i-1], decimal128.FromI64(10))
		p[i] = v
	}
	return p
}()

// FitsInt64 reports whether n is representable as an int64.
func FitsInt64(n decimal128.Num) bool {
	return n.HighBits() == int64(n.LowBits())>>63
}

// AddInt128 returns a+b and whether it overflowed 128 bits.
func AddInt128(a, b decimal128.Num) (decimal128.Num, bool) {
	lo, carry := bits.Add64(a.LowBits(), b.LowBits(), 0)
	hi := a.HighBits() + b.HighBits() + int64(carry)
	// Overflow when both operands have the same sign and the result's differs.
	ovf := (a.HighBits() >= 0) == (b.HighBits() >= 0) && (hi >= 0) != (a.HighBits() >= 0)
	return decimal128.New(hi, lo), ovf
}

// SubInt128 returns a-b and whether it overflowed.
func SubInt128(a, b decimal128.Num) (decimal128.Num, bool) {
	lo, borrow := bits.Sub64(a.LowBits(), b.LowBits(), 0)
	hi := a.HighBits() - b.HighBits() - int64(borrow)
	ovf := (a.HighBits() >= 0) != (b.HighBits() >= 0) && (hi >= 0) != (a.HighBits() >= 0)
	return decimal128.New(hi, lo), ovf
}

// NegInt128 returns -a.
func NegInt128(a decimal128.Num) decimal128.Num {
	lo, borrow := bits.Sub64(0, a.LowBits(), 0)
	return decimal128.New(-a.HighBits()-int64(borrow), lo)
}

func absU128(a decimal128.Num) (hi, lo uint64, neg bool) {
	if a.HighBits() < 0 {
		a = NegInt128(a)
		return uint64(a.HighBits()), a.LowBits(), true
	}
	return uint64(a.HighBits()), a.LowBits(), false
}

// MulInt128 returns a*b and whether it overflowed 128 bits.
func MulInt128(a, b decimal128.Num) (decimal128.Num, bool) {
	if FitsInt64(a) && FitsInt64(b) {
		x, y := int64(a.LowBits()), int64(b.LowBits())
		hi, lo := bits.Mul64(uint64(x), uint64(y))
		// Signed correction of the unsigned 128-bit product.
		shi := int64(hi)
		if x < 0 {
			shi -= y
		}
		if y < 0 {
			shi -= x
		}
		return decimal128.New(shi, lo), false
	}
	ahi, alo, aneg := absU128(a)
	bhi, blo, bneg := absU128(b)
	if ahi != 0 && bhi != 0 {
		return decimal128.Num{}, true
	}
	h1, l := bits.Mul64(alo, blo)
	h2, m1 := bits.Mul64(ahi, blo)
	h3, m2 := bits.Mul64(alo, bhi)
	if h2 != 0 || h3 != 0 {
		return decimal128.Num{}, true
	}
	hi, c1 := bits.Add64(h1, m1, 0)
	hi, c2 := bits.Add64(hi, m2, 0)
	neg := aneg != bneg
	// A magnitude of 2^127 fits only as the negative MinInt128.
	if c1 != 0 || c2 != 0 || (hi>>63 != 0 && !(neg && hi == 1<<63 && l == 0)) {
		return decimal128.Num{}, true
	}
	return fromAbsU128(hi, l, neg), false
}

// DivRoundInt128 returns a/b rounded half away from zero. b must be > 0.
func DivRoundInt128(a, b decimal128.Num) decimal128.Num {
	if FitsInt64(a) && FitsInt64(b) {
		x, y := int64(a.LowBits()), int64(b.LowBits())
		q, r := x/y, x%y
		if r < 0 {
			r = -r
		}
		if r >= y-r { // 2r >= y without overflow
			if x < 0 {
				q--
			} else {
				q++
			}
		}
		return decimal128.FromI64(q)
	}
	ahi, alo, neg := absU128(a)
	qhi, qlo, rhi, rlo := divModU128(ahi, alo, uint64(b.HighBits()), b.LowBits())
	// Round up when 2r >= b, i.e. r >= b-r (no overflow: r < b).
	dhi, dlo := uint64(b.HighBits()), b.LowBits()
	dlo, borrow := bits.Sub64(dlo, rlo, 0)
	dhi, _ = bits.Sub64(dhi, rhi, borrow)
	if rhi > dhi || (rhi == dhi && rlo >= dlo) {
		var carry uint64
		qlo, carry = bits.Add64(qlo, 1, 0)
		qhi += carry
	}
	return fromAbsU128(qhi, qlo, neg)
}

// CmpInt128 compares a and b: -1, 0 or +1.
func CmpInt128(a, b decimal128.Num) int {
	switch {
	case a.HighBits() < b.HighBits():
		return -1
	case a.HighBits() > b.HighBits():
		return 1
	case a.LowBits() < b.LowBits():
		return -1
	case a.LowBits() > b.LowBits():
		return 1
	}
	return 0
}

// FitsPrecision reports whether |n| < 10^p.
func FitsPrecision(n decimal128.Num, p int) bool {
	if p >= MaxDecimalPrecision+1 {
		return true
	}
	if n.HighBits() < 0 {
		n = NegInt128(n)
		if n.HighBits() < 0 { // the most negative value
			return false
		}
	}
	return CmpInt128(n, pow10[p]) < 0
}

// RescaleDecimal changes the scale of n from `from` to `to`, rounding half
// away from zero when the scale shrinks. ok is false on overflow.
func RescaleDecimal(n decimal128.Num, from, to int) (decimal128.Num, bool) {
	switch {
	case to > from:
		r, ovf := MulInt128(n, pow10[to-from])
		return r, !ovf
	case to < from:
		return DivRoundInt128(n, pow10[from-to]), true
	}
	return n, true
}

// DecimalToFloat64 converts a scaled decimal to the nearest double.
func DecimalToFloat64(n decimal128.Num, scale int) float64 {
	// Both operands exact (|v| < 2^53, 10^scale exact up to 10^22) make
	// the one division correctly rounded.
	if scale <= 22 && FitsInt64(n) {
		v := int64(n.LowBits())
		if v > -(1<<53) && v < 1<<53 {
			return float64(v) / pow10f[scale]
		}
	}
	f, _ := new(big.Rat).SetFrac(n.BigInt(), pow10[scale].BigInt()).Float64()
	return f
}

var pow10f = func() (p [39]float64) {
	for i := range p {
		p[i] = math.Pow10(i)
	}
	return p
}()

// Float64ToDecimal converts f to a decimal of the given precision and scale,
// rounding half away from zero. ok is false if it does not fit or is not
// finite.
func Float64ToDecimal(f float64, prec, scale int) (decimal128.Num, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return decimal128.Num{}, false
	}
	v := math.Round(f * pow10f[scale])
	if math.Abs(v) < 1<<62 {
		n := decimal128.FromI64(int64(v))
		return n, FitsPrecision(n, prec)
	}
	n, err := decimal128.FromFloat64(f, int32(prec), int32(scale))
	if err != nil {
		return decimal128.Num{}, false
	}
	return n, FitsPrecision(n, prec)
}

// RemInt128 returns the remainder of a/b truncated toward zero (the sign of
// a), as SQL's % does. A zero b gives 0 and no overflow report: callers
// check for division by zero first.
func RemInt128(a, b decimal128.Num) (decimal128.Num, bool) {
	if b == (decimal128.Num{}) {
		return decimal128.Num{}, false
	}
	if FitsInt64(a) && FitsInt64(b) {
		x, y := int64(a.LowBits()), int64(b.LowBits())
		if y == -1 {
			return decimal128.Num{}, false
		}
		return decimal128.FromI64(x % y), false
	}
	ahi, alo, neg := absU128(a)
	bhi, blo, _ := absU128(b)
	_, _, rhi, rlo := divModU128(ahi, alo, bhi, blo)
	return fromAbsU128(rhi, rlo, neg), false
}
