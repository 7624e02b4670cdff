//go:build !amd64

package hashtab

func tinyBytePair(codes []uint32, offsA, offsB []int32, a, b []byte) bool {
	return tinyBytePairGo(codes, offsA, offsB, a, b)
}
