package operators

import (
	"errors"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/vector"
)

// Project computes one output column per expression. A bare column
// reference costs nothing: the input array is shared, not copied.
//
// Once a batch's computed columns come to more than projectBytes, later
// input batches are evaluated in slices sized to stay under it; a kernel
// that knows its output size before allocating (expr.Splitter) asks for
// slices before the first such batch. A batch of 8192 strings of 4 KB
// (repeat()) is 32 MB, which the runtime allocates and zeroes in one
// call, milliseconds without a check, and which the buffer pool does not
// recycle.
type Project struct {
	child   Operator
	exprs   []expr.Evaluator
	schema  *arrow.Schema
	desc    []string
	in      arrow.Record // input batch being evaluated in slices
	off     int          // its next row
	maxRows int          // rows per slice; 0 until a batch comes out too big
}

// projectBytes bounds the computed columns of one output batch.
const projectBytes = 4 << 20

var _ Operator = (*Project)(nil)

// NewProject returns a projection of child; schema names the outputs.
func NewProject(child Operator, exprs []expr.Evaluator, schema *arrow.Schema, desc []string) *Project {
	return &Project{child: child, exprs: exprs, schema: schema, desc: desc}
}

func (p *Project) Schema() *arrow.Schema { return p.schema }
func (p *Project) Open(t *Task) error    { return p.child.Open(t) }

func (p *Project) Next(t *Task) (arrow.Record, error) {
	for {
		rec, err := p.nextInput(t)
		if err != nil || rec == nil {
			return nil, err
		}
		out, err := p.eval(t, rec)
		var split *expr.SplitError
		if !errors.As(err, &split) {
			rec.Release()
			return out, err
		}
		// Evaluate this batch again, in slices.
		rows := int(rec.NumRows())
		p.maxRows = max(1, min(rows/2, rows*projectBytes/max(split.Bytes, 1)))
		if p.in == nil {
			p.in, p.off = rec, 0
		} else {
			p.off -= rows
			rec.Release()
		}
	}
}

// NextSel is Next passing on its input's selection: the expressions are
// computed over every row of a batch whose selection is dense, and the
// output keeps the selection. That evaluates rows no one will read, so
// an error there is not the query's: the batch is then copied to its
// selected rows and evaluated again, and only an error from those rows
// stands. A sparse selection is copied first, as the filter would have.
func (p *Project) NextSel(t *Task) (arrow.Record, []int32, error) {
	for {
		if p.in != nil { // evaluating a batch in slices
			out, err := p.Next(t)
			return out, nil, err
		}
		rec, sel, err := nextSel(t, p.child)
		if err != nil || rec == nil {
			return nil, nil, err
		}
		rows := int(rec.NumRows())
		if sel != nil && (!denseSel(sel, rows) || p.maxRows != 0 && rows > p.maxRows) {
			if rec, err = p.materialize(t, rec, sel); err != nil {
				return nil, nil, err
			}
			sel = nil
		}
		if p.maxRows != 0 && int(rec.NumRows()) > p.maxRows {
			p.in, p.off = rec, 0
			continue
		}
		out, err := p.eval(t, rec)
		if err != nil && sel != nil {
			// Maybe an unselected row's error, or a batch to split: do
			// it again on the selected rows only.
			if rec, err = p.materialize(t, rec, sel); err != nil {
				return nil, nil, err
			}
			sel = nil
			out, err = p.eval(t, rec)
		}
		var split *expr.SplitError
		if errors.As(err, &split) {
			rows := int(rec.NumRows())
			p.maxRows = max(1, min(rows/2, rows*projectBytes/max(split.Bytes, 1)))
			p.in, p.off = rec, 0
			continue
		}
		rec.Release()
		return out, sel, err
	}
}

// materialize returns the selected rows of rec, releasing rec.
func (p *Project) materialize(t *Task, rec arrow.Record, sel []int32) (arrow.Record, error) {
	out, err := takeSel(t, rec, sel)
	rec.Release()
	return out, err
}

// eval computes the output columns for rec.
func (p *Project) eval(t *Task, rec arrow.Record) (arrow.Record, error) {
	if err := t.Spend(1); err != nil {
		return nil, err
	}
	env := splitEnv{t}
	cols := make([]arrow.Array, len(p.exprs))
	var bytes int
	for i, ev := range p.exprs {
		a, err := expr.EvalArray(env, ev, rec)
		if err != nil {
			for _, c := range cols[:i] {
				c.Release()
			}
			return nil, err
		}
		cols[i] = a
		if !isInputColumn(rec, a) { // a column passed on shares the input's buffers
			bytes += int(arrayBytes(a.Data()))
		}
	}
	rows := int(rec.NumRows())
	if bytes > projectBytes && rows > 1 {
		p.maxRows = max(1, rows*projectBytes/bytes)
	}
	return vector.NewRecord(p.schema, cols, rows), nil
}

// splitEnv is the task as the environment of a projection's expressions,
// which may ask for their batch to be split (expr.Splitter).
type splitEnv struct{ *Task }

func (splitEnv) SplitAbove() int { return projectBytes }

func isInputColumn(rec arrow.Record, a arrow.Array) bool {
	for _, c := range rec.Columns() {
		if c == a {
			return true
		}
	}
	return false
}

// nextInput returns the next input batch, or its next slice once batches
// are evaluated in slices.
func (p *Project) nextInput(t *Task) (arrow.Record, error) {
	if p.in == nil {
		rec, err := p.child.Next(t)
		if err != nil || rec == nil {
			return nil, err
		}
		if p.maxRows == 0 || int(rec.NumRows()) <= p.maxRows {
			return rec, nil
		}
		p.in, p.off = rec, 0
	}
	n := int(p.in.NumRows())
	end := min(n, p.off+p.maxRows)
	out := p.in.NewSlice(int64(p.off), int64(end))
	p.off = end
	if end == n {
		p.in.Release()
		p.in = nil
	}
	return out, nil
}

func (p *Project) Close() error {
	if p.in != nil {
		p.in.Release()
		p.in = nil
	}
	return p.child.Close()
}

func (p *Project) Describe() Description {
	return Description{Name: "Project", Detail: strings.Join(p.desc, ", "), Children: []Operator{p.child}}
}
