package operators

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/vector"
)

// TestRowSetGroupsInPieces checks that groups cuts batches and runs of
// chosen rows longer than sortGroupRows into pieces, and that every row
// comes once, in order, under the id the set gives it.
func TestRowSetGroupsInPieces(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	batch := func(first, n int) arrow.Record {
		b := array.NewInt64Builder(mem)
		defer b.Release()
		for i := range n {
			b.Append(int64(first + i))
		}
		col := b.NewArray()
		defer col.Release()
		return array.NewRecord(schema, []arrow.Array{col}, int64(n))
	}
	big, small := 2*sortGroupRows+5, 7
	batches := []arrow.Record{batch(0, big), batch(big, small)}
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()

	// Each row's value and id, in the order groups gives them.
	walk := func(set *rowSet) (vals []int64, ids []uint64) {
		require.NoError(t, set.groups(func(g *rowGroup) error {
			require.LessOrEqual(t, g.len(), sortGroupRows)
			col := g.rec.Column(0).(*array.Int64)
			for j := range g.len() {
				vals = append(vals, col.Value(g.row(j)))
				ids = append(ids, set.id(g, j))
			}
			return nil
		}))
		return vals, ids
	}

	whole := wholeRows(batches)
	vals, ids := walk(whole)
	require.Len(t, vals, big+small)
	for i, v := range vals {
		require.Equal(t, int64(i), v)
		ref := whole.ref(ids[i])
		require.Equal(t, int64(i), batches[ref.Batch].Column(0).(*array.Int64).Value(int(ref.Row)), "id of row %d", i)
	}

	// Four rows in five of the big batch, then the small one's rows.
	var refs []vector.RowRef
	for r := 0; r < big; r++ {
		if r%5 != 0 {
			refs = append(refs, vector.RowRef{Batch: 0, Row: int32(r)})
		}
	}
	for r := range small {
		refs = append(refs, vector.RowRef{Batch: 1, Row: int32(r)})
	}
	chosen := &rowSet{batches: batches, refs: refs}
	vals, ids = walk(chosen)
	require.Len(t, vals, len(refs))
	for i, ref := range refs {
		require.Equal(t, batches[ref.Batch].Column(0).(*array.Int64).Value(int(ref.Row)), vals[i])
		require.Equal(t, uint64(i), ids[i])
	}
}
