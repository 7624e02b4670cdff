package parquetsrc

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/stretchr/testify/require"
)

// garbageAllocator hands out uninitialised memory full of garbage, so that
// a byte the decoder forgets to write shows, and fills what is freed with
// other garbage, so that a read of a buffer given back too early shows
// too (the engine's pool hands it to the next taker).
type garbageAllocator struct {
	*memory.CheckedAllocator
	uninit int // buffers handed out by AllocateUninit
}

func (g *garbageAllocator) AllocateUninit(size int) []byte {
	g.uninit++
	b := g.Allocate(size)
	for i := range b {
		b[i] = 0xa5
	}
	return b
}

func (g *garbageAllocator) Free(b []byte) {
	for i := range b {
		b[i] = 0x5a
	}
	g.CheckedAllocator.Free(b)
}

// TestUninitAllocator reads files with nulls and without, dictionary and
// plain, through an allocator whose uninitialised memory is garbage, and
// requires every buffer byte to equal a read with zeroed memory.
func TestUninitAllocator(t *testing.T) {
	rec := mixedRecord(memory.NewGoAllocator(), 1000, 77)
	defer rec.Release()
	for _, dict := range []bool{true, false} {
		t.Run(fmt.Sprintf("dict=%v", dict), func(t *testing.T) {
			path := writeArrow(t, rec, parquet.WithDictionaryDefault(dict), parquet.WithDataPageSize(900))
			f, err := Open(path)
			require.NoError(t, err)
			defer f.Close()
			zeroed := newMem(t)
			garbage := &garbageAllocator{CheckedAllocator: newMem(t)}
			for _, batch := range []int{13, 1000} {
				a, err := f.NewReader(f.AllRowGroups(), allColumns(f), batch, zeroed)
				require.NoError(t, err)
				b, err := f.NewReader(f.AllRowGroups(), allColumns(f), batch, garbage)
				require.NoError(t, err)
				for {
					ra, err := a.Next(t.Context())
					require.NoError(t, err)
					rb, err := b.Next(t.Context())
					require.NoError(t, err)
					if ra == nil {
						require.Nil(t, rb)
						break
					}
					for c := range ra.Columns() {
						requireSameBytes(t, ra.Column(c), rb.Column(c), f.Schema().Field(c).Name)
					}
					ra.Release()
					rb.Release()
				}
				a.Close()
				b.Close()
			}
			require.Positive(t, garbage.uninit)
		})
	}
}

// requireSameBytes compares two arrays buffer by buffer, byte for byte
// over each buffer's length (the validity bitmap over its length bits).
func requireSameBytes(t *testing.T, want, got arrow.Array, col string) {
	t.Helper()
	wb, gb := want.Data().Buffers(), got.Data().Buffers()
	require.Equal(t, len(wb), len(gb), col)
	for i := range wb {
		if wb[i] == nil || gb[i] == nil {
			require.True(t, wb[i] == nil && gb[i] == nil, "%s buffer %d", col, i)
			continue
		}
		require.True(t, bytes.Equal(wb[i].Bytes(), gb[i].Bytes()), "%s buffer %d:\n%x\n%x", col, i, wb[i].Bytes(), gb[i].Bytes())
	}
}
