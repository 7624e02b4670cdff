package paged

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrefault(t *testing.T) {
	tests := []struct {
		name   string
		bytes  int
		spends int
	}{
		{"small: not worth a pass", 3 * osPage, 0},
		{"four pages: a pass", 4 * osPage, 4},
		{"one spend a page", 64 * osPage, 64},
		{"a partial last page", 64*osPage + 8, 65},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &countingBudget{}
			s := make([]uint64, tt.bytes/8)
			require.NoError(t, Prefault(b, s))
			assert.Equal(t, tt.spends, b.calls)
			for i, x := range s {
				if x != 0 {
					t.Fatalf("element %d is %d after Prefault", i, x)
				}
			}
		})
	}
	t.Run("stops on the budget", func(t *testing.T) {
		b := &countingBudget{failAt: 10}
		require.ErrorIs(t, Prefault(b, make([]byte, 64*osPage)), errStop)
		assert.Equal(t, 10, b.calls)
	})
	t.Run("no budget", func(t *testing.T) {
		require.NoError(t, Prefault[byte](nil, make([]byte, 64*osPage)))
	})
}
