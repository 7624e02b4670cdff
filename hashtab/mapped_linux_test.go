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

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/osmem"
	"github.com/minisql/minisql/types"
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

// poolBudget is a query's task as a table sees it: a budget that leads to
// the engine's pool of mappings.
type poolBudget struct {
	budget
	pool *osmem.Pool
}

func (b *poolBudget) Mappings() *osmem.Pool { return b.pool }

// A released table's slot array goes to the pool and the next table of
// that size takes it, zeroed: its groups are its own keys', none of the
// first table's left in the slots.
func TestMappedSlotsReusedThroughThePool(t *testing.T) {
	mem := checkedMem(t)
	pool := osmem.NewPool(256 << 20)
	defer pool.Close()
	b := &poolBudget{pool: pool}
	const n = 200_000 // enough groups for a mapped slot array
	group := func(reversed bool) *Table {
		vals := make([]any, n)
		for i := range vals {
			vals[i] = int64(i) * 7
			if reversed {
				vals[i] = int64(n-1-i) * 7
			}
		}
		col := column(mem, types.Int64Type, vals)
		defer col.Release()
		tab := New([]types.T{types.Int64Type, types.Int64Type})
		out := make([]int32, n)
		_, err := tab.FindOrInsert(b, []arrow.Array{col, col}, out)
		require.NoError(t, err)
		require.Equal(t, n, tab.Len())
		for i, g := range out {
			require.Equal(t, int32(i), g)
		}
		return tab
	}
	first := group(false)
	require.NotNil(t, first.smap, "the table maps its slots")
	size := len(first.smap.mem)
	require.Positive(t, pool.Kept(), "growing gave the smaller arrays back")
	first.Release()
	require.GreaterOrEqual(t, pool.Kept(), size)

	kept := pool.Kept()
	// The same keys in the other order: a slot left from the first table
	// would give a key its first group, not its new one.
	second := group(true)
	require.NotNil(t, second.smap)
	require.Less(t, pool.Kept(), kept, "the second table took kept arrays")
	second.Release()
}

// A slot array taken from the pool is zeroed before use: the tables'
// hash seeds differ, so a slot left behind would rarely be found by a
// lookup, and a test of groups alone would seldom see it; it would still
// count as taken.
func TestPooledSlotsComeZeroed(t *testing.T) {
	pool := osmem.NewPool(64 << 20)
	defer pool.Close()
	b := &poolBudget{pool: pool}
	n := 1 << log2(4*mappedMin/(slotSize+1))
	s, err := newSlotMemory(b, n)
	require.NoError(t, err)
	for i := range s.tags {
		s.tags[i], s.slots[i].g = 0xff, int32(i)
	}
	require.NoError(t, s.free(b))
	require.Positive(t, pool.Kept())

	again, err := newSlotMemory(b, n)
	require.NoError(t, err)
	require.Zero(t, pool.Kept(), "taken from the pool")
	for i := range again.tags {
		if again.tags[i] != 0 || again.slots[i] != (slot{}) {
			t.Fatalf("slot %d not zeroed", i)
		}
	}
	require.NoError(t, again.free(nil))
}
