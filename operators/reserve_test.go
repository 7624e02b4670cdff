package operators

import (
	"context"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reserve keeps a slice's contents, makes room once, and touches a large
// new array with checks in between; a cancel stops it.
func TestReserve(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tests := []struct {
		name       string
		have       []int32
		n          int
		wantChecks int64 // at least
	}{
		{"room already", make([]int32, 2, 100), 100, 0},
		{"small, no pass", []int32{7, 8}, 1000, 0},
		{"a batch of pairs", []int32{7, 8}, 8192, 2},
		{"a million rows", nil, 1 << 20, 256},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			task := NewTask(context.Background(), mem)
			task.quantum = DefaultQuantum
			got, err := reserve(task, tc.have, tc.n)
			require.NoError(t, err)
			assert.True(t, slices.Equal(tc.have, got), "contents kept: %v", got)
			assert.GreaterOrEqual(t, cap(got), tc.n)
			assert.GreaterOrEqual(t, task.Stats().Checks, tc.wantChecks)
			again, err := reserve(task, got, tc.n)
			require.NoError(t, err)
			assert.Same(t, &got[:1][0], &again[:1][0], "made once")
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := reserve(NewTask(ctx, mem), nil, 1<<20)
	require.ErrorIs(t, err, context.Canceled)
}

// count is the number of matched build rows, whatever their place.
func TestBuildMatchesCount(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	var m BuildMatches
	const rows = 20_000_000
	m.init(rows)
	marked := []int32{0, 31, 32, 1000, 1 << 20, rows - 1}
	for _, r := range marked {
		m.mark(r)
		m.mark(r) // twice is once
	}
	task := NewTask(context.Background(), mem)
	task.quantum = DefaultQuantum
	n, err := m.count(task)
	require.NoError(t, err)
	assert.Equal(t, len(marked), n)
	assert.Positive(t, task.Stats().Checks, "20M rows are counted with checks")
}
