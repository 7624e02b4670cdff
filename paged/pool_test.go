package paged

import (
	"testing"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leasingBudget is a budget whose full pages come from a lease.
type leasingBudget struct {
	countingBudget
	*Lease
}

func pageAddr[T any](s []T) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(s))) }

// A vector grown with a leasing budget takes its full pages from the
// lease, and a second vector reuses them, zeroed, once the lease is
// released.
func TestVecReusesReleasedPages(t *testing.T) {
	var pool Pool
	full := 1 << pageShift[int64]()
	first := &leasingBudget{Lease: pool.Lease()}
	var a Vec[int64]
	require.NoError(t, a.Resize(first, 3*full))
	for i := range a.Len() {
		a.Set(i, int64(i)+1)
	}
	taken, made, free := pool.Stats()
	assert.Equal(t, 3, taken, "the first page doubled into a full page, then two more")
	assert.Equal(t, 3, made)
	assert.Zero(t, free)
	assert.Equal(t, int64(3*PageBytes), first.Bytes())
	pages := map[uintptr]bool{}
	for _, p := range a.Pages {
		pages[pageAddr(p)] = true
	}

	first.Release()
	assert.Zero(t, first.Bytes())
	second := &leasingBudget{Lease: pool.Lease()}
	var b Vec[decimal128.Num] // 16-byte elements: the same pages, typed anew
	require.NoError(t, b.Resize(second, 2<<pageShift[decimal128.Num]()))
	taken, made, free = pool.Stats()
	assert.Equal(t, 5, taken)
	assert.Equal(t, 3, made, "no new page")
	assert.Equal(t, 1, free)
	for _, p := range b.Pages {
		assert.True(t, pages[pageAddr(p)], "a page of the first vector")
		for _, x := range p {
			require.Equal(t, decimal128.Num{}, x, "reused pages are zero")
		}
	}
}

// Pages are lent only whole, and only for elements without pointers: the
// collector must never see a page typed once as words and once as
// pointers.
func TestLeasedPageOnlyForFullPointerFreePages(t *testing.T) {
	var pool Pool
	b := &leasingBudget{Lease: pool.Lease()}
	tests := []struct {
		name string
		page func() bool // whether Reserve took a leased page
	}{
		{"small first page", func() bool {
			var v Vec[int32]
			require.NoError(t, v.Resize(b, 100))
			return len(v.Pages[0]) == 1<<pageShift[int32]()
		}},
		{"strings", func() bool {
			var v Vec[string]
			before, _, _ := pool.Stats()
			require.NoError(t, v.Resize(b, 3<<pageShift[string]()))
			after, _, _ := pool.Stats()
			return after > before
		}},
		{"no page source", func() bool {
			var v Vec[int64]
			before, _, _ := pool.Stats()
			require.NoError(t, v.Resize(&countingBudget{}, 3<<pageShift[int64]()))
			after, _, _ := pool.Stats()
			return after > before
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.False(t, tt.page())
		})
	}
	for name, got := range map[string][2]bool{
		"decimal128.Num": {true, pointerFree[decimal128.Num]()},
		"bool":           {true, pointerFree[bool]()},
		"[4]int32":       {true, pointerFree[[4]int32]()},
		"a struct of values": {true, pointerFree[struct {
			k uint64
			g int32
			_ uint32
		}]()},
		"[]int64": {false, pointerFree[[]int64]()},
		"string":  {false, pointerFree[string]()},
		"[2]*int": {false, pointerFree[[2]*int]()},
		"a struct with a slice": {false, pointerFree[struct {
			x int64
			s []byte
		}]()},
	} {
		assert.Equal(t, got[0], got[1], name)
	}
}

// A first page of leaseFrom bytes or more is a leased full page, and the
// first page's later sizes grow in it in place: no page made, no copy.
func TestFirstPageGrowsInALeasedPage(t *testing.T) {
	var pool Pool
	b := &leasingBudget{Lease: pool.Lease()}
	var v Vec[int64]
	first := leaseFrom / 8
	require.NoError(t, v.Resize(b, first))
	require.Len(t, v.Pages, 1)
	assert.Len(t, v.Pages[0], first)
	assert.Equal(t, 1<<pageShift[int64](), cap(v.Pages[0]))
	for i := range first {
		v.Set(i, int64(i)+1)
	}
	at := pageAddr(v.Pages[0])
	require.NoError(t, v.Resize(b, 3*first))
	taken, made, _ := pool.Stats()
	assert.Equal(t, 1, taken)
	assert.Equal(t, 1, made)
	assert.Equal(t, at, pageAddr(v.Pages[0]), "grown in place")
	assert.Len(t, v.Pages[0], 4*first)
	for i := range 3 * first {
		want := int64(0)
		if i < first {
			want = int64(i) + 1
		}
		require.Equal(t, want, v.Get(i), "element %d", i)
	}
}

// A bounded pool keeps at most its bound of free pages; the rest of a
// released lease is left to the collector, and taking more than it holds
// makes new pages.
func TestPoolKeepsAtMostItsBound(t *testing.T) {
	tests := []struct {
		name                 string
		keep, take, released int
		wantFree             int
	}{
		{"under the bound", 4, 3, 3, 3},
		{"at the bound", 3, 3, 3, 3},
		{"over the bound", 2, 5, 5, 2},
		{"a bound of nothing keeps one", 0, 2, 2, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPool(tc.keep)
			l := p.Lease()
			for range tc.take {
				page, zero := l.TakePage()
				require.Len(t, page, pageWords)
				require.True(t, zero, "a new page")
			}
			l.Release()
			_, made, free := p.Stats()
			assert.Equal(t, tc.take, made)
			assert.Equal(t, tc.wantFree, free)
			// Taking them again reuses what was kept and makes the rest.
			l2 := p.Lease()
			for range tc.take {
				l2.TakePage()
			}
			_, made, free = p.Stats()
			assert.Equal(t, tc.take+max(0, tc.take-tc.wantFree), made)
			assert.Zero(t, free)
			l2.Release()
		})
	}
}

// leaveDirtyPage puts a page of all ones bits in pool's free list and
// returns it.
func leaveDirtyPage(pool *Pool) []uint64 {
	dirty := pool.Lease()
	page, _ := dirty.TakePage()
	for i := range page {
		page[i] = ^uint64(0)
	}
	dirty.Release()
	return page
}

// A reused page is cleared an OS page at a time, spending budget between
// pieces, and a failing check stops the clearing and the growth.
func TestReusedPageIsClearedBetweenChecks(t *testing.T) {
	var pool Pool
	page := leaveDirtyPage(&pool)

	b := &leasingBudget{Lease: pool.Lease()}
	var v Vec[uint64]
	require.NoError(t, v.Resize(b, 1<<pageShift[uint64]()))
	assert.Equal(t, pageAddr(page), pageAddr(v.Pages[0]), "the dirty page, reused")
	assert.Equal(t, PageBytes/osPage, b.calls, "a spend an OS page")
	for i, x := range v.Pages[0] {
		require.Zero(t, x, "word %d", i)
	}
	b.Release()

	stopping := &leasingBudget{countingBudget: countingBudget{failAt: 3}, Lease: pool.Lease()}
	var w Vec[uint64]
	require.ErrorIs(t, w.Resize(stopping, 1<<pageShift[uint64]()), errStop)
	assert.Equal(t, 3, stopping.calls)
	stopping.Release()
}

// LeaseBytes lends a byte slice on a full page: empty, of the capacity
// asked for, zero even when the page was reused dirty (cleared a spend an
// OS page, stopping at a failing check), and nothing when the budget
// lends no pages or the size is over a page.
func TestLeaseBytes(t *testing.T) {
	var pool Pool
	page := leaveDirtyPage(&pool)

	b := &leasingBudget{Lease: pool.Lease()}
	got, err := LeaseBytes(b, 1000)
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Empty(t, got)
	assert.Equal(t, 1000, cap(got))
	assert.Equal(t, pageAddr(page), pageAddr(got[:1]), "the dirty page, reused")
	assert.Equal(t, PageBytes/osPage, b.calls, "cleared a spend an OS page")
	for i, x := range got[:cap(got)] {
		require.Zero(t, x, "byte %d", i)
	}
	b.Release()

	none, err := LeaseBytes(&countingBudget{}, 1000)
	require.NoError(t, err)
	assert.Nil(t, none, "no page source")
	big := &leasingBudget{Lease: pool.Lease()}
	none, err = LeaseBytes(big, PageBytes+1)
	require.NoError(t, err)
	assert.Nil(t, none, "over a page")
	big.Release()

	leaveDirtyPage(&pool)
	stopping := &leasingBudget{countingBudget: countingBudget{failAt: 3}, Lease: pool.Lease()}
	_, err = LeaseBytes(stopping, PageBytes)
	require.ErrorIs(t, err, errStop)
	stopping.Release()
}
