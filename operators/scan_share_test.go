package operators

import (
	"context"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/vector"
)

// unitsSource has units of the given row counts; unit u's rows hold
// u*1_000_000 + row, so every row is distinct.
type unitsSource struct {
	sizes  []int
	closed int // readers closed
	opened int
}

func (s *unitsSource) Schema() *arrow.Schema { return genSchema }
func (s *unitsSource) Units() int            { return len(s.sizes) }
func (s *unitsSource) Describe() string      { return "units" }
func (s *unitsSource) Close() error          { return nil }
func (s *unitsSource) OpenUnit(t *Task, u int) (UnitReader, error) {
	s.opened++
	return &unitsReader{src: s, u: u}, nil
}

type unitsReader struct {
	src  *unitsSource
	u    int
	done int
}

func (r *unitsReader) Next(t *Task) (arrow.Record, error) {
	n := min(100, r.src.sizes[r.u]-r.done)
	if n == 0 {
		return nil, nil
	}
	buf, vals := vector.AllocValues[int64](t.Alloc(), n)
	for i := range vals {
		vals[i] = int64(r.u*1_000_000 + r.done + i)
	}
	r.done += n
	return vector.NewRecord(genSchema, []arrow.Array{vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, buf)}, n), nil
}

func (r *unitsReader) Close() error { r.src.closed++; return nil }

// TestScansShareTheLastUnits: with one big unit and one small one, the scan
// that finishes the small unit joins the big one; every row is read once,
// and every reader is closed once.
func TestScansShareTheLastUnits(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	src := &unitsSource{sizes: []int{10_000, 300}}
	m := &Morsels{}
	a, b := NewSharedScan(src, m), NewSharedScan(src, m)
	task := NewTask(context.Background(), mem)
	seen := map[int64]bool{}
	count := func(s *Scan) (int, bool) {
		rec, err := s.Next(task)
		require.NoError(t, err)
		if rec == nil {
			return 0, false
		}
		defer rec.Release()
		for _, v := range rec.Column(0).(interface{ Int64Values() []int64 }).Int64Values() {
			require.False(t, seen[v], "row %d read twice", v)
			seen[v] = true
		}
		return int(rec.NumRows()), true
	}
	// Interleave the two scans as two workers would.
	rows := [2]int{}
	for more := [2]bool{true, true}; more[0] || more[1]; {
		for i, s := range []*Scan{a, b} {
			if more[i] {
				var n int
				n, more[i] = count(s)
				rows[i] += n
			}
		}
	}
	require.Len(t, seen, 10_300)
	require.Greater(t, rows[1], 3_000, "the scan with the small unit helped with the big one: %v", rows)
	require.NoError(t, a.Close())
	require.NoError(t, b.Close())
	require.Equal(t, 2, src.opened)
	require.Equal(t, 2, src.closed)
}

// TestSharedUnitClosedByLastScan: scans that stop half way (a LIMIT, a
// cancel) leave the unit; the last to leave closes its reader.
func TestSharedUnitClosedByLastScan(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	src := &unitsSource{sizes: []int{10_000}}
	m := &Morsels{}
	a, b := NewSharedScan(src, m), NewSharedScan(src, m)
	task := NewTask(context.Background(), mem)
	for _, s := range []*Scan{a, b} {
		rec, err := s.Next(task)
		require.NoError(t, err)
		rec.Release()
	}
	require.NoError(t, a.Close())
	require.Equal(t, 0, src.closed, "b still reads the unit")
	require.NoError(t, b.Close())
	require.Equal(t, 1, src.closed)
}
