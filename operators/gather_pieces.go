package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// pieceRows is how many rows of a column a costly per-row pass (a random
// gather, a window frame's aggregate) makes between two checks. A join's
// build side is read at random, a cache miss (and on the PVM machines a
// TLB miss) a row: one column of a pair batch, 8192 rows, took 1-3 ms
// (TPC-H q10's customer strings), the longest stretches of the stretch
// survey's joins; a window frame's sum or max over 8192 rows took about
// 1 ms. In pieces, the pieces are then copied into one array, in order,
// which costs a fraction of making them.
const pieceRows = 2048

// inPieces makes an array of n rows with piece, pieceRows at a time in
// order with a check between, and copies the pieces into one array.
func inPieces(t *Task, n int, piece func(from, to int) (arrow.Array, error)) (arrow.Array, error) {
	if n <= pieceRows {
		return piece(0, n)
	}
	pieces := make([]arrow.Array, 0, (n+pieceRows-1)/pieceRows)
	defer func() { releaseArrays(pieces) }()
	for from := 0; from < n; from += pieceRows {
		a, err := piece(from, min(from+pieceRows, n))
		if err != nil {
			return nil, err
		}
		pieces = append(pieces, a)
		if err := t.Spend(pieceRows * 8); err != nil {
			return nil, err
		}
	}
	return vector.Concat(t.Alloc(), pieces, t.Spend)
}
