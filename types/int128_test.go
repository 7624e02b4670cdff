package types

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	maxInt128 = decimal128.New(math.MaxInt64, math.MaxUint64)
	minInt128 = decimal128.New(math.MinInt64, 0)

	bigMax = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	bigMin = new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 127))
)

// fitsBig reports whether v is a signed 128-bit integer.
func fitsBig(v *big.Int) bool { return v.Cmp(bigMin) >= 0 && v.Cmp(bigMax) <= 0 }

// fromBig converts a big.Int that fits in 128 bits. decimal128.FromBigInt
// cannot: it rejects -2^127.
func fromBig(v *big.Int) decimal128.Num {
	if !fitsBig(v) {
		panic(v.String() + " does not fit in 128 bits")
	}
	u := new(big.Int).Set(v)
	if u.Sign() < 0 {
		u.Add(u, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	lo := new(big.Int).And(u, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	hi := new(big.Int).Rsh(u, 64).Uint64()
	return decimal128.New(int64(hi), lo)
}

// edgeInt128 are the values where 128-bit arithmetic breaks first: the
// extremes, the int64 boundary the fast paths switch on, powers of ten
// around the 38-digit decimal limit, and 2^64 where the low word carries.
func edgeInt128() []decimal128.Num {
	p38 := new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil)
	vals := []*big.Int{
		big.NewInt(0), big.NewInt(1), big.NewInt(-1), big.NewInt(2), big.NewInt(-2),
		big.NewInt(10), big.NewInt(-10), big.NewInt(7), big.NewInt(-7),
		big.NewInt(math.MaxInt64), big.NewInt(math.MinInt64),
		big.NewInt(math.MaxInt64 - 1), big.NewInt(math.MinInt64 + 1),
		new(big.Int).Add(big.NewInt(math.MaxInt64), big.NewInt(1)),
		new(big.Int).Sub(big.NewInt(math.MinInt64), big.NewInt(1)),
		new(big.Int).Lsh(big.NewInt(1), 64),
		new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 64)),
		new(big.Int).SetUint64(math.MaxUint64),
		new(big.Int).Lsh(big.NewInt(1), 63),
		new(big.Int).Lsh(big.NewInt(1), 126),
		new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 126)),
		new(big.Int).Lsh(big.NewInt(3), 62),
		big.NewInt(1 << 53), big.NewInt(-(1 << 53)),
		p38, new(big.Int).Neg(p38),
		new(big.Int).Sub(p38, big.NewInt(1)),
		new(big.Int).Neg(new(big.Int).Sub(p38, big.NewInt(1))),
		new(big.Int).Exp(big.NewInt(10), big.NewInt(19), nil),
		new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil),
		new(big.Int).Sqrt(bigMax),
		new(big.Int).Neg(new(big.Int).Sqrt(bigMax)),
		new(big.Int).Add(new(big.Int).Sqrt(bigMax), big.NewInt(1)),
		new(big.Int).Rsh(bigMax, 1), new(big.Int).Rsh(bigMin, 1),
		new(big.Int).Sub(bigMax, big.NewInt(1)), new(big.Int).Add(bigMin, big.NewInt(1)),
		bigMax, bigMin,
	}
	out := make([]decimal128.Num, len(vals))
	for i, v := range vals {
		out[i] = fromBig(v)
	}
	return out
}

// randInt128 draws values of every magnitude: a random bit length makes
// small, int64-sized and full-width values all common.
func randInt128(r *rand.Rand) decimal128.Num {
	width := r.IntN(127) + 1 // MinInt128 is among the edge values
	v := new(big.Int).SetUint64(r.Uint64())
	v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(r.Uint64()))
	v.Rsh(v, uint(128-width))
	if r.IntN(2) == 0 {
		v.Neg(v)
	}
	return fromBig(v)
}

// int128Pairs returns every pair of edge values plus seeded random pairs.
func int128Pairs() [][2]decimal128.Num {
	edges := edgeInt128()
	var pairs [][2]decimal128.Num
	for _, a := range edges {
		for _, b := range edges {
			pairs = append(pairs, [2]decimal128.Num{a, b})
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		a := randInt128(r)
		pairs = append(pairs, [2]decimal128.Num{a, randInt128(r)}, [2]decimal128.Num{a, edges[r.IntN(len(edges))]})
	}
	return pairs
}

func TestInt128AgainstBig(t *testing.T) {
	pairs := int128Pairs()
	ops := []struct {
		name string
		fn   func(a, b decimal128.Num) (decimal128.Num, bool)
		ref  func(z, a, b *big.Int) *big.Int
	}{
		{"add", AddInt128, (*big.Int).Add},
		{"sub", SubInt128, (*big.Int).Sub},
		{"mul", MulInt128, (*big.Int).Mul},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			for _, p := range pairs {
				a, b := p[0], p[1]
				want := op.ref(new(big.Int), a.BigInt(), b.BigInt())
				got, ovf := op.fn(a, b)
				if !fitsBig(want) {
					require.True(t, ovf, "%s(%s, %s) = %s must overflow", op.name, a.BigInt(), b.BigInt(), want)
					continue
				}
				require.False(t, ovf, "%s(%s, %s) = %s reported overflow", op.name, a.BigInt(), b.BigInt(), want)
				require.Equal(t, want.String(), got.BigInt().String(), "%s(%s, %s)", op.name, a.BigInt(), b.BigInt())
			}
		})
	}
}

func TestNegInt128(t *testing.T) {
	for _, a := range edgeInt128() {
		want := new(big.Int).Neg(a.BigInt())
		if !fitsBig(want) {
			// -MinInt128 wraps to itself: callers that can meet it check first.
			assert.Equal(t, minInt128, NegInt128(a))
			continue
		}
		assert.Equal(t, want.String(), NegInt128(a).BigInt().String())
	}
}

// bigDivRound is a/b rounded half away from zero.
func bigDivRound(a, b *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(a, b, new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.CmpAbs(b) >= 0 {
		if a.Sign()*b.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

func TestDivRoundInt128(t *testing.T) {
	cases := []struct{ a, b, want int64 }{
		{5, 2, 3}, {-5, 2, -3}, {4, 2, 2}, {-4, 2, -2}, {7, 3, 2}, {-7, 3, -2},
		{8, 3, 3}, {-8, 3, -3}, {15, 10, 2}, {-15, 10, -2}, {14, 10, 1}, {-14, 10, -1},
		{0, 7, 0}, {1, 1, 1}, {math.MaxInt64, 1, math.MaxInt64}, {math.MinInt64, 1, math.MinInt64},
		{math.MaxInt64, 2, 1 << 62}, {math.MinInt64, 2, -(1 << 62)},
		{math.MaxInt64, math.MaxInt64, 1}, {math.MinInt64, math.MaxInt64, -1},
		{math.MaxInt64 / 2, math.MaxInt64, 0}, {math.MaxInt64/2 + 1, math.MaxInt64, 1},
	}
	for _, c := range cases {
		got := DivRoundInt128(decimal128.FromI64(c.a), decimal128.FromI64(c.b))
		assert.Equal(t, decimal128.FromI64(c.want), got, "%d / %d", c.a, c.b)
	}
	for _, p := range int128Pairs() {
		a, b := p[0], p[1]
		if b.Sign() <= 0 {
			continue // documented precondition: b > 0
		}
		want := bigDivRound(a.BigInt(), b.BigInt())
		require.Equal(t, want.String(), DivRoundInt128(a, b).BigInt().String(), "%s / %s", a.BigInt(), b.BigInt())
	}
}

func TestRemInt128(t *testing.T) {
	for _, p := range int128Pairs() {
		a, b := p[0], p[1]
		got, ovf := RemInt128(a, b)
		require.False(t, ovf)
		if b.Sign() == 0 {
			require.Equal(t, decimal128.Num{}, got, "a %% 0 is 0 by contract")
			continue
		}
		want := new(big.Int).Rem(a.BigInt(), b.BigInt())
		require.Equal(t, want.String(), got.BigInt().String(), "%s %% %s", a.BigInt(), b.BigInt())
	}
}

func TestCmpInt128(t *testing.T) {
	for _, p := range int128Pairs() {
		a, b := p[0], p[1]
		require.Equal(t, a.BigInt().Cmp(b.BigInt()), CmpInt128(a, b), "cmp(%s, %s)", a.BigInt(), b.BigInt())
	}
}

func TestFitsInt64(t *testing.T) {
	for _, a := range edgeInt128() {
		assert.Equal(t, a.BigInt().IsInt64(), FitsInt64(a), "%s", a.BigInt())
	}
}

func TestPow10(t *testing.T) {
	for n := 0; n <= MaxDecimalPrecision; n++ {
		want := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
		assert.Equal(t, want.String(), Pow10(n).BigInt().String(), "10^%d", n)
		if n <= 18 {
			assert.Equal(t, want.Int64(), Pow10Int64(n), "10^%d", n)
		}
	}
}

func TestFitsPrecision(t *testing.T) {
	vals := append(edgeInt128(), decimal128.FromI64(9), decimal128.FromI64(-9), decimal128.FromI64(99), decimal128.FromI64(100))
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		vals = append(vals, randInt128(r))
	}
	for _, v := range vals {
		abs := new(big.Int).Abs(v.BigInt())
		for p := 0; p <= MaxDecimalPrecision+2; p++ {
			limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(p)), nil)
			want := abs.Cmp(limit) < 0
			require.Equal(t, want, FitsPrecision(v, p), "|%s| < 10^%d", v.BigInt(), p)
		}
	}
}

func TestRescaleDecimal(t *testing.T) {
	cases := []struct {
		in       int64
		from, to int
		want     string
		ok       bool
	}{
		{12345, 2, 2, "12345", true},
		{12345, 2, 4, "1234500", true},
		{12345, 2, 0, "123", true},
		{12350, 2, 0, "124", true}, // 123.50 rounds half away from zero
		{-12350, 2, 0, "-124", true},
		{-12349, 2, 0, "-123", true},
		{5, 1, 0, "1", true},
		{-5, 1, 0, "-1", true},
		{4, 1, 0, "0", true},
		{1, 0, 38, "100000000000000000000000000000000000000", true},
		{-1, 0, 38, "-100000000000000000000000000000000000000", true},
		{2, 0, 38, "", false}, // 2*10^38 > 2^127
		{math.MaxInt64, 0, 19, "92233720368547758070000000000000000000", true},
		{math.MaxInt64, 0, 38, "", false},
		{math.MaxInt64, 18, 0, "9", true},
		{5, 38, 0, "0", true},
	}
	for _, c := range cases {
		got, ok := RescaleDecimal(decimal128.FromI64(c.in), c.from, c.to)
		require.Equal(t, c.ok, ok, "%d from %d to %d", c.in, c.from, c.to)
		if ok {
			assert.Equal(t, c.want, got.BigInt().String(), "%d from %d to %d", c.in, c.from, c.to)
		}
	}
	// Every edge value at every scale change, against math/big.
	for _, v := range edgeInt128() {
		for from := 0; from <= MaxDecimalPrecision; from += 3 {
			for to := 0; to <= MaxDecimalPrecision; to += 5 {
				got, ok := RescaleDecimal(v, from, to)
				var want *big.Int
				if to >= from {
					want = new(big.Int).Mul(v.BigInt(), Pow10(to-from).BigInt())
				} else {
					want = bigDivRound(v.BigInt(), Pow10(from-to).BigInt())
				}
				require.Equal(t, fitsBig(want), ok, "%s from %d to %d", v.BigInt(), from, to)
				if ok {
					require.Equal(t, want.String(), got.BigInt().String(), "%s from %d to %d", v.BigInt(), from, to)
				}
			}
		}
	}
}

// exactFloat is the double nearest to n / 10^scale.
func exactFloat(n decimal128.Num, scale int) float64 {
	f, _ := new(big.Rat).SetFrac(n.BigInt(), Pow10(scale).BigInt()).Float64()
	return f
}

func TestDecimalToFloat64(t *testing.T) {
	cases := []struct {
		n     int64
		scale int
		want  float64
	}{
		{0, 0, 0}, {12345, 2, 123.45}, {-12345, 2, -123.45}, {1, 38, 1e-38},
		{1, 23, 1e-23}, {3, 30, 3e-30}, {math.MaxInt64, 0, 9223372036854775807},
		{1 << 53, 0, 1 << 53}, {1<<53 + 1, 0, 1 << 53}, {-(1<<53 + 1), 3, -(1 << 53) / 1e3},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, DecimalToFloat64(decimal128.FromI64(c.n), c.scale), "%d at scale %d", c.n, c.scale)
	}
	vals := edgeInt128()
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 5000; i++ {
		vals = append(vals, randInt128(r), decimal128.FromI64(r.Int64N(1<<53)-1<<52))
	}
	for _, v := range vals {
		for scale := 0; scale <= MaxDecimalPrecision; scale++ {
			require.Equal(t, exactFloat(v, scale), DecimalToFloat64(v, scale), "%s at scale %d", v.BigInt(), scale)
		}
	}
}

// exactDecimal rounds the exact value of f times 10^scale half away from
// zero: the decimal the double denotes.
func exactDecimal(f float64, scale int) *big.Int {
	r := new(big.Rat).SetFloat64(f)
	r.Mul(r, new(big.Rat).SetInt(Pow10(scale).BigInt()))
	return bigDivRound(r.Num(), r.Denom())
}

func TestFloat64ToDecimal(t *testing.T) {
	cases := []struct {
		f           float64
		prec, scale int
		want        string
		ok          bool
	}{
		{123.45, 5, 2, "12345", true},
		{-123.45, 5, 2, "-12345", true},
		{123.45, 4, 2, "", false},
		{0.5, 1, 0, "1", true},
		{-0.5, 1, 0, "-1", true},
		{2.5, 1, 0, "3", true},
		{0.125, 3, 2, "13", true},
		{0.001, 3, 2, "0", true},
		{1e20, 38, 0, "100000000000000000000", true},
		{-1e20, 38, 2, "-10000000000000000000000", true},
		{1e38, 38, 0, "", false},
		{9.99e37, 38, 0, "99900000000000000000000000000000000000", false}, // ok checked below
		{math.NaN(), 38, 0, "", false},
		{math.Inf(1), 38, 0, "", false},
		{math.Inf(-1), 38, 0, "", false},
		{math.MaxFloat64, 38, 0, "", false},
		{math.SmallestNonzeroFloat64, 38, 38, "0", true},
	}
	for _, c := range cases {
		got, ok := Float64ToDecimal(c.f, c.prec, c.scale)
		if c.want == "" {
			assert.False(t, ok, "%g as DECIMAL(%d,%d)", c.f, c.prec, c.scale)
			continue
		}
		want := exactDecimal(c.f, c.scale)
		if c.ok {
			require.True(t, ok, "%g as DECIMAL(%d,%d)", c.f, c.prec, c.scale)
			assert.Equal(t, c.want, got.BigInt().String(), "%g as DECIMAL(%d,%d)", c.f, c.prec, c.scale)
		} else {
			require.True(t, ok, "%g as DECIMAL(%d,%d)", c.f, c.prec, c.scale)
			assert.Equal(t, want.String(), got.BigInt().String(), "%g as DECIMAL(%d,%d)", c.f, c.prec, c.scale)
		}
	}
}

// TestFloat64ToDecimalRandom checks random doubles against the exact
// decimal they denote. The scaling by 10^scale is done in floating point
// (as DuckDB does), so the result carries the double's own relative error:
// up to 2^-52 of the value, at least one unit when the exact value lies
// within a rounding error of a half.
func TestFloat64ToDecimalRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 100000; i++ {
		scale := r.IntN(MaxDecimalPrecision + 1)
		prec := max(scale, 1) + r.IntN(MaxDecimalPrecision+1-max(scale, 1))
		// A magnitude that usually fits the precision and sometimes not.
		digits := r.IntN(prec-scale+2) - 1
		f := (r.Float64()*2 - 1) * math.Pow10(digits)
		got, ok := Float64ToDecimal(f, prec, scale)
		want := exactDecimal(f, scale)
		tol := new(big.Int).Rsh(new(big.Int).Abs(want), 52)
		if tol.Sign() == 0 {
			tol.SetInt64(1)
		}
		absWant := new(big.Int).Abs(want)
		limit := Pow10(prec).BigInt()
		if !ok {
			// Rejected: the exact value must be at (or within the error of)
			// 10^prec.
			require.GreaterOrEqual(t, new(big.Int).Add(absWant, tol).Cmp(limit), 0,
				"%v as DECIMAL(%d,%d) rejected but exact %s fits", f, prec, scale, want)
			continue
		}
		require.True(t, FitsPrecision(got, prec))
		diff := new(big.Int).Sub(got.BigInt(), want)
		require.LessOrEqual(t, diff.Abs(diff).Cmp(tol), 0,
			"%v as DECIMAL(%d,%d): got %s, exact %s", f, prec, scale, got.BigInt(), want)
	}
}

// TestFloat64ToDecimalSmallExact: below 2^53 units the product f*10^scale
// has one rounding, so a result differs from the exact decimal only when
// the exact product lies within one ulp of a half (915.4192573138685 at
// scale 12 gives ...869, as its shortest text suggests, though the double
// is ...868.4565).
func TestFloat64ToDecimalSmallExact(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 100000; i++ {
		scale := r.IntN(16)
		f := (r.Float64()*2 - 1) * math.Pow10(r.IntN(16-scale))
		got, ok := Float64ToDecimal(f, 38, scale)
		require.True(t, ok)
		want := exactDecimal(f, scale)
		if got.BigInt().Cmp(want) == 0 {
			continue
		}
		exact := new(big.Rat).SetFloat64(f)
		exact.Mul(exact, new(big.Rat).SetInt(Pow10(scale).BigInt()))
		exact.Abs(exact)
		frac := new(big.Rat).Sub(exact, new(big.Rat).SetInt(new(big.Int).Quo(exact.Num(), exact.Denom())))
		fv, _ := frac.Float64()
		p := math.Abs(f * math.Pow10(scale))
		ulp := math.Nextafter(p, math.Inf(1)) - p
		require.InDelta(t, 0.5, fv, ulp, "%v at scale %d: got %s, exact %s", f, scale, got.BigInt(), want)
	}
}
