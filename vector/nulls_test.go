package vector

import (
	"sync"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/stretchr/testify/require"
)

// A settled slice is read by several goroutines at once without a race
// (run under -race): without SettleNulls their first NullN calls would
// each store the count.
func TestSettleNullsBeforeSharing(t *testing.T) {
	mem := checkedMem(t)
	b := array.NewInt64Builder(mem)
	defer b.Release()
	b.AppendValues([]int64{1, 2, 3, 4, 5, 6}, []bool{true, false, true, true, false, true})
	whole := b.NewArray()
	defer whole.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{whole}, 6)
	defer rec.Release()
	slice := rec.NewSlice(1, 5)
	defer slice.Release()
	SettleNulls(slice)
	var wg sync.WaitGroup
	counts := make([]int, 4)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i] = slice.Column(0).NullN()
		}()
	}
	wg.Wait()
	require.Equal(t, []int{2, 2, 2, 2}, counts)
}
