package binder

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// splitAggOrder takes the pre-lexer's __sort_key(...) (an aggregate's
// ORDER BY, see parse/agg_order.go) off the end of a call's arguments. It
// returns a copy of the call without it, and the sort key (nil when the
// call has no ORDER BY); the AST is not modified.
func splitAggOrder(e *sqlparser.FuncExpr) (*sqlparser.FuncExpr, *sqlparser.FuncExpr) {
	n := len(e.Exprs)
	if n == 0 {
		return e, nil
	}
	ae, ok := e.Exprs[n-1].(*sqlparser.AliasedExpr)
	if !ok {
		return e, nil
	}
	key, ok := ae.Expr.(*sqlparser.FuncExpr)
	if !ok || key.Name.Lowered() != expr.SortKeyFunc || !key.Qualifier.IsEmpty() {
		return e, nil
	}
	cp := *e
	cp.Exprs = e.Exprs[: n-1 : n-1]
	return &cp, key
}

// bindAggOrder binds an aggregate's ORDER BY. Only string_agg's result
// depends on the order of its rows: it gets the sort key as its second
// argument, and joins each group's strings in the key's order. The others
// (sum, min, count, ...) give the same result in any order, so their ORDER
// BY is accepted, as DuckDB does, and dropped; first, last and any_value
// depend on it, and refuse it.
func (b *binder) bindAggOrder(name string, call *plan.AggCall, key *sqlparser.FuncExpr, c *exprCtx) error {
	switch call.Kind {
	case operators.AggFirst, operators.AggLast, operators.AggAnyValue:
		// Their result depends on the order too; not supported yet.
		return sqlerr.NotSupported("ORDER BY in %s()", name)
	}
	if call.Kind != operators.AggStringAgg {
		return nil
	}
	if call.Distinct {
		return sqlerr.NotSupported("ORDER BY in %s(DISTINCT ...)", name)
	}
	c.agg.inside = true
	defer func() { c.agg.inside = false }()
	var args []expr.Expr
	for _, se := range key.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return sqlerr.New(sqlerr.ErrSyntax, "ORDER BY in %s()", name)
		}
		x, err := b.bindExpr(ae.Expr, &exprCtx{sc: c.agg.input, agg: c.agg})
		if err != nil {
			return err
		}
		args = append(args, x)
	}
	k, err := b.call(expr.SortKeyFunc, args)
	if err != nil {
		return err
	}
	call.Arg2 = k
	return nil
}
