package binder

import (
	"math"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// decimalOf is the decimal type an operand takes in decimal arithmetic.
// As in DuckDB, an integer literal that fits 32 bits is an INTEGER, which
// is DECIMAL(10,0); other integers are DECIMAL(19,0).
func decimalOf(e expr.Expr) types.T {
	t := e.Type()
	if t.Kind != types.Int64 {
		return t
	}
	if lit, ok := e.(*expr.Literal); ok && lit.Value.Valid && lit.Value.I >= math.MinInt32 && lit.Value.I <= math.MaxInt32 {
		return types.DecimalType(10, 0)
	}
	return types.DecimalType(19, 0)
}

// commonDecimal is the narrowest decimal holding both a and b exactly
// (precision capped at 38).
func commonDecimal(a, b types.T) types.T {
	s := max(a.Scale, b.Scale)
	intDigits := max(int(a.Precision)-int(a.Scale), int(b.Precision)-int(b.Scale))
	return types.T{Kind: types.Decimal, Precision: uint8(min(intDigits+int(s), types.MaxDecimalPrecision)), Scale: s}
}

// commonType is the type two values are compared or unified (CASE, UNION,
// IN) in. Strings meet dates and numbers only as literals, which are cast.
func commonType(l, r expr.Expr) (types.T, bool) {
	a, b := l.Type(), r.Type()
	switch {
	case a == b:
		return a, true
	case a.Kind == types.Null:
		return b, true
	case b.Kind == types.Null:
		return a, true
	case a.IsNumeric() && b.IsNumeric():
		if a.Kind == types.Float64 || b.Kind == types.Float64 {
			return types.Float64Type, true
		}
		if a.Kind == types.Int64 && b.Kind == types.Int64 {
			return types.Int64Type, true
		}
		return commonDecimal(decimalOf(l), decimalOf(r)), true
	case a.Kind == types.Date && b.Kind == types.Timestamp, a.Kind == types.Timestamp && b.Kind == types.Date:
		return types.TimestampType, true // a date is its midnight, as in DuckDB
	case a.Kind == types.String && isLiteral(l) && b.Kind != types.String:
		return b, true
	case b.Kind == types.String && isLiteral(r) && a.Kind != types.String:
		return a, true
	}
	return types.T{}, false
}

func isLiteral(e expr.Expr) bool {
	_, ok := e.(*expr.Literal)
	return ok
}

// castTo converts e to type t, folding casts of literals right away so that
// kernels see typed constants (and bad literals fail at bind time).
func castTo(e expr.Expr, t types.T) (expr.Expr, error) {
	from := e.Type()
	if from == t {
		return e, nil
	}
	if !expr.CanCast(from, t) {
		return nil, sqlerr.New(sqlerr.ErrType, "cannot convert %s to %s", from, t)
	}
	if lit, ok := e.(*expr.Literal); ok {
		d, err := expr.CastDatum(lit.Value, from, t)
		if err != nil {
			return nil, err
		}
		return &expr.Literal{Value: d, T: t}, nil
	}
	return &expr.Cast{X: e, To: t}, nil
}

// unify casts every expression to their common type.
func unify(es []expr.Expr, what string) ([]expr.Expr, types.T, error) {
	var acc expr.Expr // stands for the members seen so far
	for _, e := range es {
		if e.Type().Kind == types.Null {
			continue
		}
		if acc == nil {
			acc = e
			continue
		}
		t, ok := commonType(acc, e)
		if !ok {
			return nil, types.T{}, sqlerr.New(sqlerr.ErrType, "%s mixes %s and %s", what, acc.Type(), e.Type())
		}
		if t != acc.Type() {
			if isLiteral(acc) && isLiteral(e) {
				acc = &expr.Literal{T: t}
			} else {
				acc = &expr.ColumnRef{T: t, Index: -1}
			}
		}
	}
	t := types.NullType
	if acc != nil {
		t = acc.Type()
	}
	out := make([]expr.Expr, len(es))
	for i, e := range es {
		c, err := castTo(e, t)
		if err != nil {
			return nil, types.T{}, err
		}
		out[i] = c
	}
	return out, t, nil
}

// comparison builds l op r with both sides coerced to a common type.
func (b *binder) comparison(op expr.BinOp, l, r expr.Expr) (expr.Expr, error) {
	t, ok := commonType(l, r)
	if !ok {
		return nil, sqlerr.New(sqlerr.ErrType, "cannot compare %s and %s", l.Type(), r.Type())
	}
	if t.Kind == types.Interval {
		return nil, sqlerr.NotSupported("comparing intervals")
	}
	lc, err := castTo(l, t)
	if err != nil {
		return nil, err
	}
	rc, err := castTo(r, t)
	if err != nil {
		return nil, err
	}
	return &expr.Binary{Op: op, L: lc, R: rc, T: types.BoolType}, nil
}

// arithmetic builds l op r for + - * / DIV %, with DuckDB's typing: integer
// arithmetic stays BIGINT except '/', which is DOUBLE; decimals are exact
// (+ and - at the larger scale, * at the sum of the scales, / in DOUBLE);
// anything with a DOUBLE is DOUBLE. DATE +/- INTERVAL and +/- days work too.
func (b *binder) arithmetic(op expr.BinOp, l, r expr.Expr) (expr.Expr, error) {
	lt, rt := l.Type(), r.Type()
	if lt.Kind == types.Null && rt.Kind == types.Null {
		return &expr.Literal{T: types.Int64Type}, nil
	}
	if lt.Kind == types.Timestamp || rt.Kind == types.Timestamp || hasTimeOfDay(l) || hasTimeOfDay(r) {
		return b.timestampArithmetic(op, l, r)
	}
	if lt.Kind == types.Date || rt.Kind == types.Date || lt.Kind == types.Interval || rt.Kind == types.Interval {
		return b.dateArithmetic(op, l, r)
	}
	if lt.Kind == types.Null {
		l, lt = &expr.Literal{T: rt}, rt
	}
	if rt.Kind == types.Null {
		r, rt = &expr.Literal{T: lt}, lt
	}
	if !lt.IsNumeric() || !rt.IsNumeric() {
		return nil, sqlerr.New(sqlerr.ErrType, "operator %s is not defined for %s and %s", op, lt, rt)
	}
	switch {
	case lt.Kind == types.Float64 || rt.Kind == types.Float64 || op == expr.OpDiv:
		if op == expr.OpIntDiv {
			return nil, intDivError(lt, rt)
		}
		return b.binaryAs(op, l, r, types.Float64Type, types.Float64Type)
	case lt.Kind == types.Int64 && rt.Kind == types.Int64:
		return &expr.Binary{Op: op, L: l, R: r, T: types.Int64Type}, nil
	}
	if op == expr.OpIntDiv {
		return nil, intDivError(lt, rt)
	}
	dl, dr := decimalOf(l), decimalOf(r)
	switch op {
	case expr.OpAdd, expr.OpSub, expr.OpMod:
		res := types.DecimalAddType(dl, dr)
		if op == expr.OpMod { // the remainder is no wider than its operands
			res = commonDecimal(dl, dr)
		}
		lc, err := castTo(l, widenTo(dl, res.Scale))
		if err != nil {
			return nil, err
		}
		rc, err := castTo(r, widenTo(dr, res.Scale))
		if err != nil {
			return nil, err
		}
		return &expr.Binary{Op: op, L: lc, R: rc, T: res}, nil
	case expr.OpMul:
		res, ok := types.DecimalMulType(dl, dr)
		if !ok {
			return b.binaryAs(op, l, r, types.Float64Type, types.Float64Type)
		}
		lc, err := castTo(l, dl)
		if err != nil {
			return nil, err
		}
		rc, err := castTo(r, dr)
		if err != nil {
			return nil, err
		}
		return &expr.Binary{Op: op, L: lc, R: rc, T: res}, nil
	}
	return nil, sqlerr.New(sqlerr.ErrType, "operator %s is not defined for %s and %s", op, lt, rt)
}

// widenTo returns t with its scale raised to s, keeping its integer digits.
func widenTo(t types.T, s uint8) types.T {
	p := int(t.Precision) - int(t.Scale) + int(s)
	return types.T{Kind: types.Decimal, Precision: uint8(min(p, types.MaxDecimalPrecision)), Scale: s}
}

func (b *binder) binaryAs(op expr.BinOp, l, r expr.Expr, operand, result types.T) (expr.Expr, error) {
	lc, err := castTo(l, operand)
	if err != nil {
		return nil, err
	}
	rc, err := castTo(r, operand)
	if err != nil {
		return nil, err
	}
	return &expr.Binary{Op: op, L: lc, R: rc, T: result}, nil
}

func (b *binder) dateArithmetic(op expr.BinOp, l, r expr.Expr) (expr.Expr, error) {
	lt, rt := l.Type(), r.Type()
	// An untyped NULL takes DuckDB's type: a number of days in date +/-
	// NULL and NULL + date (a DATE result), a date in NULL - date (a
	// BIGINT of days).
	if op == expr.OpAdd || op == expr.OpSub {
		switch {
		case lt.Kind == types.Null && rt.Kind == types.Date && op == expr.OpSub:
			l, lt = &expr.Literal{T: types.DateType}, types.DateType
		case lt.Kind == types.Null && rt.Kind == types.Date:
			l, lt = &expr.Literal{T: types.Int64Type}, types.Int64Type
		case lt.Kind == types.Date && rt.Kind == types.Null:
			r, rt = &expr.Literal{T: types.Int64Type}, types.Int64Type
		}
	}
	fn := func(name string, args ...expr.Expr) (expr.Expr, error) { return b.call(name, args) }
	switch {
	case lt.Kind == types.Date && rt.Kind == types.Interval && op == expr.OpAdd:
		return fn("date_add", l, r)
	case lt.Kind == types.Interval && rt.Kind == types.Date && op == expr.OpAdd:
		return fn("date_add", r, l)
	case lt.Kind == types.Date && rt.Kind == types.Interval && op == expr.OpSub:
		return fn("date_sub", l, r)
	case lt.Kind == types.Date && rt.Kind == types.Int64 && op == expr.OpAdd:
		return fn("date_add_days", l, r)
	case lt.Kind == types.Int64 && rt.Kind == types.Date && op == expr.OpAdd:
		return fn("date_add_days", r, l)
	case lt.Kind == types.Date && rt.Kind == types.Int64 && op == expr.OpSub:
		neg, err := b.arithmetic(expr.OpSub, &expr.Literal{Value: expr.IntDatum(0), T: types.Int64Type}, r)
		if err != nil {
			return nil, err
		}
		return fn("date_add_days", l, neg)
	case lt.Kind == types.Date && rt.Kind == types.Date && op == expr.OpSub:
		return fn("date_diff_days", l, r)
	case lt.Kind == types.Date && rt.Kind == types.String && isLiteral(r):
		// '1995-01-01' style literal on the other side of a date: no.
	}
	return nil, sqlerr.New(sqlerr.ErrType, "operator %s is not defined for %s and %s", op, lt, rt)
}

// call binds a scalar function from the registry, casting its arguments.
func (b *binder) call(name string, args []expr.Expr) (expr.Expr, error) {
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	sig, err := expr.ResolveFunc(name, ts)
	if err != nil {
		return nil, sqlerr.WithPos(err, -1)
	}
	out := make([]expr.Expr, len(args))
	for i, a := range args {
		if !sig.Lenient && !implicitCast(a, sig.Params[i]) {
			return nil, sqlerr.New(sqlerr.ErrType, "%s(): argument %d is %s, expected %s", name, i+1, a.Type(), sig.Params[i])
		}
		c, err := castTo(a, sig.Params[i])
		if err != nil {
			return nil, sqlerr.New(sqlerr.ErrType, "%s(): argument %d: %v", name, i+1, err)
		}
		out[i] = c
	}
	return &expr.Func{Name: name, Args: out, T: sig.Ret}, nil
}

// implicitCast reports whether e may be converted to t without a CAST:
// numbers widen (BIGINT to DECIMAL or DOUBLE, DECIMAL to DOUBLE or another
// DECIMAL), NULL becomes anything, and a string literal is read as the
// type it meets ('2024-01-01' as a DATE). Anything else, such as a number
// given to a string function, is a type error, as in DuckDB.
func implicitCast(e expr.Expr, t types.T) bool {
	from := e.Type()
	switch {
	case from == t, from.Kind == types.Null:
		return true
	case from.Kind == types.Int64 && (t.Kind == types.Decimal || t.Kind == types.Float64):
		return true
	case from.Kind == types.Decimal && (t.Kind == types.Decimal || t.Kind == types.Float64):
		return true
	case from.Kind == types.Date && t.Kind == types.Timestamp:
		return true
	case from.Kind == types.String && isLiteral(e):
		return true
	}
	return false
}

// intDivError refuses DIV (and DuckDB's //) over non-integers. DuckDB's //
// divides such operands exactly and MySQL's DIV truncates them: rather than
// pick one, minisql asks for an explicit CAST or /.
func intDivError(lt, rt types.T) error {
	return sqlerr.New(sqlerr.ErrType, "integer division (DIV, //) needs integers, not %s and %s (use / or CAST)", lt, rt)
}
