package binder

import (
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// winState collects the window calls of one SELECT, one Window node per
// distinct window specification.
type winState struct {
	specs []*plan.Window
	byKey map[string]*plan.Window
}

// bindWindow binds the pre-lexer's __over(f(args), __partition(...),
// __order(e, 'dir', ...)) and returns a reference to its column.
func (b *binder) bindWindow(e *sqlparser.FuncExpr, c *exprCtx) (expr.Expr, error) {
	if c.win == nil {
		return nil, sqlerr.New(sqlerr.ErrSyntax, "window functions are not allowed here (only in the select list and ORDER BY)")
	}
	var fn *sqlparser.FuncExpr
	if len(e.Exprs) > 0 {
		if ae, ok := e.Exprs[0].(*sqlparser.AliasedExpr); ok {
			fn, _ = ae.Expr.(*sqlparser.FuncExpr)
		}
	}
	if fn == nil {
		return nil, sqlerr.New(sqlerr.ErrSyntax, "OVER must follow a function call")
	}
	// Arguments, keys and order bind like the select list (aggregates
	// included), but hold no window call themselves.
	inner := *c
	inner.win = nil
	w := &plan.Window{}
	var frame *plan.Frame
	for _, se := range e.Exprs[1:] {
		ae, ok := se.(*sqlparser.AliasedExpr)
		part, _ := ae.Expr.(*sqlparser.FuncExpr)
		if !ok || part == nil {
			return nil, sqlerr.New(sqlerr.ErrInternal, "window specification %s", parse.Format(se))
		}
		args, err := b.bindArgs(part, &inner)
		if err != nil {
			return nil, err
		}
		switch part.Name.Lowered() {
		case "__partition":
			w.Partition = args
		case "__order":
			for i := 0; i+1 < len(args); i += 2 {
				dir, _ := args[i+1].(*expr.Literal)
				if dir == nil || dir.T.Kind != types.String {
					return nil, sqlerr.New(sqlerr.ErrInternal, "window order %s", parse.Format(part))
				}
				w.Order = append(w.Order, plan.SortItem{
					Expr:       args[i],
					Desc:       strings.HasPrefix(dir.Value.S, "desc"),
					NullsFirst: strings.HasSuffix(dir.Value.S, "nulls first"),
				})
			}
		case "__frame":
			if frame, err = bindFrame(args, w.Order); err != nil {
				return nil, err
			}
		default:
			return nil, sqlerr.New(sqlerr.ErrInternal, "window specification %s", parse.Format(part))
		}
	}
	call, err := b.windowCall(fn, &inner)
	if err != nil {
		return nil, err
	}
	if call.Distinct && (len(w.Order) > 0 || frame != nil) {
		return nil, sqlerr.NotSupported("DISTINCT in the window function %s() with ORDER BY or a frame (only over whole partitions)", strings.ToLower(fn.Name.String()))
	}
	if operators.WholePartitionOnly(string(call.Func)) && (len(w.Order) > 0 || frame != nil) {
		return nil, sqlerr.NotSupported("%s() OVER a window with ORDER BY or a frame (only over whole partitions)", strings.ToLower(fn.Name.String()))
	}
	call.Frame = effectiveFrame(call.Func, frame, len(w.Order) > 0)
	call.Col = plan.Column{ID: b.newID(), Name: strings.ToLower(parse.Format(e)), Type: call.Col.Type}
	spec := c.win.spec(w)
	spec.Calls = append(spec.Calls, call)
	return call.Col.Ref(), nil
}

// spec returns the collected Window with w's specification, adding w if
// it is new.
func (s *winState) spec(w *plan.Window) *plan.Window {
	var k strings.Builder
	for _, p := range w.Partition {
		k.WriteString(keyOf(p) + ";")
	}
	k.WriteString("|")
	for _, o := range w.Order {
		k.WriteString(keyOf(o.Expr))
		if o.Desc {
			k.WriteString(" desc")
		}
		if o.NullsFirst {
			k.WriteString(" nf")
		}
		k.WriteString(";")
	}
	if s.byKey == nil {
		s.byKey = map[string]*plan.Window{}
	}
	if have, ok := s.byKey[k.String()]; ok {
		return have
	}
	s.byKey[k.String()] = w
	s.specs = append(s.specs, w)
	return w
}

// bindArgs binds a call's arguments.
func (b *binder) bindArgs(fn *sqlparser.FuncExpr, c *exprCtx) ([]expr.Expr, error) {
	var args []expr.Expr
	for _, se := range fn.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, sqlerr.NotSupported("%s in %s()", parse.Format(se), fn.Name.String())
		}
		x, err := b.bindExpr(ae.Expr, c)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	return args, nil
}

// windowCall binds the function of a window call; its column's type is
// set, its name and id are the caller's.
func (b *binder) windowCall(fn *sqlparser.FuncExpr, c *exprCtx) (plan.WindowCall, error) {
	name := strings.ToLower(fn.Name.String())
	var call plan.WindowCall
	if fn.Distinct {
		switch name {
		case "count", "sum", "avg", "min", "max":
			// Over whole partitions (checked with the window's spec).
			call.Distinct = true
		default:
			return call, sqlerr.NotSupported("DISTINCT in the window function %s()", name)
		}
	}
	if _, order := splitAggOrder(fn); order != nil {
		return call, sqlerr.NotSupported("ORDER BY in the arguments of the window function %s() (order the window instead)", name)
	}
	nargs := func(lo, hi int) error {
		if len(fn.Exprs) < lo || len(fn.Exprs) > hi {
			if lo == hi {
				return sqlerr.New(sqlerr.ErrType, "%s takes %d argument(s)", name, lo)
			}
			return sqlerr.New(sqlerr.ErrType, "%s takes %d to %d arguments", name, lo, hi)
		}
		return nil
	}
	if hasFilterArg(fn) {
		switch name {
		case "count", "sum", "avg", "min", "max":
			// The FILTER's CASE WHEN c THEN x END: the aggregate skips
			// the rows it makes NULL, over the frame as everywhere.
		default:
			return call, sqlerr.NotSupported("FILTER on the window function %s() (only on count, sum, avg, min and max)", name)
		}
	}
	if name == "count" && len(fn.Exprs) == 1 {
		if _, ok := fn.Exprs[0].(*sqlparser.StarExpr); ok {
			call.Func, call.Col.Type = plan.WinCountStar, types.Int64Type
			return call, nil
		}
	}
	args, err := b.bindArgs(fn, c)
	if err != nil {
		return call, err
	}
	switch name {
	case "row_number", "rank", "dense_rank":
		if err := nargs(0, 0); err != nil {
			return call, err
		}
		call.Func, call.Col.Type = plan.WindowFunc(name), types.Int64Type
	case "count", "sum", "avg", "min", "max":
		if err := nargs(1, 1); err != nil {
			return call, err
		}
		arg := args[0]
		if name == "sum" && arg.Type().Kind == types.Bool {
			if arg, err = castTo(arg, types.Int64Type); err != nil {
				return call, err
			}
		}
		out, err := operators.AggResultType(operators.WindowAggKinds[name], arg.Type())
		if err != nil {
			return call, sqlerr.New(sqlerr.ErrType, "%v", err)
		}
		call.Func, call.Args, call.Col.Type = plan.WindowFunc(name), []expr.Expr{arg}, out
	case "lag", "lead":
		if err := nargs(1, 3); err != nil {
			return call, err
		}
		call.Func, call.Offset, call.Col.Type = plan.WindowFunc(name), 1, args[0].Type()
		call.Args = args[:1]
		if len(args) > 1 {
			lit, ok := args[1].(*expr.Literal)
			if !ok || lit.T.Kind != types.Int64 || !lit.Value.Valid || lit.Value.I < 0 {
				return call, sqlerr.New(sqlerr.ErrType, "the offset of %s must be a non-negative integer constant", name)
			}
			call.Offset = lit.Value.I
		}
		if len(args) > 2 {
			def, t, err := unify([]expr.Expr{args[0], args[2]}, name)
			if err != nil {
				return call, err
			}
			call.Args, call.Col.Type = def, t
		}
	case "first_value", "last_value":
		if err := nargs(1, 1); err != nil {
			return call, err
		}
		call.Func, call.Args, call.Col.Type = plan.WindowFunc(name), args, args[0].Type()
	case "percent_rank", "cume_dist":
		if err := nargs(0, 0); err != nil {
			return call, err
		}
		call.Func, call.Col.Type = plan.WindowFunc(name), types.Float64Type
	case "ntile":
		if err := nargs(1, 1); err != nil {
			return call, err
		}
		n, err := positiveConstant(args[0], name)
		if err != nil {
			return call, err
		}
		call.Func, call.Offset, call.Col.Type = plan.WinNtile, n, types.Int64Type
	case "nth_value":
		if err := nargs(2, 2); err != nil {
			return call, err
		}
		n, err := positiveConstant(args[1], name)
		if err != nil {
			return call, err
		}
		call.Func, call.Args, call.Offset, call.Col.Type = plan.WinNthValue, args[:1], n, args[0].Type()
	case "median", "quantile_cont", "quantile_disc", "quantile":
		return b.windowQuantile(name, fn, args, call)
	default:
		if operators.WholePartitionOnly(name) || operators.FramedStatistic(name) {
			if err := nargs(1, 1); err != nil {
				return call, err
			}
			kind := operators.WindowAggKinds[name]
			arg, err := b.otherAggArg(name, kind, args[0])
			if err != nil {
				return call, err
			}
			out, err := operators.AggResultType(kind, arg.Type())
			if err != nil {
				return call, sqlerr.New(sqlerr.ErrType, "%v", err)
			}
			call.Func, call.Args, call.Col.Type = plan.WindowFunc(name), []expr.Expr{arg}, out
			return call, nil
		}
		if _, ok := aggKinds[name]; ok { // an aggregate the Window operator does not run
			return call, sqlerr.NotSupported("%s() as a window function", name)
		}
		return call, b.errAt(fn.Name.String(), sqlerr.ErrUnknownFunc, "window function %s", name)
	}
	return call, nil
}

// addWindows puts the collected Window nodes over node, after applying
// the grouping's key replacement (and check) to their expressions.
func (b *binder) addWindows(node plan.Node, ws *winState, fix func(expr.Expr) (expr.Expr, error)) (plan.Node, error) {
	for _, w := range ws.specs {
		var err error
		for i := range w.Partition {
			if w.Partition[i], err = fix(w.Partition[i]); err != nil {
				return nil, err
			}
		}
		for i := range w.Order {
			if w.Order[i].Expr, err = fix(w.Order[i].Expr); err != nil {
				return nil, err
			}
		}
		for i := range w.Calls {
			for j := range w.Calls[i].Args {
				if w.Calls[i].Args[j], err = fix(w.Calls[i].Args[j]); err != nil {
					return nil, err
				}
			}
		}
		w.Input = node
		node = w
	}
	return node, nil
}

// positiveConstant is ntile's bucket count or nth_value's position: an
// integer constant of at least 1.
func positiveConstant(e expr.Expr, name string) (int64, error) {
	lit, ok := e.(*expr.Literal)
	if !ok || lit.T.Kind != types.Int64 || !lit.Value.Valid || lit.Value.I < 1 {
		return 0, sqlerr.New(sqlerr.ErrType, "the argument of %s must be a positive integer constant", name)
	}
	return lit.Value.I, nil
}

// hasFilterArg reports whether a call's first argument is the pre-lexer's
// __filter, its FILTER clause.
func hasFilterArg(fn *sqlparser.FuncExpr) bool {
	if len(fn.Exprs) == 0 {
		return false
	}
	ae, ok := fn.Exprs[0].(*sqlparser.AliasedExpr)
	if !ok {
		return false
	}
	f, ok := ae.Expr.(*sqlparser.FuncExpr)
	return ok && f.Name.Lowered() == "__filter"
}

// windowQuantile binds median and the quantiles as window functions over
// whole partitions: the aggregates' fraction and typing, and the kind
// they resolve to (median of VARCHAR is quantile_disc) as the call's
// function.
func (b *binder) windowQuantile(name string, fn *sqlparser.FuncExpr, args []expr.Expr, call plan.WindowCall) (plan.WindowCall, error) {
	frac := operators.QuantileFrac{Q: 0.5, Num: 5, Scale: 1, Exact: true}
	if name == "median" {
		if len(args) != 1 {
			return call, sqlerr.New(sqlerr.ErrType, "median takes one argument")
		}
	} else {
		if len(args) != 2 {
			return call, sqlerr.New(sqlerr.ErrType, "%s takes a value and a fraction", name)
		}
		var err error
		if frac, err = fracOf(name, args[1], parse.Format(fn.Exprs[1])); err != nil {
			return call, err
		}
	}
	kind := operators.WindowAggKinds[name]
	kind, arg, err := quantileArg(name, kind, args[0])
	if err != nil {
		return call, err
	}
	out, err := operators.AggResultType(kind, arg.Type())
	if err != nil {
		return call, sqlerr.New(sqlerr.ErrType, "%v", err)
	}
	fn2 := plan.WindowFunc("quantile_disc")
	if kind == operators.AggQuantileCont {
		fn2 = "quantile_cont"
	}
	call.Func, call.Args, call.Col.Type, call.Frac = fn2, []expr.Expr{arg}, out, frac
	return call, nil
}
