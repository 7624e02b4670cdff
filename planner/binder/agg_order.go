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

// bindAggOrder binds an aggregate's ORDER BY. string_agg gets the sort
// key (expr.SortKeyFunc: bytes that sort in the ORDER BY's order, NULLs
// placed) as its second argument, and joins each group's strings in the
// key's order. first, last and any_value become arg_min and arg_max over
// the key: first(x ORDER BY k) is the x of the least key, NULL or not
// (KeepNulls), last the x of the greatest, any_value the first x that is
// not NULL, as in DuckDB. The others (sum, min, count, ...) give the same
// result in any order, so their ORDER BY is accepted, as DuckDB does, and
// dropped.
func (b *binder) bindAggOrder(name string, call *plan.AggCall, key *sqlparser.FuncExpr, c *exprCtx) error {
	switch call.Kind {
	case operators.AggStringAgg, operators.AggFirst, operators.AggLast, operators.AggAnyValue:
	default:
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
	switch call.Kind {
	case operators.AggStringAgg:
		call.Arg2 = k
		return nil
	case operators.AggAnyValue:
		call.Kind = operators.AggArgMin
	case operators.AggFirst:
		call.Kind, call.KeepNulls = operators.AggArgMin, true
	case operators.AggLast:
		call.Kind, call.KeepNulls = operators.AggArgMax, true
	}
	if call.Arg2 != nil {
		// first's and last's FILTER condition (agg_call.go): the rows it
		// rejects get no key, and arg_min and arg_max skip them.
		k = &expr.Case{Whens: []expr.When{{Cond: call.Arg2, Then: k}}, T: k.Type()}
	}
	call.Arg2 = k
	return nil
}
