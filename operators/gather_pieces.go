package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// pieceRows is how many rows of a window frame's aggregate are made
// between two checks: over 8192 rows a frame's sum or max took about 1 ms.
const pieceRows = 2048

// inPieces makes an array of n rows with piece, rows at a time in order
// with a check between, and copies the pieces into one array, which costs
// a fraction of making them. It is for costly per-row passes: a random
// gather (missChunk rows a piece), a window frame's aggregate (pieceRows).
func inPieces(t *Task, n, rows int, piece func(from, to int) (arrow.Array, error)) (arrow.Array, error) {
	if n <= rows {
		return piece(0, n)
	}
	pieces := make([]arrow.Array, 0, (n+rows-1)/rows)
	defer func() { releaseArrays(pieces) }()
	for from := 0; from < n; from += rows {
		a, err := piece(from, min(from+rows, n))
		if err != nil {
			return nil, err
		}
		pieces = append(pieces, a)
		if err := t.Spend(rows * missUnits); err != nil {
			return nil, err
		}
	}
	return vector.Concat(t.Alloc(), pieces, t.Spend)
}
