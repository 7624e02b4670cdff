package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// pieceRows is how many rows of a column a random gather takes between two
// checks. A join's build side is read at random, a cache miss (and on the
// PVM machines a TLB miss) a row: one column of a pair batch, 8192 rows,
// took 1-3 ms (TPC-H q10's customer strings), the longest stretches of the
// stretch survey's joins. In pieces, the pieces are then copied into one
// array, in order, which costs a fraction of the gather.
const pieceRows = 2048

// takeInPieces gathers n rows with take, pieceRows at a time with a check
// between, into one array.
func takeInPieces(t *Task, n int, take func(from, to int) arrow.Array) (arrow.Array, error) {
	if n <= pieceRows {
		return take(0, n), nil
	}
	pieces := make([]arrow.Array, 0, (n+pieceRows-1)/pieceRows)
	defer func() {
		for _, a := range pieces {
			a.Release()
		}
	}()
	for from := 0; from < n; from += pieceRows {
		pieces = append(pieces, take(from, min(from+pieceRows, n)))
		if err := t.Spend(pieceRows * 8); err != nil {
			return nil, err
		}
	}
	return vector.Concat(t.Alloc(), pieces, t.Spend)
}
