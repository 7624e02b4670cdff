package vector

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunsOf(t *testing.T) {
	// seq is the rows [from, from+n).
	seq := func(from, n int) []int32 {
		var s []int32
		for i := range n {
			s = append(s, int32(from+i))
		}
		return s
	}
	const m = MinRunLength
	for _, tc := range []struct {
		name string
		sel  []int32
		want []Run
	}{
		{"empty", nil, nil},
		{"one run", seq(3, 2*m), []Run{{3, 3 + 2*m}}},
		{"two runs", append(seq(0, m), seq(m+1, m)...), []Run{{0, m}, {m + 1, 2*m + 1}}},
		{"runs too short", []int32{0, 2, 4, 6, 8, 10, 12, 14}, nil},
		{"average exactly the minimum", append(seq(0, m), seq(3*m, m)...), []Run{{0, m}, {3 * m, 4 * m}}},
		{"average below the minimum", append(append(seq(0, m), seq(3*m, m-1)...), 5*m), nil},
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
				if sh.keep >= 0.9 && len(sel) > 0 {
					require.NotNil(t, runs, "long runs")
				}
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

// BenchmarkTakeRuns compares copying kept rows run by run with gathering
// them by index, for runs of a given average length: where the two cross
// sets MinRunLength.
func BenchmarkTakeRuns(b *testing.B) {
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(11, 12))
	const rows = 8192
	for _, dt := range []arrow.DataType{&arrow.Decimal128Type{Precision: 15, Scale: 2}, arrow.FixedWidthTypes.Date32, arrow.BinaryTypes.String} {
		arr := randArray(mem, r, dt, rows, 0)
		for _, runLen := range []int{2, 4, 8, 16, 32} {
			// Runs of runLen rows with gaps of runLen rows.
			var sel []int32
			for start := 0; start < rows; start += 2 * runLen {
				for i := start; i < min(start+runLen, rows); i++ {
					sel = append(sel, int32(i))
				}
			}
			var runs []Run
			for start := 0; start < rows; start += 2 * runLen {
				runs = append(runs, Run{int32(start), int32(min(start+runLen, rows))})
			}
			b.Run(fmt.Sprintf("%s/run=%d/runs", dt, runLen), func(b *testing.B) {
				for b.Loop() {
					TakeRuns(mem, arr, runs, len(sel)).Release()
				}
			})
			b.Run(fmt.Sprintf("%s/run=%d/index", dt, runLen), func(b *testing.B) {
				for b.Loop() {
					Take(mem, arr, sel).Release()
				}
			})
		}
		arr.Release()
	}
}
