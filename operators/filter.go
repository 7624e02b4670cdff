package operators

import (
	"errors"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/vector"
)

// Filter passes the rows for which a predicate is true (not false, not
// NULL). A batch it rejects entirely is not returned: Filter pulls the next
// one, spending budget for every batch it looks at, so a filter that
// rejects everything still notices a cancel.
//
// A conjunction is evaluated one stage (conjunct) at a time, each on the
// rows the stages before it kept, as DuckDB's filter narrows its selection
// vector: Q6's decimal comparisons then run on the 15% of lineitem its
// date range keeps instead of on every row. It also makes the order of
// evaluation a rule a user can rely on: a conjunct never sees a row an
// earlier one rejected.
type Filter struct {
	child  Operator
	stages []FilterStage
	desc   string
	sel    []int32 // rows kept so far
	cur    []int32 // rows the current stage keeps, among its input
	part   []int32 // scratch of stageInSlices
	runs   []vector.Run
	bits   []byte // scratch of stageInPlace
	out    []int  // the input columns passed on (nil: all)
	schema *arrow.Schema
}

// FilterStage is one conjunct of a filter's predicate.
type FilterStage struct {
	Pred expr.Evaluator
	// Cols are the input columns Pred reads, in the order its column
	// references number them, and Schema theirs; nil Cols: Pred reads
	// the whole input batch.
	Cols   []int
	Schema *arrow.Schema
}

var _ Operator = (*Filter)(nil)

// NewFilter returns a filter over child with one predicate over its whole
// batches.
func NewFilter(child Operator, pred expr.Evaluator, desc string) *Filter {
	return NewStagedFilter(child, []FilterStage{{Pred: pred}}, desc)
}

// NewStagedFilter returns a filter keeping the rows every stage accepts,
// evaluating each stage on the rows the ones before it kept.
func NewStagedFilter(child Operator, stages []FilterStage, desc string) *Filter {
	return &Filter{child: child, stages: stages, desc: desc, schema: child.Schema()}
}

// Project makes the filter pass on only the given input columns, so that
// the columns only its predicate reads are never copied.
func (f *Filter) Project(cols []int) *Filter {
	f.out = cols
	f.schema = pickFields(f.child.Schema(), cols)
	return f
}

func (f *Filter) Schema() *arrow.Schema { return f.schema }
func (f *Filter) Open(t *Task) error    { return f.child.Open(t) }

func (f *Filter) Next(t *Task) (arrow.Record, error) {
	for {
		rec, err := f.child.Next(t)
		if err != nil || rec == nil {
			return nil, err
		}
		out, err := f.apply(t, rec)
		rec.Release()
		if err != nil || out != nil {
			return out, err
		}
	}
}

// NextSel is Next without the copy when the filter keeps most of a batch
// (denseSel): the batch as it came (its passed-on columns) and the rows
// that pass in sel, nil when all do. sel is valid until the next call. A
// sparse selection is copied here, where one pass copies every column.
func (f *Filter) NextSel(t *Task) (arrow.Record, []int32, error) {
	for {
		rec, err := f.child.Next(t)
		if err != nil || rec == nil {
			return nil, nil, err
		}
		kept, all, err := f.keep(t, rec)
		if err != nil || kept == 0 {
			rec.Release()
			if err != nil {
				return nil, nil, err
			}
			continue
		}
		if !all && !denseSel(f.sel, int(rec.NumRows())) {
			out := f.copyKept(t, rec)
			rec.Release()
			return out, nil, nil
		}
		out := f.pick(rec)
		rec.Release()
		if all {
			return out, nil, nil
		}
		return out, f.sel, nil
	}
}

// apply returns the rows of rec that pass, or nil when none does.
func (f *Filter) apply(t *Task, rec arrow.Record) (arrow.Record, error) {
	kept, all, err := f.keep(t, rec)
	if err != nil || kept == 0 {
		return nil, err
	}
	if all {
		return f.pick(rec), nil
	}
	return f.copyKept(t, rec), nil
}

// copyKept returns the passed-on columns of rec at the rows in f.sel.
func (f *Filter) copyKept(t *Task, rec arrow.Record) arrow.Record {
	if f.out == nil {
		return takeRows(t, rec, rec.Schema(), nil, f.sel, f.keptRuns())
	}
	return takeRows(t, rec, f.schema, f.out, f.sel, f.keptRuns())
}

// keep runs the stages over rec and returns how many rows pass; unless
// all do, their positions are in f.sel.
func (f *Filter) keep(t *Task, rec arrow.Record) (kept int, all bool, err error) {
	n := int(rec.NumRows())
	if err := t.Spend(n); err != nil {
		return 0, false, err
	}
	all = true // every row kept so far; f.sel is meaningful once false
	for i := range f.stages {
		if !all {
			if kept, ok := f.stageInPlace(&f.stages[i], rec); ok {
				if kept == 0 {
					return 0, false, nil
				}
				f.sel, f.cur = f.cur[:kept], f.sel
				continue
			}
		}
		kept, err := f.stage(t, &f.stages[i], rec, all)
		if err != nil {
			return 0, false, err
		}
		switch {
		case kept == 0:
			return 0, false, nil
		case all && kept == n, !all && kept == len(f.sel):
			// the stage kept every row it saw
		case all:
			f.sel, f.cur, all = f.cur, f.sel, false
		default:
			// Positions among the stage's input back to rows of rec, in
			// place: cur[j] >= j, so sel[cur[j]] is still unwritten.
			for j, k := range f.cur[:kept] {
				f.sel[j] = f.sel[k]
			}
			f.sel = f.sel[:kept]
		}
	}
	if all {
		return n, true, nil
	}
	return len(f.sel), false, nil
}

// stageInPlace narrows f.sel by a stage that is a range of one column
// (expr.RangeOf), reading the kept rows' values in place, into f.cur as
// rows of rec; false when the stage is not one.
func (f *Filter) stageInPlace(st *FilterStage, rec arrow.Record) (int, bool) {
	r, ok := expr.RangeOf(st.Pred)
	if !ok {
		return 0, false
	}
	col := r.Col
	if st.Cols != nil {
		col = st.Cols[col]
	}
	f.cur = grow(f.cur[:0], len(f.sel))
	return expr.KeepInRange(r, rec.Column(col), f.sel, f.cur, &f.bits)
}

// keptRuns returns the runs of the kept rows, or nil when they are too
// short to copy run by run (see vector.RunsOf).
func (f *Filter) keptRuns() []vector.Run {
	// Room for as many runs as RunsOf takes before it gives up, kept
	// across batches: it returns nil then, and growing the room again
	// every batch was 6% of Q6.
	if limit := len(f.sel)/vector.MinRunLength + 1; cap(f.runs) < limit {
		f.runs = make([]vector.Run, 0, limit)
	}
	if runs := vector.RunsOf(f.sel, f.runs); runs != nil {
		return runs
	}
	return nil
}

// takeKept gathers the kept rows of arr: by runs when there are any, by
// index otherwise.
func (f *Filter) takeKept(t *Task, arr arrow.Array, runs []vector.Run) arrow.Array {
	return takeArray(t, arr, f.sel, runs)
}

// stage evaluates st on the rows of rec kept so far (every row when all)
// and returns how many it keeps. Unless it keeps them all, their
// positions among its input are in f.cur.
func (f *Filter) stage(t *Task, st *FilterStage, rec arrow.Record, all bool) (int, error) {
	in := f.stageInput(t, st, rec, all)
	defer in.Release()
	v, err := st.Pred.Eval(splitEnv{t}, in)
	rows := int(in.NumRows())
	var split *expr.SplitError
	if errors.As(err, &split) {
		return f.stageInSlices(t, st, in, split.Bytes)
	}
	if err != nil {
		return 0, err
	}
	defer v.Release()
	if v.IsConst() {
		if v.Const.Valid && v.Const.Bool() {
			return rows, nil
		}
		return 0, nil
	}
	f.cur = vector.Selection(v.Arr, f.cur)
	return len(f.cur), nil
}

// stageInSlices evaluates st on in a slice at a time, for a predicate
// that would otherwise build an intermediate result of bytes bytes (as
// Project does, see expr.Splitter). It fills f.cur even when every row
// is kept.
func (f *Filter) stageInSlices(t *Task, st *FilterStage, in arrow.Record, bytes int) (int, error) {
	rows := int(in.NumRows())
	step := max(1, min(rows/2, rows*projectBytes/max(bytes, 1)))
	f.cur = f.cur[:0]
	for off := 0; off < rows; {
		end := min(rows, off+step)
		part := in.NewSlice(int64(off), int64(end))
		v, err := st.Pred.Eval(splitEnv{t}, part)
		part.Release()
		var split *expr.SplitError
		if errors.As(err, &split) && end-off > 1 {
			step = max(1, min((end-off)/2, (end-off)*projectBytes/max(split.Bytes, 1)))
			continue
		}
		if err != nil {
			return 0, err
		}
		switch {
		case !v.IsConst():
			f.part = vector.Selection(v.Arr, f.part)
			for _, r := range f.part {
				f.cur = append(f.cur, r+int32(off))
			}
		case v.Const.Valid && v.Const.Bool():
			for r := off; r < end; r++ {
				f.cur = append(f.cur, int32(r))
			}
		}
		v.Release()
		off = end
	}
	return len(f.cur), nil
}

// stageInput is the batch st reads: its columns of rec, gathered at the
// kept rows unless all are kept.
func (f *Filter) stageInput(t *Task, st *FilterStage, rec arrow.Record, all bool) arrow.Record {
	if st.Cols == nil && all {
		rec.Retain()
		return rec
	}
	var runs []vector.Run
	if !all {
		runs = f.keptRuns()
	}
	if st.Cols == nil {
		return takeRows(t, rec, rec.Schema(), nil, f.sel, runs)
	}
	cols := make([]arrow.Array, len(st.Cols))
	for i, c := range st.Cols {
		if all {
			cols[i] = rec.Column(c)
			cols[i].Retain()
		} else {
			cols[i] = f.takeKept(t, rec.Column(c), runs)
		}
	}
	n := int(rec.NumRows())
	if !all {
		n = len(f.sel)
	}
	return vector.NewRecord(st.Schema, cols, n)
}

// pick returns the passed-on columns of rec, without copying.
func (f *Filter) pick(rec arrow.Record) arrow.Record {
	if f.out == nil {
		rec.Retain()
		return rec
	}
	cols := make([]arrow.Array, len(f.out))
	for i, k := range f.out {
		cols[i] = rec.Column(k)
	}
	return array.NewRecord(f.schema, cols, rec.NumRows())
}

func (f *Filter) Close() error { return f.child.Close() }

func (f *Filter) Describe() Description {
	return Description{Name: "Filter", Detail: f.desc, Children: []Operator{f.child}}
}
