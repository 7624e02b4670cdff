package binder

import (
	"slices"
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// Aggregate calls: the names minisql knows, and how each call's arguments
// bind (an aggregate's ORDER BY is in agg_order.go).

// aggKinds maps aggregate function names to kinds.
var aggKinds = map[string]operators.AggKind{
	"count": operators.AggCount, "sum": operators.AggSum, "avg": operators.AggAvg, "mean": operators.AggAvg,
	"min": operators.AggMin, "max": operators.AggMax,
	"string_agg": operators.AggStringAgg, "listagg": operators.AggStringAgg,
	"median": operators.AggQuantileCont, "quantile_cont": operators.AggQuantileCont,
	"quantile_disc": operators.AggQuantileDisc, "quantile": operators.AggQuantileDisc,
	"var_samp": operators.AggVarSamp, "variance": operators.AggVarSamp, "var_pop": operators.AggVarPop,
	"stddev_samp": operators.AggStddevSamp, "stddev": operators.AggStddevSamp, "stddev_pop": operators.AggStddevPop,
	"bool_and": operators.AggBoolAnd, "every": operators.AggBoolAnd, "bool_or": operators.AggBoolOr,
	"count_if": operators.AggSum, "countif": operators.AggSum,
	"arg_max": operators.AggArgMax, "argmax": operators.AggArgMax, "max_by": operators.AggArgMax,
	"arg_min": operators.AggArgMin, "argmin": operators.AggArgMin, "min_by": operators.AggArgMin,
	"mode":      operators.AggMode,
	"any_value": operators.AggAnyValue, "first": operators.AggFirst, "arbitrary": operators.AggFirst,
	"last": operators.AggLast, "product": operators.AggProduct,
	"bit_and": operators.AggBitAnd, "bit_or": operators.AggBitOr, "bit_xor": operators.AggBitXor,
	"fsum": operators.AggFSum, "sumkahan": operators.AggFSum, "kahan_sum": operators.AggFSum,
	"favg": operators.AggFAvg,
	// geomean is DuckDB's macro exp(avg(ln(x))): bound so (bindAggregate).
	"geomean": operators.AggAvg, "geometric_mean": operators.AggAvg,
	"covar_pop": operators.AggCovarPop, "covar_samp": operators.AggCovarSamp, "corr": operators.AggCorr,
	"regr_slope": operators.AggRegrSlope, "regr_intercept": operators.AggRegrIntercept,
	"regr_count": operators.AggRegrCount, "regr_r2": operators.AggRegrR2,
	"regr_avgx": operators.AggRegrAvgX, "regr_avgy": operators.AggRegrAvgY,
	"regr_sxx": operators.AggRegrSXX, "regr_syy": operators.AggRegrSYY, "regr_sxy": operators.AggRegrSXY,
	"skewness": operators.AggSkewness, "kurtosis": operators.AggKurtosis, "kurtosis_pop": operators.AggKurtosisPop,
	"entropy": operators.AggEntropy, "approx_count_distinct": operators.AggApproxCountDistinct,
}

// listAggs are DuckDB aggregates whose result is a LIST or MAP, types
// minisql does not have.
var listAggs = map[string]bool{"list": true, "array_agg": true, "histogram": true}

// bindAggregate registers an aggregate call and returns a reference to its
// result column.
func (b *binder) bindAggregate(kind operators.AggKind, e *sqlparser.FuncExpr, c *exprCtx) (expr.Expr, error) {
	name := strings.ToLower(e.Name.String())
	if c.agg == nil {
		return nil, b.errAt(e.Name.String(), sqlerr.ErrSyntax, "aggregate %s() is not allowed here", name)
	}
	if c.agg.inside {
		return nil, b.errAt(e.Name.String(), sqlerr.ErrSyntax, "aggregate %s() inside another aggregate", name)
	}
	e, order := splitAggOrder(e)
	call := plan.AggCall{Kind: kind, Distinct: e.Distinct}
	if kind == operators.AggStringAgg {
		sep, err := b.stringAggSep(e)
		if err != nil {
			return nil, err
		}
		call.Sep = sep
	} else if isQuantile(kind) {
		frac, err := b.quantileFrac(name, e, c)
		if err != nil {
			return nil, err
		}
		call.Frac = frac
	} else if kind == operators.AggArgMax || kind == operators.AggArgMin {
		key, err := b.argMaxKey(name, e, c)
		if err != nil {
			return nil, err
		}
		call.Arg2 = key
	} else if kind.TwoArgs() {
		x, err := b.regrX(name, e, c)
		if err != nil {
			return nil, err
		}
		call.Arg2 = x
	} else if len(e.Exprs) != 1 {
		return nil, sqlerr.New(sqlerr.ErrType, "%s takes one argument", name)
	}
	switch a := e.Exprs[0].(type) {
	case *sqlparser.StarExpr:
		if kind != operators.AggCount || e.Distinct {
			return nil, sqlerr.New(sqlerr.ErrSyntax, "%s(*) is not allowed", name)
		}
		call.Kind = operators.AggCountStar
	case *sqlparser.AliasedExpr:
		x := a.Expr
		if kind == operators.AggFirst || kind == operators.AggLast {
			// Their DISTINCT changes nothing: the first (last) value seen
			// is a distinct value's first (last) row, in an order that is
			// arbitrary either way.
			call.Distinct = false
			if f, ok := x.(*sqlparser.FuncExpr); ok && strings.EqualFold(f.Name.String(), "__filter") && len(f.Exprs) == 2 {
				// A NULL counts as a value: FILTER cannot be CASE WHEN
				// c THEN x END, so the condition is a second argument.
				cond, v, err := b.firstFilter(f, c)
				if err != nil {
					return nil, err
				}
				call.Arg2, x = cond, v
			}
		}
		c.agg.inside = true
		arg, err := b.bindExpr(x, &exprCtx{sc: c.agg.input, agg: c.agg, rel: nil})
		c.agg.inside = false
		if err != nil {
			return nil, err
		}
		if arg, err = b.otherAggArg(name, kind, arg); err != nil {
			return nil, err
		}
		if kind == operators.AggStringAgg && arg.Type().Kind != types.String && arg.Type().Kind != types.Null {
			// As DuckDB, string_agg joins the text of any value.
			if arg, err = castTo(arg, types.StringType); err != nil {
				return nil, err
			}
		}
		if kind == operators.AggSum && arg.Type().Kind == types.Bool {
			// SUM of a condition counts the rows where it holds, as in
			// DuckDB: the sum of its 0s and 1s.
			if arg, err = castTo(arg, types.Int64Type); err != nil {
				return nil, err
			}
		}
		if isQuantile(kind) {
			if call.Kind, arg, err = quantileArg(name, kind, arg); err != nil {
				return nil, err
			}
		}
		call.Arg = arg
	default:
		return nil, sqlerr.NotSupported("%s", parse.Format(e))
	}
	if order != nil {
		if err := b.bindAggOrder(name, &call, order, c); err != nil {
			return nil, err
		}
	}
	in := types.NullType
	if call.Arg != nil {
		in = call.Arg.Type()
	}
	out, err := operators.AggResultType(call.Kind, in)
	if err != nil {
		return nil, sqlerr.New(sqlerr.ErrType, "%v", err)
	}
	ref := c.agg.add(b, call, out, parse.Format(e))
	if isGeomean(name) {
		return b.call("exp", []expr.Expr{ref})
	}
	return ref, nil
}

func isGeomean(name string) bool { return name == "geomean" || name == "geometric_mean" }

// bindFilter binds the pre-lexer's __filter(cond[, x]), the argument of
// an aggregate with a FILTER clause, as CASE WHEN cond THEN x END (x is 1
// for count(*)): the aggregate skips the rows the condition rejects.
func (b *binder) bindFilter(e *sqlparser.FuncExpr, c *exprCtx) (expr.Expr, error) {
	var args []sqlparser.Expr
	for _, se := range e.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, sqlerr.New(sqlerr.ErrSyntax, "FILTER: %s", parse.Format(se))
		}
		args = append(args, ae.Expr)
	}
	if len(args) == 0 || len(args) > 2 {
		return nil, sqlerr.New(sqlerr.ErrSyntax, "FILTER: %s", parse.Format(e))
	}
	val := sqlparser.Expr(sqlparser.NewIntVal([]byte("1")))
	if len(args) == 2 {
		val = args[1]
	}
	return b.bindCase(&sqlparser.CaseExpr{Whens: []*sqlparser.When{{Cond: args[0], Val: val}}}, c)
}

// firstFilter binds the condition of first's and last's FILTER clause,
// __filter(cond, x), and returns it with x, still to bind.
func (b *binder) firstFilter(f *sqlparser.FuncExpr, c *exprCtx) (expr.Expr, sqlparser.Expr, error) {
	ce, ok1 := f.Exprs[0].(*sqlparser.AliasedExpr)
	xe, ok2 := f.Exprs[1].(*sqlparser.AliasedExpr)
	if !ok1 || !ok2 {
		return nil, nil, sqlerr.New(sqlerr.ErrSyntax, "FILTER: %s", parse.Format(f))
	}
	c.agg.inside = true
	cond, err := b.bindExpr(ce.Expr, &exprCtx{sc: c.agg.input, agg: c.agg, rel: nil})
	c.agg.inside = false
	if err != nil {
		return nil, nil, err
	}
	if k := cond.Type().Kind; k != types.Bool && k != types.Null {
		return nil, nil, sqlerr.New(sqlerr.ErrType, "FILTER needs a BOOLEAN condition, not %s", cond.Type())
	}
	cond, err = castTo(cond, types.BoolType)
	return cond, xe.Expr, err
}

// stringAggSep checks string_agg's arguments: the value and an optional
// separator, a string constant (',' by default, as in DuckDB).
func (b *binder) stringAggSep(e *sqlparser.FuncExpr) (string, error) {
	switch len(e.Exprs) {
	case 1:
		return ",", nil
	case 2:
		if ae, ok := e.Exprs[1].(*sqlparser.AliasedExpr); ok {
			if v, ok := ae.Expr.(*sqlparser.SQLVal); ok && v.Type == sqlparser.StrVal {
				return string(v.Val), nil
			}
		}
		return "", sqlerr.NotSupported("a separator of %s other than a string constant", strings.ToLower(e.Name.String()))
	}
	return "", sqlerr.New(sqlerr.ErrType, "%s takes a value and a separator", strings.ToLower(e.Name.String()))
}

// otherAggArg types the argument of the statistical and boolean
// aggregates as DuckDB does: the variances over DOUBLE (any number is
// cast), count_if as sum over CASE WHEN x THEN 1 ELSE 0 END (0 when no
// row holds, NULL without rows).
func (b *binder) otherAggArg(name string, kind operators.AggKind, arg expr.Expr) (expr.Expr, error) {
	t := arg.Type()
	switch kind {
	case operators.AggVarSamp, operators.AggVarPop, operators.AggStddevSamp, operators.AggStddevPop,
		operators.AggProduct, operators.AggFSum, operators.AggFAvg,
		operators.AggSkewness, operators.AggKurtosis, operators.AggKurtosisPop:
		if t.IsNumeric() {
			return castTo(arg, types.Float64Type)
		}
	case operators.AggCovarPop, operators.AggCovarSamp, operators.AggCorr, operators.AggRegrSlope,
		operators.AggRegrIntercept, operators.AggRegrCount, operators.AggRegrR2, operators.AggRegrAvgX,
		operators.AggRegrAvgY, operators.AggRegrSXX, operators.AggRegrSYY, operators.AggRegrSXY:
		if t.IsNumeric() {
			return castTo(arg, types.Float64Type)
		}
	case operators.AggAvg:
		if isGeomean(name) { // exp(avg(ln(x))), as DuckDB's macro
			if !t.IsNumeric() && t.Kind != types.Null {
				return nil, sqlerr.New(sqlerr.ErrType, "%s is not defined for %s", name, t)
			}
			x, err := castTo(arg, types.Float64Type)
			if err != nil {
				return nil, err
			}
			return b.call("ln", []expr.Expr{x})
		}
	case operators.AggSum:
		if name == "count_if" || name == "countif" {
			cond, err := castTo(arg, types.BoolType)
			if err != nil || t.Kind != types.Bool && t.Kind != types.Null {
				return nil, sqlerr.New(sqlerr.ErrType, "%s() needs a BOOLEAN, not %s", name, t)
			}
			one := &expr.Literal{Value: expr.IntDatum(1), T: types.Int64Type}
			zero := &expr.Literal{Value: expr.IntDatum(0), T: types.Int64Type}
			return &expr.Case{Whens: []expr.When{{Cond: cond, Then: one}}, Else: zero, T: types.Int64Type}, nil
		}
	}
	return arg, nil
}

// argMaxKey binds the second argument of arg_max(x, y) and arg_min: the
// key compared, of a type with an order.
func (b *binder) argMaxKey(name string, e *sqlparser.FuncExpr, c *exprCtx) (expr.Expr, error) {
	if len(e.Exprs) != 2 {
		return nil, sqlerr.New(sqlerr.ErrType, "%s takes two arguments (the value and the key it is chosen by)", name)
	}
	ae, ok := e.Exprs[1].(*sqlparser.AliasedExpr)
	if !ok {
		return nil, sqlerr.NotSupported("%s in %s()", parse.Format(e.Exprs[1]), name)
	}
	c.agg.inside = true
	key, err := b.bindExpr(ae.Expr, &exprCtx{sc: c.agg.input, agg: c.agg, rel: nil})
	c.agg.inside = false
	if err != nil {
		return nil, err
	}
	if k := key.Type().Kind; k == types.Interval {
		return nil, sqlerr.New(sqlerr.ErrType, "%s cannot compare %s keys", name, key.Type())
	}
	return key, nil
}

// regrX binds the second argument of the (y, x) statistics, x, cast to
// DOUBLE like y.
func (b *binder) regrX(name string, e *sqlparser.FuncExpr, c *exprCtx) (expr.Expr, error) {
	if len(e.Exprs) != 2 {
		return nil, sqlerr.New(sqlerr.ErrType, "%s takes two arguments (y, x)", name)
	}
	ae, ok := e.Exprs[1].(*sqlparser.AliasedExpr)
	if !ok {
		return nil, sqlerr.NotSupported("%s in %s()", parse.Format(e.Exprs[1]), name)
	}
	c.agg.inside = true
	x, err := b.bindExpr(ae.Expr, &exprCtx{sc: c.agg.input, agg: c.agg, rel: nil})
	c.agg.inside = false
	if err != nil {
		return nil, err
	}
	if t := x.Type(); !t.IsNumeric() && t.Kind != types.Null {
		return nil, sqlerr.New(sqlerr.ErrType, "%s is not defined for %s", name, t)
	}
	return castTo(x, types.Float64Type)
}

// AggregateNames lists the aggregate functions by name, sorted (for the
// shell's completion; expr.FuncNames lists the scalar ones).
func AggregateNames() []string {
	names := make([]string, 0, len(aggKinds))
	for n := range aggKinds {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
