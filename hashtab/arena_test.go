package hashtab

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

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
				a.add(k)
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
