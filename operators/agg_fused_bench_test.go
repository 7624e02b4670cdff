package operators

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// BenchmarkFusedSum: the kernels of Q1's sum(price * (1 - discount)) and
// sum(price * (1 - discount) * (1 + tax)), apart and as a pair, the
// one-pass sums of three columns, and the magnitude pass that checks the
// products' columns first (narrow by type, and not), over 8192-row
// batches of four groups with 98% of the rows selected.
func BenchmarkFusedSum(b *testing.B) {
	const rows = 8192
	r := rand.New(rand.NewPCG(1, 2))
	cols := make([][]decimal128.Num, 3)
	for k := range cols {
		cols[k] = make([]decimal128.Num, rows)
	}
	var sel, gids []int32
	for i := 0; i < rows; i++ {
		cols[0][i] = decimal128.FromI64(int64(r.IntN(10_000_000) + 90_000))
		cols[1][i] = decimal128.FromI64(int64(r.IntN(11)))
		cols[2][i] = decimal128.FromI64(int64(r.IntN(9)))
		if r.IntN(50) > 0 {
			sel = append(sel, int32(i))
			gids = append(gids, int32(r.IntN(4)))
		}
	}
	var lane [lanes * laneGroups]int64
	b.Run("2-terms", func(b *testing.B) {
		b.SetBytes(int64(len(sel)) * 32)
		for i := 0; i < b.N; i++ {
			fused2(&lane, gids, sel, cols[0], cols[1], 0, -100)
		}
	})
	b.Run("3-terms", func(b *testing.B) {
		b.SetBytes(int64(len(sel)) * 48)
		for i := 0; i < b.N; i++ {
			fused3(&lane, gids, sel, cols[0], cols[1], cols[2], 0, -100, 100)
		}
	})
	b.Run("pair", func(b *testing.B) {
		var laneQ [lanes * laneGroups]int64
		b.SetBytes(int64(len(sel)) * 48)
		for i := 0; i < b.N; i++ {
			fusedPair(&lane, &laneQ, gids, sel, cols[0], cols[1], cols[2], 0, -100, 100)
		}
	})
	var sink uint64
	b.Run("sum-columns-3", func(b *testing.B) {
		var out [3][laneGroups]int64
		b.SetBytes(int64(len(sel)) * 48)
		for i := 0; i < b.N; i++ {
			m := sumColumns3(&out, gids, sel, cols[0], cols[1], cols[2])
			sink |= m[0]
		}
	})
	b.Run("magnitudes", func(b *testing.B) {
		b.SetBytes(rows * 16)
		for i := 0; i < b.N; i++ {
			sink |= lowMagnitudes(cols[0])
		}
	})
	b.Run("magnitudes-3", func(b *testing.B) {
		b.SetBytes(rows * 48)
		for i := 0; i < b.N; i++ {
			x, y, z := lowMagnitudes3(cols[0], cols[1], cols[2])
			sink |= x | y | z
		}
	})
	if sink == 1 {
		b.Log(sink) // keeps the magnitudes computed
	}
}
