package binder

import (
	"strconv"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// splitSample takes the pre-lexer's __sample(kind, size) (USING SAMPLE,
// see parse/sample.go) out of a select list; the AST is not modified.
func splitSample(list sqlparser.SelectExprs) (sqlparser.SelectExprs, *sqlparser.FuncExpr) {
	for i, se := range list {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			continue
		}
		fn, ok := ae.Expr.(*sqlparser.FuncExpr)
		if !ok || fn.Name.Lowered() != parse.SampleFunc || len(fn.Exprs) != 2 {
			continue
		}
		rest := append(append(sqlparser.SelectExprs(nil), list[:i]...), list[i+1:]...)
		return rest, fn
	}
	return list, nil
}

// applySample samples the FROM clause's rows: a percentage keeps each row
// with that probability; a number of rows keeps the first n by a random
// key, a uniform sample of n (a top-k of random keys, O(N log n)).
func (b *binder) applySample(node plan.Node, fn *sqlparser.FuncExpr) (plan.Node, error) {
	arg := func(i int) string {
		if ae, ok := fn.Exprs[i].(*sqlparser.AliasedExpr); ok {
			if v, ok := ae.Expr.(*sqlparser.SQLVal); ok {
				return string(v.Val)
			}
		}
		return ""
	}
	kind := arg(0)
	size, err := strconv.ParseFloat(arg(1), 64)
	if err != nil {
		return nil, sqlerr.New(sqlerr.ErrSyntax, "malformed %s", parse.SampleFunc)
	}
	random, err := b.call("random", nil)
	if err != nil {
		return nil, err
	}
	if kind == "rows" {
		return &plan.Limit{Input: &plan.Sort{Input: node, Keys: []plan.SortItem{{Expr: random}}}, Count: int64(size)}, nil
	}
	p := &expr.Literal{Value: expr.FloatDatum(size / 100), T: types.Float64Type}
	keep, err := b.comparison(expr.OpLt, random, p)
	if err != nil {
		return nil, err
	}
	return &plan.Filter{Input: node, Pred: keep}, nil
}
