package operators

import (
	"context"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
)

// A sort's kept buffers come back zeroed (the encoder ORs into the
// records), of the length asked, and are made anew only when too small.
func TestSortScratchReuse(t *testing.T) {
	task := NewTask(context.Background(), memory.DefaultAllocator)
	var s sortScratch
	recs, tmp, err := s.take(task, 100)
	require.NoError(t, err)
	require.Len(t, recs, 100)
	require.Len(t, tmp, 100)
	for i := range recs {
		recs[i], tmp[i] = uint64(i)+1, uint64(i)+1
	}
	tests := []struct {
		name  string
		n     int
		fresh bool
	}{
		{"smaller", 60, false},
		{"same", 100, false},
		{"larger", 150, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := &s.recs[:1][0]
			r, m, err := s.take(task, tt.n)
			require.NoError(t, err)
			require.Len(t, r, tt.n)
			require.Len(t, m, tt.n)
			require.Equal(t, tt.fresh, &r[0] != before)
			for i := range r {
				require.Zero(t, r[i])
				require.Zero(t, m[i])
				r[i], m[i] = 7, 7
			}
			require.Equal(t, int64(cap(s.recs)+cap(s.tmp))*8, s.bytes())
		})
	}
}

// Clearing a large kept buffer checks the context between chunks.
func TestSortScratchClearStopsOnCancel(t *testing.T) {
	var s sortScratch
	_, _, err := s.take(NewTask(context.Background(), memory.DefaultAllocator), 1<<20)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = s.take(NewTask(ctx, memory.DefaultAllocator), 1<<20)
	require.ErrorIs(t, err, context.Canceled)
}
