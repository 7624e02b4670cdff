package operators

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMergeSortStable checks the ordered string_agg's merge sort against the
// library's stable sort, and that a cancelled query stops it.
func TestMergeSortStable(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	type row struct {
		key  string
		text int
	}
	lessEq := func(x, y row) bool { return x.key <= y.key }
	for _, n := range []int{0, 1, 2, 3, 7, 64, 1000, 4097} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rows := make([]row, n)
			for i := range rows {
				rows[i] = row{key: string(rune('a' + r.Intn(5))), text: i} // many equal keys
			}
			want := slices.Clone(rows)
			slices.SortStableFunc(want, func(a, b row) int { return strings.Compare(a.key, b.key) })
			_, err := mergeSortStable(NewTask(context.Background(), nil), rows, nil, lessEq)
			require.NoError(t, err)
			require.Equal(t, want, rows)
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		rows := make([]row, 100_000)
		for i := range rows {
			rows[i] = row{key: "k", text: i}
		}
		_, err := mergeSortStable(NewTask(ctx, nil), rows, nil, lessEq)
		require.ErrorIs(t, err, context.Canceled)
	})
}
