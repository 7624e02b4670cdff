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
	assert.True(t, pointerFree[decimal128.Num]())
	assert.True(t, pointerFree[bool]())
	assert.False(t, pointerFree[[]int64]())
	assert.False(t, pointerFree[struct{ x int64 }](), "structs are not listed, whatever they hold")
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
				require.Len(t, l.TakePage(), pageWords)
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
