package tpchgen

import (
	"context"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
)

// tableData is a generated table copied into Go slices, by column name:
// BIGINT and DECIMAL (in hundredths) in ints, DATE in dates, VARCHAR in strs.
type tableData struct {
	rows    int
	batches int
	ints    map[string][]int64
	dates   map[string][]int32
	strs    map[string][]string
}

// collect generates part of parts of a table with a checked allocator and
// copies it out, asserting that every buffer is released.
func collect(t testing.TB, name string, opts Options, part, parts int) *tableData {
	t.Helper()
	parent := opts.Mem
	if parent == nil {
		parent = memory.NewGoAllocator()
	}
	mem := memory.NewCheckedAllocator(parent)
	defer mem.AssertSize(t, 0)
	opts.Mem = mem
	g, err := NewGenerator(name, opts, part, parts)
	require.NoError(t, err)
	defer g.Close()
	td := &tableData{ints: map[string][]int64{}, dates: map[string][]int32{}, strs: map[string][]string{}}
	for {
		rec, err := g.Next(context.Background())
		require.NoError(t, err)
		if rec == nil {
			break
		}
		td.add(t, rec)
		rec.Release()
	}
	return td
}

func (td *tableData) add(t testing.TB, rec arrow.Record) {
	td.rows += int(rec.NumRows())
	td.batches++
	for i, f := range rec.Schema().Fields() {
		require.Zero(t, rec.Column(i).NullN(), f.Name)
		switch col := rec.Column(i).(type) {
		case *array.Int64:
			td.ints[f.Name] = append(td.ints[f.Name], col.Int64Values()...)
		case *array.Decimal128:
			for j := 0; j < col.Len(); j++ {
				v := col.Value(j)
				require.True(t, v.FitsInPrecision(15), f.Name)
				td.ints[f.Name] = append(td.ints[f.Name], int64(v.LowBits()))
			}
		case *array.Date32:
			for _, d := range col.Date32Values() {
				td.dates[f.Name] = append(td.dates[f.Name], int32(d))
			}
		case *array.String:
			for j := 0; j < col.Len(); j++ {
				td.strs[f.Name] = append(td.strs[f.Name], col.Value(j))
			}
		default:
			t.Fatalf("column %s has unexpected type %s", f.Name, col.DataType())
		}
	}
}

// pair is a composite key for set lookups.
type pair struct{ a, b int64 }
