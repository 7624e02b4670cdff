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

// FindOrInsertSel reads the selected rows in place and gives them the
// groups FindOrInsert gives those rows in that order, with the keys read
// back: for flag strings with empty ones and slices that do not start at
// 0, for selections sparse, dense and out of order; and it reports false
// at a value that does not code, leaving the caller to copy the rows.
func TestTinyIndexSelectedRows(t *testing.T) {
	mem := checkedMem(t)
	keyTypes := []types.T{types.StringType, types.StringType}
	r := rand.New(rand.NewPCG(3, 4))
	flags := []any{"", "A", "R", "N", "F", "O", "\x7f"}
	column2 := func(n int, breakAt int) []arrow.Array {
		cols := make([]arrow.Array, 2)
		for k := range cols {
			vals := make([]any, n+3)
			for i := range vals {
				vals[i] = flags[r.IntN(len(flags))]
			}
			if k == 1 && breakAt >= 0 {
				vals[breakAt+2] = "NO"
			}
			whole := column(mem, types.StringType, vals)
			cols[k] = array.NewSlice(whole, 2, int64(n+2))
			whole.Release()
		}
		return cols
	}
	tab := New(keyTypes)
	ref := map[string]int32{}
	for _, tc := range []struct {
		name string
		sel  func(n int) []int32
	}{
		{"dense", func(n int) []int32 {
			var s []int32
			for i := range n {
				if r.IntN(50) > 0 {
					s = append(s, int32(i))
				}
			}
			return s
		}},
		{"sparse", func(n int) []int32 {
			var s []int32
			for i := range n {
				if r.IntN(20) == 0 {
					s = append(s, int32(i))
				}
			}
			return s
		}},
		{"out of order", func(n int) []int32 { return []int32{int32(n - 1), 0, 5, 3, 3, int32(n / 2)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cols := column2(400, -1)
			defer release(cols)
			sel := tc.sel(400)
			out := make([]int32, len(sel))
			done, err := tab.FindOrInsertSel(&budget{}, cols, sel, out)
			require.NoError(t, err)
			require.True(t, done)
			for j, row := range sel {
				k := groupKey(cols, int(row))
				g, ok := ref[k]
				if !ok {
					g = int32(len(ref))
					ref[k] = g
				}
				require.Equal(t, g, out[j], "row %d", row)
			}
			require.Equal(t, len(ref), tab.Len())
			keys := tab.KeyArrays(mem, 0, tab.Len())
			defer release(keys)
			for k, g := range ref {
				require.Equal(t, k, groupKey(keys, int(g)), "the key of group %d", g)
			}
		})
	}
	cols := column2(400, 200)
	defer release(cols)
	sel := []int32{10, 100, 200, 300}
	done, err := tab.FindOrInsertSel(&budget{}, cols, sel, make([]int32, len(sel)))
	require.NoError(t, err)
	require.False(t, done, "a value of two bytes does not code")
}

// tinyFlagPair codes one-byte values in its fast pass only when every
// value is one byte: an empty string and a two-byte one make the same
// total length, and must still be told apart.
func TestTinyFlagPairLengths(t *testing.T) {
	mem := checkedMem(t)
	for _, tc := range []struct {
		name string
		a    []any
		want bool
	}{
		{"one byte each", []any{"A", "R", "N", "\x7f"}, true},
		{"an empty string", []any{"A", "", "N", "F"}, true},
		{"empty and two bytes, total n", []any{"A", "", "NO", "F"}, false},
		{"non-ASCII", []any{"A", "\x80", "N", "F"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := column(mem, types.StringType, tc.a)
			b := column(mem, types.StringType, []any{"F", "O", "F", "O"})
			defer release([]arrow.Array{a, b})
			codes := make([]uint32, 4)
			require.Equal(t, tc.want, tinyFlagPair(codes, a, b))
			if tc.want {
				for i, v := range tc.a {
					s := v.(string)
					k := uint32(0)
					if s != "" {
						k = 1 + uint32(s[0])
					}
					require.Equal(t, k*tinyDomain+1+uint32(b.(*array.String).Value(i)[0]), codes[i], "row %d", i)
				}
			}
		})
	}
}
