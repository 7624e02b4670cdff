package bufpool

import (
	"sync"
	"testing"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/osmem"
	"github.com/stretchr/testify/require"
)

func addr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

func TestAllocateIsZeroedAndAligned(t *testing.T) {
	a := New(1 << 20)
	for _, size := range []int{1, 63, 64, 65, 1000, 4096, 100_000, MaxPooled, MaxPooled + 1} {
		b := a.Allocate(size)
		require.Len(t, b, size)
		require.Zero(t, addr(b)%alignment, "size %d", size)
		for i := range b {
			b[i] = 0xff // dirty it for the next user
		}
		a.Free(b)
		b = a.Allocate(size)
		for i, v := range b {
			if v != 0 {
				t.Fatalf("size %d: byte %d of a recycled buffer is %#x", size, i, v)
			}
		}
		a.Free(b)
	}
}

func TestFreedBuffersAreReused(t *testing.T) {
	a := New(1 << 20)
	b := a.Allocate(3000) // class 4096
	p := addr(b)
	a.Free(b)
	require.Equal(t, int64(4096), a.Retained())
	c := a.Allocate(2100) // same class
	require.Equal(t, p, addr(c))
	require.Zero(t, a.Retained())
	d := a.Allocate(2100) // the list is empty again: fresh memory
	require.NotEqual(t, p, addr(d))
}

func TestRetainLimit(t *testing.T) {
	a := New(8192)
	bufs := [][]byte{a.Allocate(4096), a.Allocate(4096), a.Allocate(4096)}
	for _, b := range bufs {
		a.Free(b)
	}
	require.Equal(t, int64(8192), a.Retained(), "the third buffer is left to the GC")
}

func TestReallocate(t *testing.T) {
	a := New(1 << 20)
	b := a.Allocate(100) // class 128
	for i := range b {
		b[i] = byte(i)
	}
	// Shrink, then grow within the class: in place, the regrown bytes zero.
	s := a.Reallocate(10, b)
	require.Equal(t, addr(b), addr(s))
	g := a.Reallocate(120, s)
	require.Equal(t, addr(b), addr(g))
	for i := 0; i < 10; i++ {
		require.Equal(t, byte(i), g[i])
	}
	for i := 10; i < 120; i++ {
		require.Zero(t, g[i], "byte %d", i)
	}
	// Beyond the class: moved, contents kept.
	m := a.Reallocate(1000, g)
	require.NotEqual(t, addr(g), addr(m))
	require.Equal(t, byte(9), m[9])
	require.Zero(t, m[999])
}

func TestForeignBuffersAreNotPooled(t *testing.T) {
	a := New(1 << 20)
	a.Free(make([]byte, 100))          // not a class size
	a.Free(alignedMake(2 * MaxPooled)) // too big
	a.Free(nil)
	require.Zero(t, a.Retained())
}

// TestUnderArrow builds and releases arrays through the pool, wrapped in a
// checked allocator as the engine's tests do.
func TestUnderArrow(t *testing.T) {
	mem := memory.NewCheckedAllocator(New(1 << 20))
	defer mem.AssertSize(t, 0)
	for round := 0; round < 3; round++ {
		b := array.NewInt64Builder(mem)
		for i := 0; i < 10000; i++ {
			if i%7 == 0 {
				b.AppendNull()
			} else {
				b.Append(int64(i))
			}
		}
		arr := b.NewInt64Array()
		b.Release()
		require.Equal(t, 10000/7+1, arr.NullN())
		require.Equal(t, int64(9999), arr.Value(9999))
		arr.Release()
	}
}

func TestConcurrentUse(t *testing.T) {
	a := New(1 << 20)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				b := a.Allocate(64 << (i % 8))
				b[0], b[len(b)-1] = byte(g), byte(g)
				if b[0] != byte(g) || b[len(b)-1] != byte(g) {
					t.Error("buffer shared between goroutines")
				}
				a.Free(b)
			}
		}()
	}
	wg.Wait()
	require.LessOrEqual(t, a.Retained(), int64(1<<20))
}

// AllocateUninit hands out a recycled buffer as it was left (that is its
// point), aligned and of the size asked; Allocate still zeroes after it.
func TestAllocateUninit(t *testing.T) {
	a := New(1 << 20)
	for _, size := range []int{1, 64, 3000, MaxPooled + 1} {
		b := a.AllocateUninit(size)
		require.Len(t, b, size)
		require.Zero(t, addr(b)%alignment, "size %d", size)
		for i := range b {
			b[i] = 0xff
		}
		a.Free(b)
		if size <= MaxPooled {
			u := a.AllocateUninit(size)
			require.Equal(t, addr(b), addr(u), "size %d: the freed buffer is reused", size)
			require.Equal(t, byte(0xff), u[size-1], "size %d: not zeroed", size)
			a.Free(u)
		}
		z := a.Allocate(size)
		for i, v := range z {
			if v != 0 {
				t.Fatalf("size %d: byte %d of an Allocate after AllocateUninit is %#x", size, i, v)
			}
		}
		a.Free(z)
	}
	require.Empty(t, a.AllocateUninit(0))
}

func TestLargeBuffersAreMappedAndUnmapped(t *testing.T) {
	if osmem.Map(osPage) == nil {
		t.Skip("no anonymous mappings on this platform")
	}
	tests := []struct {
		name   string
		size   int
		retain int64
		kept   bool // back in the free list after Free
	}{
		{"a class, the pool has room", MapFrom + 1, 4 * MapFrom, true},
		{"a class, the pool is full", MapFrom + 1, MapFrom, false},
		{"past the largest class", MaxPooled + 1, 4 * MaxPooled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(tt.retain)
			b := a.Allocate(tt.size)
			require.Len(t, b, tt.size)
			require.GreaterOrEqual(t, a.Mapped(), int64(tt.size))
			b[0], b[tt.size-1] = 1, 1
			a.Free(b)
			if !tt.kept {
				require.Zero(t, a.Mapped(), "unmapped when freed")
				return
			}
			require.Equal(t, int64(2*MapFrom), a.Retained())
			c := a.Allocate(tt.size)
			require.Equal(t, addr(b), addr(c), "the kept mapping is reused")
			require.Zero(t, c[0])
			require.Zero(t, c[tt.size-1])
			a.Free(c)
		})
	}
}

func TestSmallBuffersStayOnTheHeap(t *testing.T) {
	a := New(1 << 20)
	b := a.Allocate(MapFrom / 2)
	require.Zero(t, a.Mapped())
	a.Free(b)
}

// A kept buffer larger than ClearMax goes only to AllocateUninit: for
// Allocate it would have to be zeroed in one call, so Allocate maps a
// fresh one.
func TestLargeKeptBuffersGoToUninit(t *testing.T) {
	a := New(1 << 30)
	for _, size := range []int{ClearMax, 2 * ClearMax} {
		b := a.AllocateUninit(size)
		b[size-1] = 1
		a.Free(b)
		z := a.Allocate(size)
		require.Zero(t, z[size-1])
		if size <= ClearMax {
			require.Equal(t, addr(b), addr(z), "zeroed and reused")
			a.Free(z)
			continue
		}
		require.NotEqual(t, addr(b), addr(z), "a fresh mapping")
		u := a.AllocateUninit(size)
		require.Equal(t, addr(b), addr(u), "the kept one")
		a.Free(z)
		a.Free(u)
	}
}
