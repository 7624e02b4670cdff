//go:build !amd64

package expr

import "github.com/apache/arrow/go/v17/arrow/decimal128"

func cmpWordsVector[T ordered](BinOp, []T, T, []byte) (int, bool) { return 0, false }

func cmpNarrowDecimal(op BinOp, a []decimal128.Num, c int64, out []byte) int {
	return cmpNarrowDecimalGo(op, a, c, out)
}
