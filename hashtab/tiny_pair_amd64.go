package hashtab

import (
	"unsafe"

	"github.com/minisql/minisql/internal/cpufeat"
)

// tinyBytePairAVX2 is the pass of tinyBytePairGo over n rows, n a
// multiple of 8, eight rows an instruction: the scalar loop took 1.9 ns a
// row, the largest single cost of Q1 after its sums. It returns 0 when
// every row is one ASCII byte in both columns.
//
//go:noescape
func tinyBytePairAVX2(codes *uint32, offsA, offsB *int32, a, b *byte, n int) (bad uint32)

// tinyBytePair codes the rows a multiple of 8 with AVX2 where the CPU has
// it, and the rest in Go.
func tinyBytePair(codes []uint32, offsA, offsB []int32, a, b []byte) bool {
	n := len(codes)
	k := n &^ 7
	if !cpufeat.AVX2 || k == 0 {
		return tinyBytePairGo(codes, offsA, offsB, a, b)
	}
	a, b, offsA, offsB = a[:n], b[:n], offsA[:n+1], offsB[:n+1]
	if tinyBytePairAVX2(unsafe.SliceData(codes), unsafe.SliceData(offsA), unsafe.SliceData(offsB),
		unsafe.SliceData(a), unsafe.SliceData(b), k) != 0 {
		return false
	}
	return tinyBytePairGo(codes[k:], offsA[k:], offsB[k:], a[k:], b[k:])
}
