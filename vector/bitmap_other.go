//go:build !amd64

package vector

func appendSetBits(sel []int32, b, valid []byte, voff, n int) []int32 {
	return appendSetBitsGo(sel, b, valid, voff, n)
}
