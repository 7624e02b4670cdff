package binder

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// bindDistinctFrom binds x IS [NOT] DISTINCT FROM y (and MySQL's x <=> y):
// equality in which NULL equals NULL and differs from every value, so the
// result is never NULL. It is
//
//	CASE WHEN x IS NULL THEN y IS NULL WHEN y IS NULL THEN false ELSE x = y END
//
// with x = y typed and coerced as the = operator does, negated for IS
// DISTINCT FROM.
func (b *binder) bindDistinctFrom(left, right sqlparser.Expr, distinct bool, c *exprCtx) (expr.Expr, error) {
	l, err := b.bindExpr(left, c)
	if err != nil {
		return nil, err
	}
	r, err := b.bindExpr(right, c)
	if err != nil {
		return nil, err
	}
	eq, err := b.comparison(expr.OpEq, l, r)
	if err != nil {
		return nil, err
	}
	same := &expr.Case{T: types.BoolType, Else: eq, Whens: []expr.When{
		{Cond: &expr.IsNull{X: l}, Then: &expr.IsNull{X: r}},
		{Cond: &expr.IsNull{X: r}, Then: &expr.Literal{Value: expr.BoolDatum(false), T: types.BoolType}},
	}}
	if distinct {
		return &expr.Not{X: same}, nil
	}
	return same, nil
}
