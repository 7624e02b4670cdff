package osmem

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A pool gives back a mapping of the size asked for, the one put there,
// keeps no more than its limit, and unmaps what it kept at Close.
func TestPoolKeepsMappingsBySize(t *testing.T) {
	p := NewPool(3 << 20)
	a, b := Map(1<<20), Map(2<<20)
	require.NotNil(t, a)
	require.NotNil(t, b)
	a[0], b[0] = 7, 9
	require.True(t, p.Put(a))
	require.True(t, p.Put(b))
	c := Map(1 << 20)
	require.False(t, p.Put(c), "over the limit")
	require.NoError(t, Unmap(c))
	require.Equal(t, 3<<20, p.Kept())

	require.Nil(t, p.Get(4<<20), "no mapping of that size")
	got := p.Get(2 << 20)
	require.Equal(t, byte(9), got[0], "the same memory, not zeroed")
	require.Equal(t, 1<<20, p.Kept())
	require.True(t, p.Put(got))
	require.NoError(t, p.Close())
	require.Zero(t, p.Kept())
	require.Nil(t, p.Get(1<<20))
}
