package hashtab

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

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

// A mapping nothing references any more is unmapped by its cleanup: a
// table dropped without growing past its slots leaks no memory.
func TestMappedSlotsUnmappedOnceUnreachable(t *testing.T) {
	n := 1 << log2(4*mappedMin/(slotSize+1))
	start, end := func() (uintptr, uintptr) {
		s, err := newSlotMemory(&budget{}, n)
		require.NoError(t, err)
		require.NotNil(t, s.m)
		p := uintptr(unsafe.Pointer(unsafe.SliceData(s.m.mem)))
		return p, p + uintptr(len(s.m.mem))
	}()
	require.True(t, isMapped(t, start, end))
	// Generous: the cleanup runs on its own goroutine after a collection.
	require.Eventually(t, func() bool {
		runtime.GC()
		return !isMapped(t, start, end)
	}, 10*time.Second, 10*time.Millisecond)
}

// isMapped reports whether a mapping of the process covers [start, end).
func isMapped(t *testing.T, start, end uintptr) bool {
	data, err := os.ReadFile("/proc/self/maps")
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		var lo, hi uintptr
		if _, err := fmt.Sscanf(line, "%x-%x", &lo, &hi); err != nil {
			continue
		}
		if lo <= start && end <= hi {
			return true
		}
	}
	return false
}
