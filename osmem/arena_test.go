package osmem

import (
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
)

func TestArena(t *testing.T) {
	if Map(osPage) == nil {
		t.Skip("no anonymous mappings on this platform")
	}
	tests := []struct {
		name    string
		size    int
		allocs  []int
		inArena []bool // whether each piece comes from the mapping
		mapped  int    // bytes still mapped after Seal, before the frees
	}{
		{"fits", 3 * osPage, []int{100, 4000, 10}, []bool{true, true, true}, 2 * osPage},
		{"overflows to the fallback", osPage, []int{4000, 200}, []bool{true, false}, osPage},
		{"large mapping trimmed to its use", 4 << 20, []int{5 * osPage}, []bool{true}, 5 * osPage},
		{"nothing allocated", 8 * osPage, nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fallback := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer fallback.AssertSize(t, 0)
			a := NewArena(tt.size, fallback)
			var pieces [][]byte
			for i, n := range tt.allocs {
				before := fallback.CurrentAlloc()
				b := a.Allocate(n)
				require.Len(t, b, n)
				require.Zero(t, uintptr(unsafe.Pointer(unsafe.SliceData(b)))%arenaAlign, "aligned")
				for _, c := range b {
					require.Zero(t, c, "fresh memory is zero")
				}
				for j := range b {
					b[j] = byte(i + 1) // pieces do not overlap: checked below
				}
				require.Equal(t, tt.inArena[i], fallback.CurrentAlloc() == before, "piece %d from the mapping", i)
				pieces = append(pieces, b)
			}
			for i, b := range pieces {
				for _, c := range b {
					require.Equal(t, byte(i+1), c)
				}
			}
			a.Seal()
			require.Equal(t, tt.mapped, a.Mapped())
			for _, b := range pieces {
				a.Free(b)
			}
			require.Zero(t, a.Mapped(), "unmapped once every piece is freed")
		})
	}
}

func TestArenaUnmapsAtLastFree(t *testing.T) {
	if Map(osPage) == nil {
		t.Skip("no anonymous mappings on this platform")
	}
	a := NewArena(osPage, memory.NewGoAllocator())
	x, y := a.Allocate(10), a.Allocate(10)
	a.Free(x)
	a.Seal()
	require.Equal(t, osPage, a.Mapped(), "a piece is still in use")
	y[0] = 1 // still mapped
	a.Free(y)
	require.Zero(t, a.Mapped())
	require.Empty(t, a.Allocate(0))
}

func TestArenaReallocate(t *testing.T) {
	a := NewArena(osPage, memory.NewGoAllocator())
	b := a.Allocate(8)
	copy(b, "abcdefgh")
	b = a.Reallocate(16, b)
	require.Equal(t, "abcdefgh", string(b[:8]))
	require.Len(t, b, 16)
	a.Free(b)
	a.Seal()
	require.Zero(t, a.Mapped())
}

// TestArenaCleanup drops an arena with a piece never freed: once the
// Arena is unreachable, its cleanup unmaps what is left of the mapping.
func TestArenaCleanup(t *testing.T) {
	if Map(osPage) == nil {
		t.Skip("no anonymous mappings on this platform")
	}
	r := func() *region {
		a := NewArena(16*osPage, memory.NewGoAllocator())
		b := a.Allocate(100)
		b[0] = 1
		a.Seal()
		return a.r // not the Arena: the cleanup's argument
	}()
	require.Eventually(t, func() bool {
		runtime.GC()
		return r.cleanedUp.Load()
	}, 5*time.Second, 10*time.Millisecond, "the cleanup ran")
	require.Equal(t, osPage, len(r.mem), "it had the used page to unmap")
}
