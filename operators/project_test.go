package operators

import (
	"context"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// wideEval stands for a kernel like repeat(): each row's result is a
// string of width bytes, and it asks for a split (expr.Splitter) before
// allocating more than the environment allows.
type wideEval struct {
	width    int
	wideFrom int64 // rows from this key on are twice as wide (0: none)
	seen     []int // rows of every batch it produced
}

func (w *wideEval) widthAt(b arrow.Record) int {
	if w.wideFrom > 0 && b.NumRows() > 0 && b.Column(0).(*array.Int64).Value(0) >= w.wideFrom {
		return 2 * w.width
	}
	return w.width
}

func (w *wideEval) Type() types.T { return types.StringType }

func (w *wideEval) Eval(env expr.Env, b arrow.Record) (expr.Vec, error) {
	n, width := int(b.NumRows()), w.widthAt(b)
	if s, ok := env.(expr.Splitter); ok && n > 1 && n*width > s.SplitAbove() {
		return expr.Vec{}, &expr.SplitError{Bytes: n * width}
	}
	w.seen = append(w.seen, n*width)
	bld := array.NewStringBuilder(env.Alloc())
	defer bld.Release()
	keys := b.Column(0).(*array.Int64)
	s := make([]byte, width)
	for i := range n {
		s[0] = byte(keys.Value(i)) // a row's result depends on its key
		bld.Append(string(s))
	}
	return expr.Vec{Arr: bld.NewArray()}, nil
}

// TestProjectSplitsWideResults: a batch whose result would be over
// projectBytes is evaluated in slices that each stay under it, and every
// row comes out once, in order; when later rows are wider, a slice is
// split again.
func TestProjectSplitsWideResults(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	task := NewTask(context.Background(), mem)
	const width = 4000 // 8192 rows: 32 MB
	w := &wideEval{width: width, wideFrom: 8192 + 3000}
	out := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	src := &genOp{rows: 3 * 8192, batch: 8192}
	keep, err := expr.Compile(col(0))
	require.NoError(t, err)
	p := NewProject(src, []expr.Evaluator{keep, w}, out, []string{"k", "s"})
	require.NoError(t, p.Open(task))
	next := int64(0)
	for {
		rec, err := p.Next(task)
		require.NoError(t, err)
		if rec == nil {
			break
		}
		keys := rec.Column(0).(*array.Int64)
		strs := rec.Column(1).(*array.String)
		for i := range int(rec.NumRows()) {
			require.Equal(t, next, keys.Value(i))
			require.Equal(t, byte(next), vector.StringAt(strs, i)[0])
			next++
		}
		rec.Release()
	}
	require.NoError(t, p.Close())
	assert.EqualValues(t, 3*8192, next)
	for _, bytes := range w.seen {
		assert.LessOrEqual(t, bytes, projectBytes, "no result over the limit was built")
	}
}

// wideBool stands for a predicate over a wide intermediate result (repeat()
// inside LIKE): true for keys divisible by 3, asking for a split like
// wideEval.
type wideBool struct{ wideEval }

func (w *wideBool) Type() types.T { return types.BoolType }

func (w *wideBool) Eval(env expr.Env, b arrow.Record) (expr.Vec, error) {
	n := int(b.NumRows())
	if s, ok := env.(expr.Splitter); ok && n > 1 && n*w.width > s.SplitAbove() {
		return expr.Vec{}, &expr.SplitError{Bytes: n * w.width}
	}
	w.seen = append(w.seen, n*w.width)
	bld := array.NewBooleanBuilder(env.Alloc())
	defer bld.Release()
	keys := b.Column(0).(*array.Int64)
	for i := range n {
		bld.Append(keys.Value(i)%3 == 0)
	}
	return expr.Vec{Arr: bld.NewArray()}, nil
}

// TestFilterSplitsWidePredicates: a filter stage whose predicate would
// build an intermediate over projectBytes is evaluated in slices, and
// keeps exactly the rows it should.
func TestFilterSplitsWidePredicates(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	task := NewTask(context.Background(), mem)
	w := &wideBool{wideEval{width: 4000}}
	f := NewFilter(&genOp{rows: 2*8192 + 100, batch: 8192}, w, "wide")
	require.NoError(t, f.Open(task))
	want := int64(0)
	for {
		rec, err := f.Next(task)
		require.NoError(t, err)
		if rec == nil {
			break
		}
		keys := rec.Column(0).(*array.Int64)
		for i := range int(rec.NumRows()) {
			require.Equal(t, want, keys.Value(i))
			want += 3
		}
		rec.Release()
	}
	require.NoError(t, f.Close())
	const rows = 2*8192 + 100
	assert.EqualValues(t, (rows+2)/3*3, want, "every third key, up to the last")
	for _, bytes := range w.seen {
		assert.LessOrEqual(t, bytes, projectBytes)
	}
}
