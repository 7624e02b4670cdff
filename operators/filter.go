package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/vector"
)

// Filter passes the rows for which a predicate is true (not false, not
// NULL). A batch it rejects entirely is not returned: Filter pulls the next
// one, spending budget for every batch it looks at, so a filter that
// rejects everything still notices a cancel.
type Filter struct {
	child  Operator
	pred   expr.Evaluator
	desc   string
	sel    []int32
	out    []int // the input columns passed on (nil: all)
	schema *arrow.Schema
}

var _ Operator = (*Filter)(nil)

// NewFilter returns a filter over child.
func NewFilter(child Operator, pred expr.Evaluator, desc string) *Filter {
	return &Filter{child: child, pred: pred, desc: desc, schema: child.Schema()}
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

// apply returns the rows of rec that pass, or nil when none does.
func (f *Filter) apply(t *Task, rec arrow.Record) (arrow.Record, error) {
	n := int(rec.NumRows())
	if err := t.Spend(n); err != nil {
		return nil, err
	}
	v, err := f.pred.Eval(t, rec)
	if err != nil {
		return nil, err
	}
	defer v.Release()
	if v.IsConst() {
		if v.Const.Valid && v.Const.Bool() {
			return f.pick(rec), nil
		}
		return nil, nil
	}
	f.sel = vector.Selection(v.Arr, f.sel)
	switch len(f.sel) {
	case 0:
		return nil, nil
	case n:
		return f.pick(rec), nil
	}
	if f.out == nil {
		return vector.TakeRecord(t.Alloc(), rec, f.sel), nil
	}
	cols := make([]arrow.Array, len(f.out))
	for i, k := range f.out {
		cols[i] = vector.Take(t.Alloc(), rec.Column(k), f.sel)
	}
	return vector.NewRecord(f.schema, cols, len(f.sel)), nil
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
