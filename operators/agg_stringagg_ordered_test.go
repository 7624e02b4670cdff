package operators

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSortKeyed checks the ordered string_agg's merge sort against the
// library's stable sort, and that a cancelled query stops it.
func TestSortKeyed(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	row := func(key string, i int) keyedText {
		text := fmt.Sprint(i)
		return keyedText{buf: []byte(key + text), klen: len(key)}
	}
	for _, n := range []int{0, 1, 2, 3, 7, 64, 1000, 4097} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rows := make([]keyedText, n)
			for i := range rows {
				rows[i] = row(string(rune('a'+r.Intn(5))), i) // many equal keys
			}
			want := slices.Clone(rows)
			slices.SortStableFunc(want, func(a, b keyedText) int { return compareBytes(a.key(), b.key()) })
			_, err := sortKeyed(NewTask(context.Background(), nil), rows, nil)
			require.NoError(t, err)
			for i := range rows {
				require.Equal(t, string(want[i].buf), string(rows[i].buf), "row %d", i)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		rows := make([]keyedText, 100_000)
		for i := range rows {
			rows[i] = row("k", i)
		}
		_, err := sortKeyed(NewTask(ctx, nil), rows, nil)
		require.ErrorIs(t, err, context.Canceled)
	})
}

func compareBytes(a, b []byte) int { return slices.Compare(a, b) }
