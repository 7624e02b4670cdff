package types

import (
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// Unsigned 128-bit division on (hi, lo) word pairs. DivRoundInt128 and
// RemInt128 used math/big for values beyond int64, which allocates per row
// and panicked converting back a quotient of -2^127.

// divModU128 returns the quotient and remainder of a/b. b must not be 0.
func divModU128(ahi, alo, bhi, blo uint64) (qhi, qlo, rhi, rlo uint64) {
	if bhi == 0 {
		// Two steps of 128-by-64 division; the first keeps the partial
		// remainder below blo, as bits.Div64 requires.
		var r uint64
		qhi, r = bits.Div64(0, ahi, blo)
		qlo, rlo = bits.Div64(r, alo, blo)
		return qhi, qlo, 0, rlo
	}
	if ahi < bhi || (ahi == bhi && alo < blo) {
		return 0, 0, ahi, alo
	}
	// b >= 2^64, so the quotient fits in 64 bits. Estimate it from the
	// divisor's top 64 bits (normalised) and a/2 (so the estimate's
	// division cannot overflow); the estimate is at most one too large
	// after the decrement below, which the final comparison corrects.
	n := uint(bits.LeadingZeros64(bhi))
	v1 := bhi<<n | blo>>(64-n) // top word of b<<n (a shift by 64 gives 0)
	q, _ := bits.Div64(ahi>>1, ahi<<63|alo>>1, v1)
	q >>= 63 - n
	if q != 0 {
		q--
	}
	// r = a - q*b; q*b <= a fits in 128 bits.
	phi, plo := bits.Mul64(q, blo)
	phi += q * bhi
	var borrow uint64
	rlo, borrow = bits.Sub64(alo, plo, 0)
	rhi, _ = bits.Sub64(ahi, phi, borrow)
	if rhi > bhi || (rhi == bhi && rlo >= blo) {
		q++
		rlo, borrow = bits.Sub64(rlo, blo, 0)
		rhi, _ = bits.Sub64(rhi, bhi, borrow)
	}
	return 0, q, rhi, rlo
}

// fromAbsU128 returns the signed value of magnitude (hi, lo), negated when
// neg. A magnitude of 2^127 is representable only when negative; callers
// never produce it otherwise.
func fromAbsU128(hi, lo uint64, neg bool) decimal128.Num {
	n := decimal128.New(int64(hi), lo)
	if neg {
		return NegInt128(n)
	}
	return n
}
