package expr

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/vector"
)

// evalOn evaluates ev for the rows sel of batch only, returning an array of
// len(sel) values. Branches of CASE use it so that an expression is never
// computed on rows it does not apply to (CASE WHEN x <> 0 THEN 1/x END must
// not divide by zero).
func evalOn(env Env, ev Evaluator, batch arrow.Record, sel []int32, cols []int) (arrow.Array, error) {
	mem := env.Alloc()
	switch e := ev.(type) {
	case *constEval:
		return ConstArray(mem, e.d, e.t, len(sel))
	case *colEval:
		return vector.Take(mem, batch.Column(e.idx), sel), nil
	}
	if len(sel) == int(batch.NumRows()) {
		return EvalArray(env, ev, batch)
	}
	sub := subBatch(env, batch, sel, cols)
	defer sub.Release()
	return EvalArray(env, ev, sub)
}

// subBatch gathers rows sel of the columns cols of batch; the other columns
// become NULL columns so that column indexes stay valid.
func subBatch(env Env, batch arrow.Record, sel []int32, cols []int) arrow.Record {
	n := len(sel)
	fields := make([]arrow.Field, batch.NumCols())
	arrs := make([]arrow.Array, batch.NumCols())
	for i := range arrs {
		fields[i] = arrow.Field{Name: batch.ColumnName(i), Type: arrow.Null, Nullable: true}
	}
	for _, c := range cols {
		fields[c] = batch.Schema().Field(c)
		arrs[c] = vector.Take(env.Alloc(), batch.Column(c), sel)
	}
	for i := range arrs {
		if arrs[i] == nil {
			arrs[i] = array.NewNull(n)
		}
	}
	return vector.NewRecord(arrow.NewSchema(fields, nil), arrs, n)
}

// columnsOf lists the input columns an expression reads.
func columnsOf(e Expr) []int {
	seen := map[int]bool{}
	var out []int
	var walk func(Expr)
	walk = func(e Expr) {
		if c, ok := e.(*ColumnRef); ok && !seen[c.Index] {
			seen[c.Index] = true
			out = append(out, c.Index)
		}
		for _, ch := range e.Children() {
			walk(ch)
		}
	}
	walk(e)
	return out
}
