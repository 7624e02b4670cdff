package types

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/require"
)

func u128Big(hi, lo uint64) *big.Int {
	v := new(big.Int).SetUint64(hi)
	return v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(lo))
}

// randU128 draws an unsigned 128-bit value with a random bit length, so
// that divisors below, at and above 2^64 are all common.
func randU128(r *rand.Rand) (hi, lo uint64) {
	hi, lo = r.Uint64(), r.Uint64()
	switch w := r.IntN(129); {
	case w == 0:
		return 0, 0
	case w <= 64:
		return 0, lo >> (64 - w)
	default:
		return hi >> (128 - w), lo
	}
}

func TestDivModU128(t *testing.T) {
	type u128 struct{ hi, lo uint64 }
	edges := []u128{
		{0, 0}, {0, 1}, {0, 2}, {0, 10}, {0, math.MaxUint64}, {1, 0}, {1, 1},
		{1, math.MaxUint64}, {math.MaxUint64, math.MaxUint64}, {math.MaxUint64, 0},
		{1 << 63, 0}, {1<<63 - 1, math.MaxUint64}, {0, 1 << 63}, {5421010862427522170, 687399551400673280}, // 10^38
		{1<<32 + 7, 3}, {1 << 32, 0},
	}
	var pairs [][2]u128
	for _, a := range edges {
		for _, b := range edges {
			pairs = append(pairs, [2]u128{a, b})
		}
	}
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 100000; i++ {
		var a, b u128
		a.hi, a.lo = randU128(r)
		b.hi, b.lo = randU128(r)
		pairs = append(pairs, [2]u128{a, b})
		// A quotient near 1 exercises the estimate's correction step.
		c := b
		c.lo += uint64(r.IntN(3))
		pairs = append(pairs, [2]u128{a, c}, [2]u128{b, c})
	}
	for _, p := range pairs {
		a, b := p[0], p[1]
		if b.hi == 0 && b.lo == 0 {
			continue
		}
		wq, wr := new(big.Int).QuoRem(u128Big(a.hi, a.lo), u128Big(b.hi, b.lo), new(big.Int))
		qhi, qlo, rhi, rlo := divModU128(a.hi, a.lo, b.hi, b.lo)
		require.Equal(t, wq.String(), u128Big(qhi, qlo).String(), "%s / %s", u128Big(a.hi, a.lo), u128Big(b.hi, b.lo))
		require.Equal(t, wr.String(), u128Big(rhi, rlo).String(), "%s %% %s", u128Big(a.hi, a.lo), u128Big(b.hi, b.lo))
	}
}

// The kernels call these per row: beyond int64 they must not allocate.
func TestInt128HelpersDoNotAllocate(t *testing.T) {
	a := fromBig(new(big.Int).Sub(Pow10(38).BigInt(), big.NewInt(1)))
	b := fromBig(new(big.Int).Exp(big.NewInt(10), big.NewInt(21), nil))
	var sink decimal128.Num
	allocs := testing.AllocsPerRun(100, func() {
		sink = DivRoundInt128(a, b)
		sink, _ = RemInt128(a, b)
		sink, _ = MulInt128(sink, b)
		sink, _ = RescaleDecimal(a, 38, 2)
	})
	_ = sink
	require.Zero(t, allocs)
}

func BenchmarkDivRoundInt128(b *testing.B) {
	cases := []struct {
		name string
		a, d decimal128.Num
	}{
		{"int64", decimal128.FromI64(123456789012345), Pow10(4)},
		{"wide/pow10", fromBig(new(big.Int).Sub(Pow10(37).BigInt(), big.NewInt(12345))), Pow10(10)},
		{"wide/wide", fromBig(new(big.Int).Sub(Pow10(37).BigInt(), big.NewInt(12345))), Pow10(25)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var sink decimal128.Num
			for b.Loop() {
				sink = DivRoundInt128(c.a, c.d)
			}
			_ = sink
		})
	}
}
