package operators

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/vector"
)

// inPieces gives the array one gather gives, for row counts below, at
// and across the piece size (a join's and a window's), and stops at a
// cancel with nothing left allocated.
func TestInPiecesMatchesOneTake(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := rand.New(rand.NewPCG(5, 6))
	b := array.NewStringBuilder(mem)
	for i := range 10_000 {
		if i%7 == 0 {
			b.AppendNull()
		} else {
			b.Append(string(rune('a' + r.IntN(26))))
		}
	}
	src := b.NewArray()
	b.Release()
	defer src.Release()
	for _, rows := range []int{missChunk, pieceRows} {
		for _, n := range []int{0, 10, rows, rows + 1, 3*rows + 17} {
			idx := make([]int32, n)
			for i := range idx {
				idx[i] = int32(r.IntN(src.Len()))
			}
			task := NewTask(context.Background(), mem)
			got, err := inPieces(task, n, rows, func(from, to int) (arrow.Array, error) { return vector.Take(mem, src, idx[from:to]), nil })
			require.NoError(t, err)
			want := vector.Take(mem, src, idx)
			require.True(t, array.Equal(want, got), "%d rows in pieces of %d", n, rows)
			want.Release()
			got.Release()
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	idx := make([]int32, 3*pieceRows)
	_, err := inPieces(NewTask(ctx, mem), len(idx), pieceRows, func(from, to int) (arrow.Array, error) { return vector.Take(mem, src, idx[from:to]), nil })
	require.ErrorIs(t, err, context.Canceled)
}
