package operators

import (
	"context"
	"github.com/minisql/minisql/paged"
	"math"
	"math/rand"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// newTestPartitioned is SELECT x, count(*), sum(x) ... GROUP BY x over the
// inputs (one per worker), as the planner builds it: a partial aggregate per
// input and a final one per partition.
func newTestPartitioned(t testing.TB, ins []Operator) Operator {
	specs := []AggSpec{
		{Kind: AggCountStar, Arg: -1, In: types.NullType, Out: types.Int64Type},
		{Kind: AggSum, Arg: 0, In: types.Int64Type, Out: types.Int64Type},
	}
	partial, states, final, ok := SplitAggregates(1, specs)
	require.True(t, ok)
	fields := []arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}
	for i, st := range states {
		fields = append(fields, arrow.Field{Name: "state" + string(rune('0'+i)), Type: st.Arrow(), Nullable: true})
	}
	partialSchema := arrow.NewSchema(fields, nil)
	finalSchema := arrow.NewSchema([]arrow.Field{
		{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	partials := make([]Operator, len(ins))
	for i, in := range ins {
		p, err := NewPartialAggregate(in, []int{0}, partial, partialSchema, 1024)
		require.NoError(t, err)
		partials[i] = p
	}
	newFinal := func(in Operator) (Operator, error) {
		return NewHashAggregate(in, []int{0}, final, finalSchema, 1024)
	}
	return NewPartitionedAggregate(partials, []int{0}, newFinal, finalSchema)
}

// TestPartitionedAggregateMatchesSerial compares the partitioned aggregate
// with one serial HashAggregate over the same rows: many groups, NULL keys,
// and one, two or four workers.
func TestPartitionedAggregateMatchesSerial(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		for _, keys := range []int{1, 7, 5000} {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			r := rand.New(rand.NewSource(int64(workers*100 + keys)))
			all := randomBatches(mem, r, 20000, keys, true)
			// Project (k, v) to the one-column genSchema shape: keep k.
			var ks []arrow.Record
			for _, rec := range all {
				ks = append(ks, array.NewRecord(genSchema, rec.Columns()[:1], rec.NumRows()))
				rec.Release()
			}
			ins := make([]Operator, workers)
			for w := range ins {
				var share []arrow.Record
				for i := w; i < len(ks); i += workers {
					share = append(share, ks[i])
				}
				ins[w] = NewRecords(genSchema, share, "share")
			}
			got := rowsOf(t, NewTask(context.Background(), mem), newTestPartitioned(t, ins))
			serial := newTestPartitioned(t, []Operator{NewRecords(genSchema, ks, "all")})
			want := rowsOf(t, NewTask(context.Background(), mem), serial)
			for _, rec := range ks {
				rec.Release()
			}
			require.True(t, slices.Equal(want, got), "workers=%d keys=%d: %d rows, want %d", workers, keys, len(got), len(want))
			seen := map[string]bool{}
			for _, row := range got {
				k := strings.SplitN(row, ",", 2)[0]
				require.False(t, seen[k], "key %s in two partitions", k)
				seen[k] = true
			}
			mem.AssertSize(t, 0)
		}
	}
}

// TestPartitionerKeepsEqualKeysTogether: keys GROUP BY treats as equal land
// in the same partition in every worker (each has its own partitioner).
func TestPartitionerKeepsEqualKeysTogether(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	fb, sb := b.Field(0).(*array.Float64Builder), b.Field(1).(*array.StringBuilder)
	// Rows 0/1, 2/3 and 4/5 are equal keys with different bits.
	fb.AppendValues([]float64{0, math.Copysign(0, -1), math.NaN(), -math.NaN(), 1.5, 1.5}, nil)
	sb.AppendValues([]string{"a", "a", "bb", "bb", "", ""}, []bool{true, true, true, true, false, false})
	rec := b.NewRecord()
	defer rec.Release()
	seed := NewPartitionedAggregate([]Operator{finite(0)}, nil, nil, nil).seed
	for _, n := range []int{2, 3, 8} {
		p1, p2 := partitioner{seed: seed}, partitioner{seed: seed}
		part := func(p *partitioner) []int {
			at := make([]int, rec.NumRows())
			for q, rows := range p.split(rec, []int{0, 1}, n) {
				for _, i := range rows {
					at[i] = q
				}
			}
			return at
		}
		a, c := part(&p1), part(&p2)
		require.Equal(t, a, c, "two workers agree")
		for i := 0; i < 6; i += 2 {
			require.Equal(t, a[i], a[i+1], "rows %d and %d are the same key (n=%d)", i, i+1, n)
		}
	}
}

// The partials' memory is counted as given back once they are closed,
// before the final phase (collectFreed decides on it), when it is garbage:
// here the pool keeps one page, and the two workers of 50,000 groups each
// held several (their state's first pages are leased full pages). The
// inputs hold their ends until both are there, so that both partials hold
// all their state at once and the peak counts both: when one worker
// finished before the other had grown, the peak held one and a half
// partials while freed counted two (one run in eight failed).
func TestPartitionedAggregateCountsFreedPartials(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tracker := NewMemTracker(0)
	task := NewTask(context.Background(), mem, WithMemTracker(tracker), WithPagePool(paged.NewPool(1)))
	var ends sync.WaitGroup
	ends.Add(2)
	op := newTestPartitioned(t, []Operator{&endTogether{finite(100_000), &ends, false}, &endTogether{finite(100_000), &ends, false}})
	rows := rowsOf(t, task, op)
	require.Len(t, rows, 100_000)
	freed := op.(*PartitionedAggregate).freed.Load()
	require.Greater(t, freed, int64(1<<20))
	require.LessOrEqual(t, tracker.Used(), tracker.Peak()-freed, "what the partials gave back is not held at the end")
}

// endTogether holds its input's end of stream until every input sharing
// ends has reached its own.
type endTogether struct {
	Operator
	ends *sync.WaitGroup
	done bool
}

func (e *endTogether) Next(t *Task) (arrow.Record, error) {
	rec, err := e.Operator.Next(t)
	if rec == nil && err == nil && !e.done {
		e.done = true
		e.ends.Done()
		e.ends.Wait()
	}
	return rec, err
}

// collectFreed collects only when the partials gave back enough, and
// never once the query is cancelled: the collection blocks for
// milliseconds without looking at the context.
func TestPartitionedAggregateCollectsFreedUnlessCancelled(t *testing.T) {
	tests := []struct {
		name      string
		freed     int64
		cancelled bool
		want      int
	}{
		{"much freed", collectAfter + 1, false, 1},
		{"little freed", collectAfter, false, 0},
		{"much freed, cancelled", collectAfter + 1, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancelled {
				cancel()
			}
			a := NewPartitionedAggregate(nil, nil, nil, nil)
			a.ctx = ctx
			calls := 0
			a.collect = func() { calls++ }
			a.freed.Store(tt.freed)
			a.collectFreed()
			require.Equal(t, tt.want, calls)
		})
	}
}

// The final aggregates grow their state in the pages the partials gave
// back: with 600,000 groups in each of two workers, the partials fill
// full pages, and the finals take theirs from the pool instead of making
// new ones. Every page is back in the pool at the end.
func TestPartitionedAggregateReusesPartialPages(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	task := NewTask(context.Background(), mem, WithMemTracker(NewMemTracker(0)))
	op := newTestPartitioned(t, []Operator{finite(600_000), finite(600_000)})
	rows := rowsOf(t, task, op)
	require.Len(t, rows, 600_000)
	taken, made, free := op.(*PartitionedAggregate).pool.Stats()
	require.Positive(t, made, "the partials filled full pages")
	require.Greater(t, taken, made, "the finals reused pages")
	require.Equal(t, made, free, "every page went back to the pool")
}
