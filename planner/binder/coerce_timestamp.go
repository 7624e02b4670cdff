package binder

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// hasTimeOfDay reports whether e is an INTERVAL with hours, minutes or
// seconds: a date plus one is a TIMESTAMP, as in DuckDB.
func hasTimeOfDay(e expr.Expr) bool {
	lit, ok := e.(*expr.Literal)
	return ok && lit.T.Kind == types.Interval && lit.Value.Micros != 0
}

// timestampArithmetic binds TIMESTAMP +/- INTERVAL (and DATE +/- an
// INTERVAL with a time of day). TIMESTAMP - TIMESTAMP is an INTERVAL in
// DuckDB, which minisql has no column type for.
func (b *binder) timestampArithmetic(op expr.BinOp, l, r expr.Expr) (expr.Expr, error) {
	lt, rt := l.Type(), r.Type()
	toTS := func(e expr.Expr) (expr.Expr, error) {
		if e.Type().Kind == types.Date || e.Type().Kind == types.Null {
			return castTo(e, types.TimestampType)
		}
		return e, nil
	}
	var ts, iv expr.Expr
	switch {
	case rt.Kind == types.Interval && (op == expr.OpAdd || op == expr.OpSub):
		ts, iv = l, r
	case lt.Kind == types.Interval && op == expr.OpAdd:
		ts, iv = r, l
	case lt.Kind == types.Timestamp && rt.Kind == types.Timestamp && op == expr.OpSub,
		lt.Kind == types.Timestamp && rt.Kind == types.Date && op == expr.OpSub,
		lt.Kind == types.Date && rt.Kind == types.Timestamp && op == expr.OpSub:
		return nil, sqlerr.NotSupported("%s - %s (an INTERVAL; use date_diff or epoch)", lt, rt)
	default:
		return nil, sqlerr.New(sqlerr.ErrType, "operator %s is not defined for %s and %s", op, lt, rt)
	}
	if k := ts.Type().Kind; k != types.Timestamp && k != types.Date && k != types.Null {
		return nil, sqlerr.New(sqlerr.ErrType, "operator %s is not defined for %s and %s", op, lt, rt)
	}
	ts, err := toTS(ts)
	if err != nil {
		return nil, err
	}
	name := "timestamp_add"
	if op == expr.OpSub {
		name = "timestamp_sub"
	}
	return b.call(name, []expr.Expr{ts, iv})
}
