package hashtab

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/require"
)

func checkedMem(t *testing.T) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

// budget counts what the table spends and fails once failAfter units
// have been spent (never when failAfter is 0).
type budget struct {
	spent, calls, failAfter int
	err                     error
}

func (b *budget) Spend(n int) error {
	b.spent += n
	b.calls++
	if b.failAfter > 0 && b.spent >= b.failAfter {
		return b.err
	}
	return nil
}

// column builds an array of type typ from Go values; nil is NULL.
func column(mem memory.Allocator, typ types.T, vals []any) arrow.Array {
	if typ.Kind == types.Null {
		return array.NewNull(len(vals))
	}
	b := array.NewBuilder(mem, typ.Arrow())
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		switch bb := b.(type) {
		case *array.Int64Builder:
			bb.Append(v.(int64))
		case *array.Float64Builder:
			bb.Append(v.(float64))
		case *array.Decimal128Builder:
			bb.Append(v.(decimal128.Num))
		case *array.StringBuilder:
			bb.Append(v.(string))
		case *array.Date32Builder:
			bb.Append(v.(arrow.Date32))
		case *array.BooleanBuilder:
			bb.Append(v.(bool))
		default:
			panic(fmt.Sprintf("column: %s", typ))
		}
	}
	return b.NewArray()
}

func release(arrs []arrow.Array) {
	for _, a := range arrs {
		a.Release()
	}
}

// valueAt returns row i of a as a comparable Go value, nil for NULL.
func valueAt(a arrow.Array, i int) any {
	if _, ok := a.(*array.Null); ok || a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Int64:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Decimal128:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.Date32:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	}
	panic(fmt.Sprintf("valueAt: %s", a.DataType()))
}

// groupKey is the reference identity of row i's key: SQL grouping
// semantics, where NULL equals NULL, -0 equals 0 and NaN equals NaN.
func groupKey(cols []arrow.Array, i int) string {
	var sb strings.Builder
	for _, c := range cols {
		v := valueAt(c, i)
		if f, ok := v.(float64); ok {
			switch {
			case math.IsNaN(f):
				v = "NaN"
			case f == 0:
				v = 0.0
			}
		}
		fmt.Fprintf(&sb, "%T:%v|", v, v)
	}
	return sb.String()
}

// reference assigns dense group numbers in order of first appearance.
type reference struct {
	groups map[string]int32
	rows   [][]any // the first row of each group, per column
}

func newReference() *reference { return &reference{groups: map[string]int32{}} }

func (r *reference) findOrInsert(cols []arrow.Array) []int32 {
	out := make([]int32, cols[0].Len())
	for i := range out {
		k := groupKey(cols, i)
		g, ok := r.groups[k]
		if !ok {
			g = int32(len(r.rows))
			r.groups[k] = g
			row := make([]any, len(cols))
			for c, col := range cols {
				row[c] = valueAt(col, i)
			}
			r.rows = append(r.rows, row)
		}
		out[i] = g
	}
	return out
}

// find is Find's definition: the group, or -1 when absent or when any
// key column is NULL.
func (r *reference) find(cols []arrow.Array) []int32 {
	out := make([]int32, cols[0].Len())
	for i := range out {
		out[i] = -1
		hasNull := false
		for _, c := range cols {
			hasNull = hasNull || valueAt(c, i) == nil
		}
		if g, ok := r.groups[groupKey(cols, i)]; ok && !hasNull {
			out[i] = g
		}
	}
	return out
}

// insert runs FindOrInsert on the table and the reference and requires
// identical group numbers and new-group counts.
func insert(t *testing.T, tab *Table, ref *reference, b Budget, cols []arrow.Array) {
	t.Helper()
	before := len(ref.rows)
	want := ref.findOrInsert(cols)
	out := make([]int32, cols[0].Len())
	n, err := tab.FindOrInsert(b, cols, out)
	require.NoError(t, err)
	require.Equal(t, want, out)
	require.Equal(t, len(ref.rows)-before, n, "new groups")
	require.Equal(t, len(ref.rows), tab.Len())
}

func find(t *testing.T, tab *Table, ref *reference, cols []arrow.Array) {
	t.Helper()
	out := make([]int32, cols[0].Len())
	tab.Find(&Probe{}, cols, out)
	require.Equal(t, ref.find(cols), out)
}

// requireKeyArrays checks that KeyArrays over [from, to) gives back the
// first row of every group, with the key types' Arrow types.
func requireKeyArrays(t *testing.T, mem memory.Allocator, tab *Table, ref *reference, keyTypes []types.T, from, to int) {
	t.Helper()
	arrs := tab.KeyArrays(mem, from, to)
	defer release(arrs)
	require.Len(t, arrs, len(keyTypes))
	for c, a := range arrs {
		require.True(t, arrow.TypeEqual(keyTypes[c].Arrow(), a.DataType()), "column %d is %s, want %s", c, a.DataType(), keyTypes[c])
		require.Equal(t, to-from, a.Len())
		nulls := 0
		for g := from; g < to; g++ {
			want := ref.rows[g][c]
			if keyTypes[c].Kind == types.Null {
				want = nil
			}
			got := valueAt(a, g-from)
			if got == nil {
				nulls++
			}
			if f, ok := want.(float64); ok && math.IsNaN(f) {
				require.True(t, math.IsNaN(got.(float64)), "group %d column %d", g, c)
				continue
			}
			require.Equal(t, want, got, "group %d column %d", g, c)
		}
		require.Equal(t, nulls, a.NullN(), "column %d null count", c)
	}
}
