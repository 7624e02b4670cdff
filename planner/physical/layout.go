// Package physical turns an optimized logical plan into a tree of
// operators: it resolves column IDs to positions in each operator's input
// batches, compiles expressions, and picks the operator for each node
// (hash or nested-loop join, sort or top-k, ...).
package physical

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
)

// layout maps column IDs to their position in a batch.
type layout map[expr.ColumnID]int

func layoutOf(cols []plan.Column) layout {
	l := make(layout, len(cols))
	for i, c := range cols {
		if _, dup := l[c.ID]; !dup {
			l[c.ID] = i
		}
	}
	return l
}

// resolve returns a copy of e whose column references carry positions.
func resolve(e expr.Expr, l layout) (expr.Expr, error) {
	if r, ok := e.(*expr.ColumnRef); ok {
		idx, found := l[r.ID]
		if !found {
			return nil, sqlerr.New(sqlerr.ErrInternal, "column %s (#%d) is not available here", r.Name, r.ID)
		}
		c := *r
		c.Index = idx
		return &c, nil
	}
	ch := e.Children()
	if len(ch) == 0 {
		return e, nil
	}
	out := make([]expr.Expr, len(ch))
	for i, c := range ch {
		rc, err := resolve(c, l)
		if err != nil {
			return nil, err
		}
		out[i] = rc
	}
	return e.WithChildren(out), nil
}

// compile resolves and compiles e against a layout.
func compile(e expr.Expr, l layout) (expr.Evaluator, error) {
	r, err := resolve(e, l)
	if err != nil {
		return nil, err
	}
	return expr.Compile(r)
}

// schemaOf builds the Arrow schema of a list of columns.
func schemaOf(cols []plan.Column) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.Arrow(), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}
