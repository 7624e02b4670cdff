package hashtab

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Large slot arrays are mapped, and a growing table gives the old array
// back as soon as its slots have moved.
func TestMappedSlotsGrowAndGiveBack(t *testing.T) {
	n := 2 * mappedMin / (slotSize + 1) // slot count of a mapped array, rounded below
	n = 1 << log2(n)
	tab := New(nil)
	require.NoError(t, tab.resize(&budget{}, n))
	require.NotNil(t, tab.smap)
	first := tab.smap
	for i := range tab.slots { // every slot is writable memory
		tab.slots[i].g = int32(i)
	}
	tab.tags[len(tab.tags)-1] = tagOf(1)
	require.NoError(t, tab.grow(&budget{}))
	require.NotNil(t, tab.smap)
	assert.NotSame(t, first, tab.smap)
	assert.Empty(t, first.left.mem, "the old array is unmapped")
	assert.Equal(t, 2*n, len(tab.slots))
}

// A cancel while mapped memory is faulted in or given back stops the
// work with the budget's error; what is left mapped is the cleanup's.
func TestMappedSlotsStopOnBudget(t *testing.T) {
	errStop := errors.New("cancelled")
	n := 1 << log2(4*mappedMin/(slotSize+1))
	_, err := newSlotMemory(&budget{failAfter: 2, err: errStop}, n)
	require.ErrorIs(t, err, errStop)

	s, err := newSlotMemory(&budget{}, n)
	require.NoError(t, err)
	m := s.m
	require.NotNil(t, m)
	require.ErrorIs(t, s.free(&budget{failAfter: 1, err: errStop}), errStop)
	assert.NotEmpty(t, m.left.mem, "the rest is left to the cleanup")
	assert.Less(t, len(m.left.mem), n*(slotSize+1), "a piece was unmapped")
}
