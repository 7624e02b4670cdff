package osmem

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMap(t *testing.T) {
	if Map(4096) == nil {
		t.Skip("no anonymous mappings on this platform")
	}
	tests := []struct {
		name string
		n    int
	}{
		{"one page", 4096},
		{"pages", 9 * 4096},
		{"not a whole number of pages", 5<<20 + 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Map(tt.n)
			require.Len(t, b, tt.n)
			require.Equal(t, tt.n, cap(b), "no room past the mapping")
			for i := 0; i < len(b); i += 4096 {
				require.Zero(t, b[i], "fresh memory is zero")
				b[i] = 1
			}
			b[len(b)-1] = 1
			// A piece at a time, as hash tables give theirs back.
			require.NoError(t, Unmap(b[:4096]))
			require.NoError(t, Unmap(b[4096:]))
		})
	}
	require.Nil(t, Map(0))
	require.NoError(t, Unmap(nil))
}
