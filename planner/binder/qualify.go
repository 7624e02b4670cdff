package binder

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// splitQualify takes the pre-lexer's __qualify(condition) item (see
// parse/qualify.go) out of a select list, returning the other items and
// the condition (nil when there is none). The AST is not modified: a CTE's
// SELECT may be bound more than once.
func splitQualify(list sqlparser.SelectExprs) (sqlparser.SelectExprs, sqlparser.Expr) {
	for i, se := range list {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			continue
		}
		fn, ok := ae.Expr.(*sqlparser.FuncExpr)
		if !ok || fn.Name.Lowered() != parse.QualifyFunc || len(fn.Exprs) != 1 {
			continue
		}
		arg, ok := fn.Exprs[0].(*sqlparser.AliasedExpr)
		if !ok {
			continue
		}
		rest := append(append(sqlparser.SelectExprs(nil), list[:i]...), list[i+1:]...)
		return rest, arg.Expr
	}
	return list, nil
}

// bindQualify binds a QUALIFY condition. Like the select list it may hold
// window functions and aggregates, and like DuckDB it may name a select
// item by its alias when no input column has that name. The windows it
// holds join the SELECT's; the Filter goes above them.
func (b *binder) bindQualify(cond sqlparser.Expr, items []selectItem, ctx *exprCtx) (expr.Expr, error) {
	b.clause("qualify")
	qctx := *ctx
	qctx.aliases = items
	pred, err := b.bindBool(cond, &qctx)
	if err != nil {
		return nil, err
	}
	if len(ctx.win.specs) == 0 {
		return nil, sqlerr.New(sqlerr.ErrSyntax, "QUALIFY needs a window function in the select list or the QUALIFY clause")
	}
	return pred, nil
}
