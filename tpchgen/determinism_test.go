package tpchgen

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeterministic(t *testing.T) {
	for _, name := range Tables() {
		t.Run(name, func(t *testing.T) {
			a := collect(t, name, Options{SF: 0.01}, 0, 1)
			b := collect(t, name, Options{SF: 0.01, BatchSize: 999}, 0, 1)
			b.batches = a.batches
			require.Equal(t, a, b, "same SF and seed, different batch size")
		})
	}
}

func TestSeedChangesData(t *testing.T) {
	a := collect(t, "lineitem", Options{SF: 0.01}, 0, 1)
	b := collect(t, "lineitem", Options{SF: 0.01, Seed: 42}, 0, 1)
	c := collect(t, "lineitem", Options{SF: 0.01, Seed: defaultSeed}, 0, 1)
	assert.Equal(t, a.rows, b.rows, "the number of lines depends on SF only")
	assert.NotEqual(t, a.ints["l_partkey"], b.ints["l_partkey"])
	assert.NotEqual(t, a.strs["l_comment"], b.strs["l_comment"])
	assert.Equal(t, a, c, "seed 0 is the default seed")
}

// TestPartsConcatenate checks that parts 0..N-1 concatenated are the
// single-part table, row for row.
func TestPartsConcatenate(t *testing.T) {
	for _, name := range Tables() {
		t.Run(name, func(t *testing.T) {
			opts := Options{SF: 0.01, BatchSize: 1000}
			whole := collect(t, name, opts, 0, 1)
			for _, parts := range []int{2, 7} {
				cat := &tableData{ints: map[string][]int64{}, dates: map[string][]int32{}, strs: map[string][]string{}}
				for p := range parts {
					td := collect(t, name, opts, p, parts)
					cat.rows += td.rows
					for k, v := range td.ints {
						cat.ints[k] = append(cat.ints[k], v...)
					}
					for k, v := range td.dates {
						cat.dates[k] = append(cat.dates[k], v...)
					}
					for k, v := range td.strs {
						cat.strs[k] = append(cat.strs[k], v...)
					}
				}
				cat.batches = whole.batches
				require.Equal(t, whole, cat, "%d parts", parts)
			}
		})
	}
}

// dirtyAllocator hands out memory full of garbage, as a recycling allocator
// may: the generators must not rely on zeroed buffers.
type dirtyAllocator struct{ memory.Allocator }

func (d dirtyAllocator) Allocate(size int) []byte {
	b := d.Allocator.Allocate(size)
	for i := range b {
		b[i] = 0xa5
	}
	return b
}

func TestNoZeroedMemoryAssumed(t *testing.T) {
	for _, name := range Tables() {
		clean := collect(t, name, Options{SF: 0.01}, 0, 1)
		dirty := collect(t, name, Options{SF: 0.01, Mem: dirtyAllocator{memory.NewGoAllocator()}}, 0, 1)
		require.Equal(t, clean, dirty, name)
	}
}
