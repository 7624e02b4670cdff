package binder

import (
	"testing"

	"github.com/minisql/minisql/sqlerr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExpandGrouping: ROLLUP, CUBE, GROUPING SETS and their cross
// products expand into the sets PostgreSQL and DuckDB group by.
func TestExpandGrouping(t *testing.T) {
	k := func(keys ...int) groupingElem { return groupingElem{kind: elemKeys, keys: keys} }
	rollup := func(parts ...groupingElem) groupingElem { return groupingElem{kind: elemRollup, parts: parts} }
	cube := func(parts ...groupingElem) groupingElem { return groupingElem{kind: elemCube, parts: parts} }
	sets := func(parts ...groupingElem) groupingElem { return groupingElem{kind: elemSets, parts: parts} }
	for _, tc := range []struct {
		name string
		list []groupingElem
		want [][]int
	}{
		{"plain keys", []groupingElem{k(0), k(1)}, [][]int{{0, 1}}},
		{"rollup", []groupingElem{rollup(k(0), k(1))}, [][]int{{0, 1}, {0}, {}}},
		{"rollup of a key list", []groupingElem{rollup(k(0), k(1, 2))}, [][]int{{0, 1, 2}, {0}, {}}},
		{"cube", []groupingElem{cube(k(0), k(1))}, [][]int{{0, 1}, {0}, {1}, {}}},
		{"grouping sets", []groupingElem{sets(k(0, 1), k(0), k())}, [][]int{{0, 1}, {0}, {}}},
		{"repeated sets stay", []groupingElem{sets(k(0), k(0))}, [][]int{{0}, {0}}},
		{"key then rollup", []groupingElem{k(0), rollup(k(1), k(2))}, [][]int{{0, 1, 2}, {0, 1}, {0}}},
		{"rollup times rollup", []groupingElem{rollup(k(0)), rollup(k(1))}, [][]int{{0, 1}, {0}, {1}, {}}},
		{"a key twice in a set", []groupingElem{k(0), rollup(k(0), k(1))}, [][]int{{0, 1}, {0}, {0}}},
		{"nested in grouping sets", []groupingElem{sets(rollup(k(0)), cube(k(1)), sets(k(2)))},
			[][]int{{0}, {}, {1}, {}, {2}}},
		{"empty set only", []groupingElem{k()}, [][]int{{}}},
		{"empty rollup", []groupingElem{rollup()}, [][]int{{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := expandGrouping(tc.list, MaxGroupingSets)
			require.NoError(t, err)
			for i := range got {
				if got[i] == nil {
					got[i] = []int{}
				}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestExpandGroupingLimit(t *testing.T) {
	k := func(keys ...int) groupingElem { return groupingElem{kind: elemKeys, keys: keys} }
	var parts []groupingElem
	for i := range 11 {
		parts = append(parts, k(i))
	}
	for _, tc := range []struct {
		name string
		list []groupingElem
		ok   bool
	}{
		{"cube of 10", []groupingElem{{kind: elemCube, parts: parts[:10]}}, true},
		{"cube of 11", []groupingElem{{kind: elemCube, parts: parts}}, false},
		{"cube of 40", []groupingElem{{kind: elemCube, parts: append(append(append(parts, parts...), parts...), parts...)}}, false},
		{"product over the limit", []groupingElem{{kind: elemCube, parts: parts[:6]}, {kind: elemCube, parts: parts[6:11]}}, false},
		{"sets over the limit", []groupingElem{{kind: elemSets, parts: []groupingElem{
			{kind: elemCube, parts: parts[:10]}, {kind: elemRollup, parts: parts[:1]}}}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := expandGrouping(tc.list, MaxGroupingSets)
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, sqlerr.ErrNotSupported)
			assert.Contains(t, err.Error(), "more than 1024 grouping sets")
		})
	}
}
