package vector

import "unsafe"

//go:noescape
func gather4(dst, src unsafe.Pointer, n int, idx []int32) int

//go:noescape
func gather8(dst, src unsafe.Pointer, n int, idx []int32) int

//go:noescape
func gather16(dst, src unsafe.Pointer, n int, idx []int32) int

// gatherPrefetch gathers with the assembly loops when T is 4, 8 or 16
// bytes; it returns false, having done nothing, otherwise.
func gatherPrefetch[T any](dst, src []T, idx []int32) bool {
	var zero T
	var gather func(dst, src unsafe.Pointer, n int, idx []int32) int
	switch unsafe.Sizeof(zero) {
	case 4:
		gather = gather4
	case 8:
		gather = gather8
	case 16:
		gather = gather16
	default:
		return false
	}
	if len(idx) == 0 {
		return true
	}
	_ = dst[len(idx)-1]
	var s unsafe.Pointer
	if len(src) > 0 {
		s = unsafe.Pointer(unsafe.SliceData(src))
	}
	if bad := gather(unsafe.Pointer(unsafe.SliceData(dst)), s, len(src), idx); bad >= 0 {
		panic(indexError(int(idx[bad]), len(src)))
	}
	return true
}
