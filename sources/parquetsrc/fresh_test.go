package parquetsrc

import (
	"errors"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/bufpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGrowPageTouchesNewBuffersBetweenChecks(t *testing.T) {
	boom := errors.New("cancelled")
	tests := []struct {
		name      string
		have, n   int // the buffer's capacity, the length asked
		failAt    int
		wantCalls int
		wantErr   error
	}{
		{"fits: no new buffer", 1 << 20, 1 << 20, 0, 0, nil},
		{"small new buffer: no check", 0, touchPages * osPage, 0, 0, nil},
		{"one page more: one check", 0, touchPages*osPage + 1, 0, 1, nil},
		{"a megabyte", 0, 1 << 20, 0, 1<<20/osPage/touchPages - 1, nil},
		{"grows a smaller one", 1 << 10, 1 << 20, 0, 1<<20/osPage/touchPages - 1, nil},
		{"stops at the failing check", 0, 1 << 20, 3, 3, boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			p := &pageReader{mem: mem}
			if tt.have > 0 {
				p.page = p.alloc(tt.have)[:0]
			}
			c := &checkCounter{failAt: tt.failAt, err: boom}
			p.check = c.check
			b, err := p.growPage(tt.n)
			require.ErrorIs(t, err, tt.wantErr)
			assert.Equal(t, tt.wantCalls, c.calls)
			assert.Len(t, b, tt.n)
			assert.Len(t, p.page, tt.n, "the buffer is kept for the next page")
			assert.Equal(t, tt.n+tt.have*min(1, max(0, tt.n-tt.have)), mem.CurrentAlloc(), "a smaller buffer is held too, until release")
			p.release()
		})
	}
}

// The read and page buffers come from the Reader's allocator and go back
// to it at release, so that the next scan takes the same memory from the
// engine's pool rather than fresh pages.
func TestPageBuffersAreReusedThroughThePool(t *testing.T) {
	pool := bufpool.New(64 << 20)
	p := &pageReader{mem: pool}
	raw := p.alloc(300 << 10)
	page := p.alloc(1 << 20)
	p.raw, p.page = raw, page
	p.release()
	assert.Nil(t, p.raw)
	assert.Nil(t, p.page)
	assert.Equal(t, int64(512<<10+1<<20), pool.Retained())

	q := &pageReader{mem: pool}
	assert.Equal(t, &raw[0], &q.alloc(400 << 10)[0], "the same class, reused")
	assert.Equal(t, &page[0], &q.alloc(1 << 20)[0])
	q.release()

	heap := &pageReader{} // no allocator: the heap, nothing to give back
	assert.Len(t, heap.alloc(100), 100)
	heap.release()
}
