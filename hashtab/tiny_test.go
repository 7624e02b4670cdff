package hashtab

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/require"
)

// The tiny index gives the groups the pair layout would, for every mix of
// flag columns, NULLs and slices, and steps aside at the first value that
// does not code without losing a group.
func TestTinyIndex(t *testing.T) {
	flags := []any{"", "A", "R", "N", "\x7f", "\x00"}
	bools := []any{true, false}
	cases := []struct {
		name     string
		keyTypes []types.T
		nulls    bool
		breaker  []any // a first column's value that does not code, or nil
	}{
		{"strings", []types.T{types.StringType, types.StringType}, false, []any{"\x01\x02"}}, // a low first byte: only the length tells
		{"strings with NULLs", []types.T{types.StringType, types.StringType}, true, []any{"\x80"}},
		{"string and bool", []types.T{types.StringType, types.BoolType}, true, []any{"abcd"}},
		{"bools", []types.T{types.BoolType, types.BoolType}, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := checkedMem(t)
			r := rand.New(rand.NewPCG(1, 2))
			values := func(kt types.T, n int) []any {
				pool := flags
				if kt.Kind == types.Bool {
					pool = bools
				}
				out := make([]any, n)
				for i := range out {
					out[i] = pool[r.IntN(len(pool))]
					if c.nulls && r.IntN(5) == 0 {
						out[i] = nil
					}
				}
				return out
			}
			batch := func(n int, first []any) []arrow.Array {
				cols := make([]arrow.Array, 2)
				for k, kt := range c.keyTypes {
					vals := values(kt, n+2)
					if k == 0 && first != nil {
						copy(vals[1:], first)
					}
					whole := column(mem, kt, vals)
					cols[k] = array.NewSlice(whole, 1, int64(n+1)) // offsets that do not start at 0
					whole.Release()
				}
				return cols
			}
			tab := New(c.keyTypes)
			require.NotNil(t, tab.tiny)
			ref := newReference()
			var seen [][]arrow.Array
			defer func() {
				for _, cols := range seen {
					release(cols)
				}
			}()
			// Every key inserted so far is found, and the keys read back.
			checkAll := func() {
				for _, cols := range seen {
					find(t, tab, ref, cols)
				}
				requireKeyArrays(t, mem, tab, ref, c.keyTypes, 0, tab.Len())
			}
			for range 5 {
				cols := batch(300, nil)
				seen = append(seen, cols)
				insert(t, tab, ref, &budget{}, cols)
				require.NotNil(t, tab.tiny, "every value codes")
			}
			checkAll()
			if c.breaker == nil {
				return
			}
			cols := batch(300, c.breaker)
			seen = append(seen, cols)
			insert(t, tab, ref, &budget{}, cols)
			require.Nil(t, tab.tiny, "the index steps aside")
			checkAll()
		})
	}
}

// Columns of only empty strings and NULLs have no data buffer at all.
func TestTinyIndexEmptyStrings(t *testing.T) {
	mem := checkedMem(t)
	keyTypes := []types.T{types.StringType, types.StringType}
	cols := []arrow.Array{
		column(mem, types.StringType, []any{"", "", "", ""}),
		column(mem, types.StringType, []any{"", nil, "", nil}),
	}
	defer release(cols)
	tab := New(keyTypes)
	ref := newReference()
	insert(t, tab, ref, &budget{}, cols)
	require.NotNil(t, tab.tiny)
	require.Equal(t, 2, tab.Len())
	requireKeyArrays(t, mem, tab, ref, keyTypes, 0, tab.Len())
}
