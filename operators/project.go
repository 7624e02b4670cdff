package operators

import (
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/vector"
)

// Project computes one output column per expression. A bare column
// reference costs nothing: the input array is shared, not copied.
type Project struct {
	child  Operator
	exprs  []expr.Evaluator
	schema *arrow.Schema
	desc   []string
}

var _ Operator = (*Project)(nil)

// NewProject returns a projection of child; schema names the outputs.
func NewProject(child Operator, exprs []expr.Evaluator, schema *arrow.Schema, desc []string) *Project {
	return &Project{child: child, exprs: exprs, schema: schema, desc: desc}
}

func (p *Project) Schema() *arrow.Schema { return p.schema }
func (p *Project) Open(t *Task) error    { return p.child.Open(t) }

func (p *Project) Next(t *Task) (arrow.Record, error) {
	rec, err := p.child.Next(t)
	if err != nil || rec == nil {
		return nil, err
	}
	defer rec.Release()
	if err := t.Spend(1); err != nil {
		return nil, err
	}
	cols := make([]arrow.Array, len(p.exprs))
	for i, ev := range p.exprs {
		a, err := expr.EvalArray(t, ev, rec)
		if err != nil {
			for _, c := range cols[:i] {
				c.Release()
			}
			return nil, err
		}
		cols[i] = a
	}
	return vector.NewRecord(p.schema, cols, int(rec.NumRows())), nil
}

func (p *Project) Close() error { return p.child.Close() }

func (p *Project) Describe() Description {
	return Description{Name: "Project", Detail: strings.Join(p.desc, ", "), Children: []Operator{p.child}}
}
