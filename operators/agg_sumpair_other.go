//go:build !amd64

package operators

import "github.com/apache/arrow/go/v17/arrow/decimal128"

// sumPairKernel is false without AVX-512: batchSums' two passes run.
const sumPairKernel = false

func sumPairRows(out *sumPairLanes, sel, gids []int32, cols *[4][]decimal128.Num, c *[3]int64) {
	sumPairGo(out, sel, gids, cols, c)
}
