package binder

import (
	"math"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// bindFrame binds the pre-lexer's __frame('rows', kind, offset, kind,
// offset) against the window's ORDER BY (bound before it).
func bindFrame(args []expr.Expr, order []plan.SortItem) (*plan.Frame, error) {
	words := make([]string, 0, 3)
	for _, i := range []int{0, 1, 3} {
		lit, ok := args[min(i, len(args)-1)].(*expr.Literal)
		if len(args) != 5 || !ok || lit.T.Kind != types.String {
			return nil, sqlerr.New(sqlerr.ErrInternal, "window frame of %d arguments", len(args))
		}
		words = append(words, lit.Value.S)
	}
	f := &plan.Frame{Range: words[0] == "range", Groups: words[0] == "groups", Start: plan.FrameBound{Kind: words[1]}, End: plan.FrameBound{Kind: words[2]}}
	for i, b := range []*plan.FrameBound{&f.Start, &f.End} {
		if b.Kind != "preceding" && b.Kind != "following" {
			continue
		}
		var err error
		if f.Range {
			b.Offset, err = rangeOffset(args[2+2*i], order)
		} else {
			b.Offset, err = rowsOffset(args[2+2*i], words[0])
		}
		if err != nil {
			return nil, err
		}
	}
	return f, nil
}

// rowsOffset is a ROWS or GROUPS frame's offset: a non-negative integer
// constant (DuckDB also takes expressions, and makes a negative offset an
// empty frame; PostgreSQL rejects a negative one, and so does minisql).
func rowsOffset(e expr.Expr, mode string) (*expr.Literal, error) {
	lit, ok := e.(*expr.Literal)
	if !ok || lit.T.Kind != types.Int64 || !lit.Value.Valid || lit.Value.I < 0 {
		return nil, sqlerr.New(sqlerr.ErrType, "the offset of a %s frame must be a non-negative integer constant, not %s", strings.ToUpper(mode), e)
	}
	return lit, nil
}

// rangeOffset is a RANGE frame's offset, a non-negative numeric constant,
// in the type of the single order key it is added to: a BIGINT key (or a
// DATE's days) takes the offset's integer part and a DECIMAL key its
// digits down to the key's scale, since keys have no finer values that
// the dropped part could separate.
func rangeOffset(e expr.Expr, order []plan.SortItem) (*expr.Literal, error) {
	if len(order) != 1 {
		return nil, sqlerr.New(sqlerr.ErrType, "a RANGE frame with an offset needs exactly one ORDER BY expression, not %d", len(order))
	}
	key := order[0].Expr.Type()
	lit, ok := e.(*expr.Literal)
	if ok && lit.T.Kind == types.Interval {
		return intervalOffset(lit, key)
	}
	if key.Kind == types.Timestamp {
		return nil, sqlerr.New(sqlerr.ErrType, "the offset of a RANGE frame over a TIMESTAMP must be an INTERVAL, not %s", e)
	}
	if !ok || !lit.Value.Valid || !lit.T.IsNumeric() || lit.Value.I < 0 || lit.Value.F < 0 || lit.Value.D.Sign() < 0 {
		return nil, sqlerr.New(sqlerr.ErrType, "the offset of a RANGE frame must be a non-negative numeric constant, not %s", e)
	}
	v := lit.Value
	switch key.Kind {
	case types.Float64:
		f := v.F
		switch lit.T.Kind {
		case types.Int64:
			f = float64(v.I)
		case types.Decimal:
			f = v.D.ToFloat64(int32(lit.T.Scale))
		}
		return &expr.Literal{Value: expr.Datum{Valid: true, F: f}, T: types.Float64Type}, nil
	case types.Int64, types.Date, types.Decimal:
		scale := 0
		if key.Kind == types.Decimal {
			scale = int(key.Scale)
		}
		d, ok := scaledDown(lit, scale)
		if !ok || key.Kind != types.Decimal && !types.FitsInt64(d) {
			return nil, sqlerr.New(sqlerr.ErrOverflow, "the RANGE frame offset %s is out of range", e)
		}
		if key.Kind != types.Decimal {
			return &expr.Literal{Value: expr.Datum{Valid: true, I: int64(d.LowBits())}, T: types.Int64Type}, nil
		}
		return &expr.Literal{Value: expr.Datum{Valid: true, D: d}, T: types.DecimalType(types.MaxDecimalPrecision, scale)}, nil
	}
	return nil, sqlerr.New(sqlerr.ErrType, "a RANGE frame with an offset needs a numeric or date ORDER BY key, not %s", key)
}

// intervalOffset checks an INTERVAL offset: over a DATE or TIMESTAMP key,
// and not negative (a negative part would move a frame edge backwards).
func intervalOffset(lit *expr.Literal, key types.T) (*expr.Literal, error) {
	if key.Kind != types.Date && key.Kind != types.Timestamp {
		return nil, sqlerr.New(sqlerr.ErrType, "a RANGE frame with an INTERVAL offset needs a DATE or TIMESTAMP ORDER BY key, not %s", key)
	}
	if v := lit.Value; !v.Valid || v.Months < 0 || v.Days < 0 || v.Micros < 0 {
		return nil, sqlerr.New(sqlerr.ErrType, "the offset of a RANGE frame must not be negative, not %s", lit)
	}
	return lit, nil
}

// scaledDown is the non-negative numeric literal lit times 10^scale,
// rounded down to an integer.
func scaledDown(lit *expr.Literal, scale int) (decimal128.Num, bool) {
	v := lit.Value
	switch lit.T.Kind {
	case types.Int64:
		d, ovf := types.MulInt128(decimal128.FromI64(v.I), types.Pow10(scale))
		return d, !ovf
	case types.Decimal:
		from := int(lit.T.Scale)
		if from >= scale {
			q, _ := v.D.Div(types.Pow10(from - scale))
			return q, true
		}
		d, ovf := types.MulInt128(v.D, types.Pow10(scale-from))
		return d, !ovf
	}
	f := math.Floor(v.F * math.Pow10(scale))
	if f >= 1e37 || math.IsNaN(f) {
		return decimal128.Num{}, false
	}
	d, err := decimal128.FromFloat64(f, 38, 0)
	return d, err == nil
}

// effectiveFrame is the frame a call computes over: none for the
// functions that ignore frames, and none when the frame is the default
// one (RANGE from UNBOUNDED PRECEDING to CURRENT ROW, which is the whole
// partition without an ORDER BY, as is a RANGE frame from UNBOUNDED
// PRECEDING to UNBOUNDED FOLLOWING).
func effectiveFrame(fn plan.WindowFunc, f *plan.Frame, ordered bool) *plan.Frame {
	if operators.FramedStatistic(string(fn)) {
		// Computed per row over a frame, or per partition without one:
		// an ORDER BY's default frame is made explicit.
		if f == nil && ordered {
			return &plan.Frame{Range: true, Start: plan.FrameBound{Kind: "unbounded preceding"}, End: plan.FrameBound{Kind: "current row"}}
		}
		return f
	}
	switch fn {
	case plan.WinCountStar, plan.WinCount, plan.WinSum, plan.WinAvg, plan.WinMin, plan.WinMax,
		plan.WinFirstValue, plan.WinLastValue, plan.WinNthValue:
	default:
		return nil
	}
	if f == nil || !f.Range || f.Start.Kind != "unbounded preceding" {
		return f
	}
	if f.End.Kind == "current row" || !ordered && f.End.Kind == "unbounded following" {
		return nil
	}
	return f
}
