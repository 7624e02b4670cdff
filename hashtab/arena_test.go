package hashtab

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeyArena stores keys across many small pages, including keys longer
// than a page and empty ones, and reads every one back.
func TestKeyArena(t *testing.T) {
	for _, tt := range []struct {
		fixedW, pageSz int
	}{{0, 16}, {0, 64}, {0, arenaPage}, {5, 16}, {5, 12}, {40, 16}, {3, arenaPage}} {
		t.Run(fmt.Sprintf("fixed=%d/page=%d", tt.fixedW, tt.pageSz), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(tt.pageSz)))
			a := newKeyArenaSized(tt.fixedW, tt.pageSz)
			var want [][]byte
			for i := range 2000 {
				n := tt.fixedW
				if n == 0 {
					n = r.IntN(40) // empty keys and keys over a page included
				}
				k := make([]byte, n)
				for j := range k {
					k[j] = byte(r.Uint32())
				}
				require.NoError(t, a.add(nil, k))
				want = append(want, k)
				// Every key stays readable while later ones are added.
				if i%97 == 0 {
					for g, w := range want {
						require.True(t, bytes.Equal(w, a.key(int32(g))), "key %d after %d adds", g, i+1)
					}
				}
			}
			for g, w := range want {
				require.True(t, bytes.Equal(w, a.key(int32(g))), "key %d", g)
			}
			if tt.pageSz < 100 {
				require.Greater(t, len(a.pages), 10, "the keys span many pages")
			}
		})
	}
}

// recordingSource is a budget that lends pages from a pool's lease and
// remembers where each one starts.
type recordingSource struct {
	budget
	lease *paged.Lease
	lent  map[uintptr]bool
}

func (s *recordingSource) TakePage() ([]uint64, bool) {
	page, zero := s.lease.TakePage()
	s.lent[uintptr(unsafe.Pointer(unsafe.SliceData(page)))] = true
	return page, zero
}

// A bytes table's key pages and the index of where each key starts come
// from the task's page source when it lends them, as its other state does, so that a reused page is cleared
// with checks rather than zeroed by make in one call.
func TestArenaPagesComeFromThePageSource(t *testing.T) {
	mem := checkedMem(t)
	pool := paged.NewPool(16)
	src := &recordingSource{lease: pool.Lease(), lent: map[uintptr]bool{}}
	defer src.lease.Release()
	tab := New([]types.T{types.StringType})
	r := rand.New(rand.NewPCG(9, 10))
	ref := newReference()
	for range 4 {
		cols := randKeys(mem, r, tab.keyTypes, 8192, 1<<20)
		insert(t, tab, ref, src, cols)
		release(cols)
	}
	require.Equal(t, layoutBytes, tab.layout)
	require.NotEmpty(t, tab.arena.pages)
	for i, p := range tab.arena.pages {
		assert.True(t, src.lent[uintptr(unsafe.Pointer(unsafe.SliceData(p)))], "arena page %d", i)
	}
	starts := tab.arena.starts.Pages
	require.NotEmpty(t, starts)
	assert.True(t, src.lent[uintptr(unsafe.Pointer(unsafe.SliceData(starts[0])))], "the key index's page")
}
