package paged

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingBudget counts spends and fails from the given call on.
type countingBudget struct {
	calls, failAt int
}

var errStop = errors.New("stop")

func (b *countingBudget) Spend(int) error {
	if b.calls++; b.failAt > 0 && b.calls >= b.failAt {
		return errStop
	}
	return nil
}

func TestPageShift(t *testing.T) {
	assert.Equal(t, uint(18), pageShift[int32](), "1 MiB of int32")
	assert.Equal(t, uint(17), pageShift[int64]())
	assert.Equal(t, uint(20), pageShift[bool]())
	assert.Equal(t, uint(13), pageShift[[72]byte](), "72-byte elements: 8K a page, the power of two at or below 14.5K")
}

// TestVecMatchesSlice appends through a first page that doubles, then
// through full pages, and reads back with every accessor.
func TestVecMatchesSlice(t *testing.T) {
	var v Vec[[4096]byte] // 4K elements a page: several pages in few elements
	var ref []byte
	full := 1 << pageShift[[4096]byte]()
	for _, n := range []int{3, 64, 65, full - 1, full, full + 5, 3*full + 7} {
		for len(ref) < n {
			var x [4096]byte
			x[0], x[4095] = byte(len(ref)), byte(len(ref)>>8)
			v.Append(x)
			ref = append(ref, byte(len(ref)))
		}
		require.Equal(t, len(ref), v.Len())
		for _, i := range []int{0, n / 2, n - 1} {
			assert.Equal(t, ref[i], v.Get(i)[0], "element %d of %d", i, n)
			assert.Equal(t, byte(i>>8), v.View().At(i)[4095], "element %d of %d through a view", i, n)
		}
		if n <= full {
			assert.Len(t, v.Pages, 1, "one page up to a full page")
		} else {
			assert.Len(t, v.Pages, (n+full-1)/full)
		}
	}
	// Chunks visits every element once, in order, a page at a time.
	seen := 0
	v.Chunks(5, v.Len(), func(start int, s [][4096]byte) {
		assert.Equal(t, 5+seen, start)
		assert.LessOrEqual(t, len(s), full)
		for j := range s {
			assert.Equal(t, ref[start+j], s[j][0])
		}
		seen += len(s)
	})
	assert.Equal(t, v.Len()-5, seen)
	x := v.Get(full + 1)
	x[0] = 99
	v.Set(full+1, x)
	v.At(2)[0] += 10
	assert.Equal(t, byte(99), v.Get(full + 1)[0])
	assert.Equal(t, ref[2]+10, v.Get(2)[0])
}

func TestVecResize(t *testing.T) {
	var v Vec[int64]
	full := 1 << pageShift[int64]()
	b := &countingBudget{}
	require.NoError(t, v.Resize(b, 10))
	assert.Len(t, v.Pages[0], firstLen, "a small vector starts small")
	require.NoError(t, v.Resize(b, 2*full+1))
	assert.Len(t, v.Pages, 3)
	assert.Positive(t, b.calls)
	v.Set(2*full, 5)
	v.Set(10, 6)
	require.NoError(t, v.Resize(b, 11))
	require.NoError(t, v.Resize(b, 2*full+1))
	assert.Equal(t, int64(6), v.Get(10), "kept below the cut")
	assert.Zero(t, v.Get(2*full), "cleared by the shrink, zero again after growing")
	assert.Equal(t, int64(3*full*8), v.Bytes())

	var r Vec[int32]
	require.NoError(t, r.Reserve(nil, 100))
	assert.Equal(t, 0, r.Len())
	assert.Equal(t, 128, r.Cap())
}

func TestVecGrowthStopsOnBudget(t *testing.T) {
	var v Vec[uint64]
	full := 1 << pageShift[uint64]()
	spendsPerPage := full * 8 / osPage // Prefault spends once per OS page
	err := v.Resize(&countingBudget{failAt: 2*spendsPerPage + 1}, 10*full)
	require.ErrorIs(t, err, errStop)
	assert.Len(t, v.Pages, 2, "the page whose prefault failed is dropped, no page allocated after it")
	err = v.Reserve(&countingBudget{failAt: 1}, 20*full)
	require.ErrorIs(t, err, errStop)
}
