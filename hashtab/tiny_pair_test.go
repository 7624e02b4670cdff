package hashtab

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// bytePairInput is two columns of n one-byte values starting at byte 5
// of their data, as a slice of a longer array has them.
func bytePairInput(rng *rand.Rand, n int) (offsA, offsB []int32, a, b []byte) {
	offsA, offsB = make([]int32, n+1), make([]int32, n+1)
	a, b = make([]byte, n+5), make([]byte, n+5)
	for i := range offsA {
		offsA[i], offsB[i] = int32(5+i), int32(5+i)
	}
	for i := range a {
		a[i], b[i] = byte(rng.IntN(128)), byte(rng.IntN(128))
	}
	return offsA, offsB, a, b
}

// The vector pass codes and checks exactly as the Go loop does, for every
// length around its eight-row steps, and refuses what the Go loop refuses
// wherever in the batch the offending row is: an empty string followed by
// a two-byte one (the total length is unchanged), or a non-ASCII byte.
func TestTinyBytePairMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	breaks := []struct {
		name  string
		apply func(offsA, offsB []int32, a, b []byte, row int)
	}{
		{"none", func([]int32, []int32, []byte, []byte, int) {}},
		{"A empty then two bytes", func(offsA, _ []int32, _, _ []byte, row int) { offsA[row+1]-- }},
		{"B empty then two bytes", func(_, offsB []int32, _, _ []byte, row int) { offsB[row+1]-- }},
		{"A non-ASCII", func(_, _ []int32, a, _ []byte, row int) { a[5+row] = 0x80 }},
		{"B non-ASCII", func(_, _ []int32, _, b []byte, row int) { b[5+row] = 0xff }},
	}
	for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 63, 64, 1000, 8192} {
		for _, br := range breaks {
			for _, row := range []int{0, n / 2, n - 2, n - 1} {
				if row < 0 || (br.name != "none" && row+1 >= n && br.name[2:7] == "empty") {
					continue // an offset pair needs a next row
				}
				t.Run(fmt.Sprintf("n=%d/%s/row=%d", n, br.name, row), func(t *testing.T) {
					offsA, offsB, a, b := bytePairInput(rng, n)
					br.apply(offsA, offsB, a, b, row)
					want, got := make([]uint32, n), make([]uint32, n)
					ok := tinyBytePairGo(want, offsA, offsB, a[5:], b[5:])
					require.Equal(t, ok, tinyBytePair(got, offsA, offsB, a[5:], b[5:]))
					require.Equal(t, br.name == "none", ok)
					if ok {
						require.Equal(t, want, got)
					}
				})
			}
		}
	}
}

// BenchmarkTinyBytePair codes a batch of Q1's two flag columns, with the
// vector pass and with the Go loop.
func BenchmarkTinyBytePair(b *testing.B) {
	const n = 8192
	offsA, offsB, a, bb := bytePairInput(rand.New(rand.NewPCG(1, 2)), n)
	codes := make([]uint32, n)
	for _, k := range []struct {
		name string
		pass func([]uint32, []int32, []int32, []byte, []byte) bool
	}{{"vector", tinyBytePair}, {"go", tinyBytePairGo}} {
		b.Run(k.name, func(b *testing.B) {
			b.SetBytes(n * 10) // two offsets and two bytes read, a code written
			for b.Loop() {
				if !k.pass(codes, offsA, offsB, a[5:], bb[5:]) {
					b.Fatal("refused")
				}
			}
		})
	}
}
