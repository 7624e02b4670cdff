package operators

import (
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/internal/cpufeat"
)

// sumPairAVX512 is sumPairGo over n rows, a multiple of 8, eight a step
// (agg_sumpair_amd64.s).
//
//go:noescape
func sumPairAVX512(out *sumPairLanes, sel, gids *int32, n int, cols *[4]*decimal128.Num, c *[3]int64)

// sumPairKernel says whether the one pass of sumPair runs here.
var sumPairKernel = cpufeat.AVX512

// sumPairRows runs the kernel over the whole eights of the rows and
// sumPairGo over the rest.
func sumPairRows(out *sumPairLanes, sel, gids []int32, cols *[4][]decimal128.Num, c *[3]int64) {
	gids = gids[:len(sel)]
	if k := len(sel) &^ 7; k > 0 {
		ptrs := [4]*decimal128.Num{
			unsafe.SliceData(cols[0]), unsafe.SliceData(cols[1]),
			unsafe.SliceData(cols[2]), unsafe.SliceData(cols[3]),
		}
		sumPairAVX512(out, unsafe.SliceData(sel), unsafe.SliceData(gids), k, &ptrs, c)
		sel, gids = sel[k:], gids[k:]
	}
	sumPairGo(out, sel, gids, cols, c)
}
