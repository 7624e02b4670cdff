package types

import "github.com/apache/arrow/go/v17/arrow/decimal128"

// Most DECIMAL values are far smaller than their 128 bits (TPC-H's prices
// are DECIMAL(15,2); a product of two is typed DECIMAL(31,4) but holds
// values below 2^62). Kernels that find every value of a batch narrow,
// that is in [-2^62, 2^62), work on int64 without overflow checks: a sum
// or difference of two narrow values lies in [-2^63, 2^63), a product of
// two int64 is below 2^126 < 10^38, and a 128-bit sum of narrow values
// cannot overflow before 2^65 of them.

// NarrowBound bounds the narrow values: [-NarrowBound, NarrowBound).
const NarrowBound = 1 << 62

// NotNarrow is zero exactly when v is narrow: its high word is the sign
// extension of its low word, and adding 2^62 to the low word leaves the
// top bit clear. Kernels OR it over a batch, with no branch per value.
func NotNarrow(v decimal128.Num) uint64 {
	x := int64(v.LowBits())
	return uint64(v.HighBits()^(x>>63)) | (uint64(x)+NarrowBound)>>63
}

// AllNarrow reports whether every value of vals is narrow.
func AllNarrow(vals []decimal128.Num) bool {
	var bad uint64
	for _, v := range vals {
		bad |= NotNarrow(v)
	}
	return bad == 0
}

// SmallBound bounds the values a kernel may add up in an int64 for
// SmallRows rows: 2^50 * 2^13 = 2^63. A type of at most 15 digits holds
// only small values (10^15 < 2^50), TPC-H's prices and quantities among
// them.
const (
	SmallBits  = 50
	SmallBound = 1 << SmallBits
	SmallRows  = 1 << 13
)

// NotSmall is zero exactly when v is small: in [-SmallBound, SmallBound).
// Kernels OR it over a batch as they go.
func NotSmall(v decimal128.Num) uint64 {
	x := int64(v.LowBits())
	return uint64(v.HighBits()^(x>>63)) | (uint64(x)+SmallBound)>>51
}
