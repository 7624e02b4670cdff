package binder

import (
	"math"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// isQuantile reports whether kind is a quantile aggregate (median too).
func isQuantile(kind operators.AggKind) bool {
	return kind == operators.AggQuantileCont || kind == operators.AggQuantileDisc
}

// quantileFrac reads a quantile's fraction: 0.5 for median, else the
// second argument, a constant in [-1, 1] as DuckDB requires (a negative
// one counts from the top).
func (b *binder) quantileFrac(name string, e *sqlparser.FuncExpr, c *exprCtx) (operators.QuantileFrac, error) {
	if name == "median" {
		if len(e.Exprs) != 1 {
			return operators.QuantileFrac{}, sqlerr.New(sqlerr.ErrType, "median takes one argument")
		}
		return operators.QuantileFrac{Q: 0.5, Num: 5, Scale: 1, Exact: true}, nil
	}
	if len(e.Exprs) != 2 {
		return operators.QuantileFrac{}, sqlerr.New(sqlerr.ErrType, "%s takes a value and a fraction", name)
	}
	ae, ok := e.Exprs[1].(*sqlparser.AliasedExpr)
	if !ok {
		return operators.QuantileFrac{}, sqlerr.NotSupported("%s in %s()", parse.Format(e.Exprs[1]), name)
	}
	x, err := b.bindExpr(ae.Expr, &exprCtx{sc: c.agg.input, agg: c.agg})
	if err != nil {
		return operators.QuantileFrac{}, err
	}
	return fracOf(name, x, parse.Format(ae.Expr))
}

// fracOf is a quantile's fraction from its bound second argument x,
// written as text.
func fracOf(name string, x expr.Expr, text string) (operators.QuantileFrac, error) {
	lit, ok := x.(*expr.Literal)
	if !ok {
		return operators.QuantileFrac{}, sqlerr.New(sqlerr.ErrInvalidValue, "%s can only take a constant fraction, not %s", name, text)
	}
	if !lit.Value.Valid {
		return operators.QuantileFrac{}, sqlerr.New(sqlerr.ErrInvalidValue, "the fraction of %s must not be NULL", name)
	}
	var f operators.QuantileFrac
	switch lit.T.Kind {
	case types.Int64:
		f = operators.QuantileFrac{Q: float64(lit.Value.I), Num: lit.Value.I, Exact: true}
	case types.Decimal:
		f.Q = types.DecimalToFloat64(lit.Value.D, int(lit.T.Scale))
		if types.FitsInt64(lit.Value.D) && lit.T.Scale <= 18 {
			f.Num, f.Scale, f.Exact = int64(lit.Value.D.LowBits()), lit.T.Scale, true
		}
	case types.Float64:
		f.Q = lit.Value.F
	default:
		return operators.QuantileFrac{}, sqlerr.New(sqlerr.ErrType, "the fraction of %s must be a number, not %s", name, lit.T)
	}
	if !(math.Abs(f.Q) <= 1) { // NaN too
		return operators.QuantileFrac{}, sqlerr.New(sqlerr.ErrInvalidValue, "the fraction of %s must be between -1 and 1, not %s", name, text)
	}
	if f.Q < 0 || f.Num < 0 {
		f.Desc, f.Q, f.Num = true, -f.Q, -f.Num
	}
	return f, nil
}

// quantileArg types a quantile's argument as DuckDB does: median is
// quantile_cont for numbers and quantile_disc for what has no arithmetic
// (VARCHAR, BOOLEAN); quantile_cont interpolates integers as DOUBLE and
// decimals and timestamps in their type, and dates as TIMESTAMPs.
func quantileArg(name string, kind operators.AggKind, arg expr.Expr) (operators.AggKind, expr.Expr, error) {
	t := arg.Type()
	if name == "median" && (t.Kind == types.String || t.Kind == types.Bool) {
		return operators.AggQuantileDisc, arg, nil
	}
	if kind != operators.AggQuantileCont {
		return kind, arg, nil
	}
	switch t.Kind {
	case types.Int64, types.Null:
		x, err := castTo(arg, types.Float64Type)
		return kind, x, err
	case types.Date:
		x, err := castTo(arg, types.TimestampType)
		return kind, x, err
	}
	return kind, arg, nil
}
