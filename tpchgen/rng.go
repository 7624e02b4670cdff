package tpchgen

import "math/bits"

// The random numbers are counter based: draw(stream, i) is SplitMix64's
// output for position i of a sequence whose start depends on the seed and on
// the column. Any row can be generated on its own, which is what makes parts
// independent and lets orders recompute the lines of an order; it also costs
// only two multiplies per value.

const golden = 0x9e3779b97f4a7c15 // SplitMix64's increment: 2^64 / phi

// mix64 is SplitMix64's finaliser, a bijection with good avalanche.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// streamID names one column's random stream. The values are part of the
// output's definition: changing one changes the data.
type streamID uint64

// newStream returns the starting state of a column's stream under seed.
func newStream(seed uint64, id streamID) uint64 {
	return mix64(seed*golden ^ mix64(uint64(id)+1))
}

// draw returns the i-th 64-bit value of a stream.
func draw(stream, i uint64) uint64 { return mix64(stream + i*golden) }

// uniform maps a 64-bit random value onto [lo, hi] (inclusive), with a bias
// below 2^-32 for any range this package uses.
func uniform(r uint64, lo, hi int64) int64 {
	h, _ := bits.Mul64(r, uint64(hi-lo+1))
	return lo + int64(h)
}

// pick maps a 64-bit random value onto [0, n).
func pick(r uint64, n int) int {
	h, _ := bits.Mul64(r, uint64(n))
	return int(h)
}

// local is a small sequential generator for values that need several draws
// per row (names, addresses, phones): it is seeded from the row's draw, so
// it stays a pure function of the row.
type local struct{ s uint64 }

func (l *local) next() uint64 {
	l.s += golden
	return mix64(l.s)
}
