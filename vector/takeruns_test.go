package vector

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunsOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		sel  []int32
		want []Run
	}{
		{"empty", nil, nil},
		{"one run", []int32{3, 4, 5, 6, 7, 8, 9, 10}, []Run{{3, 11}}},
		{"two runs", []int32{0, 1, 2, 3, 5, 6, 7, 8}, []Run{{0, 4}, {5, 9}}},
		{"runs too short", []int32{0, 2, 4, 6, 8, 10, 12, 14}, nil},
		{"average exactly the minimum", []int32{0, 1, 2, 3, 10, 11, 12, 13}, []Run{{0, 4}, {10, 14}}},
		{"average below the minimum", []int32{0, 1, 2, 3, 10, 11, 12, 20}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, RunsOf(tc.sel, make([]Run, 3)))
		})
	}
}

// TakeRuns must produce what Take produces for the same rows, for every
// type, with and without NULLs, on sliced arrays too.
func TestTakeRunsMatchesTake(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, dt := range allTypes {
		for _, sh := range []struct {
			name     string
			rows     int
			nullFrac float64
			sliced   bool
			keep     float64
		}{
			{"keep most", 500, 0, false, 0.97},
			{"keep most, nulls", 500, 0.3, false, 0.97},
			{"keep all, sliced", 300, 0.2, true, 1},
			{"keep half, sliced", 300, 0, true, 0.5},
			{"keep none", 50, 0.5, false, 0},
		} {
			t.Run(dt.String()+"/"+sh.name, func(t *testing.T) {
				mem := newDirtyMem(t)
				var arr arrow.Array
				if sh.sliced {
					arr = slicedRandArray(mem, r, dt, sh.rows, sh.nullFrac)
				} else {
					arr = randArray(mem, r, dt, sh.rows, sh.nullFrac)
				}
				defer arr.Release()
				var sel []int32
				for i := range sh.rows {
					if r.Float64() < sh.keep {
						sel = append(sel, int32(i))
					}
				}
				runs := RunsOf(sel, nil)
				if sh.keep < 0.9 {
					runs = nil
					for _, i := range sel { // one run per row: the worst case
						runs = append(runs, Run{i, i + 1})
					}
				}
				got := TakeRuns(mem, arr, runs, len(sel))
				defer got.Release()
				requireWellFormed(t, dt, got)
				want := Take(mem, arr, sel)
				defer want.Release()
				require.Equal(t, valuesOf(want), valuesOf(got))
			})
		}
	}
}

func TestTakeRecordRuns(t *testing.T) {
	mem := checkedMem(t)
	r := rand.New(rand.NewPCG(5, 6))
	a := randArray(mem, r, arrow.PrimitiveTypes.Int64, 40, 0.1)
	b := randArray(mem, r, arrow.BinaryTypes.String, 40, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: a.DataType(), Nullable: true}, {Name: "b", Type: b.DataType()}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{a, b}, 40)
	a.Release()
	b.Release()
	defer rec.Release()
	runs := []Run{{2, 10}, {12, 30}, {35, 40}}
	got := TakeRecordRuns(mem, rec, runs, 31)
	defer got.Release()
	require.EqualValues(t, 31, got.NumRows())
	k := 0
	for _, run := range runs {
		for i := run.Start; i < run.End; i++ {
			for c := range 2 {
				require.Equal(t, valueAt(rec.Column(c), int(i)), valueAt(got.Column(c), k))
			}
			k++
		}
	}
}
