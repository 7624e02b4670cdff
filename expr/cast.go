package expr

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

type castEval struct {
	x        Evaluator
	from, to types.T
	try      bool
}

func compileCast(e *Cast) (Evaluator, error) {
	x, err := Compile(e.X)
	if err != nil {
		return nil, err
	}
	from := e.X.Type()
	if !CanCast(from, e.To) {
		return nil, sqlerr.New(sqlerr.ErrType, "cannot cast %s to %s", from, e.To)
	}
	return &castEval{x: x, from: from, to: e.To, try: e.Try}, nil
}

// CanCast reports whether CAST(from AS to) is defined.
func CanCast(from, to types.T) bool {
	if to.Kind == types.Interval || to.Kind == types.Null {
		return from == to
	}
	if from == to || from.Kind == types.Null || from.Kind == types.String || to.Kind == types.String {
		return true
	}
	switch from.Kind {
	case types.Int64, types.Float64, types.Decimal:
		return to.IsNumeric() || to.Kind == types.Bool
	case types.Bool:
		return to.Kind == types.Int64 || to.Kind == types.Float64 || to.Kind == types.Bool
	case types.Date, types.Timestamp:
		return to.Kind == types.Date || to.Kind == types.Timestamp
	}
	return false
}

func (c *castEval) Type() types.T { return c.to }

func (c *castEval) Eval(env Env, batch arrow.Record) (Vec, error) {
	v, err := c.x.Eval(env, batch)
	if err != nil {
		return Vec{}, err
	}
	if v.IsConst() {
		d, err := CastDatum(v.Const, c.from, c.to)
		if err != nil && c.try {
			return Vec{Const: Null}, nil
		}
		return Vec{Const: d}, err
	}
	defer v.Release()
	if err := env.Spend(v.Arr.Len()); err != nil {
		return Vec{}, err
	}
	arr, err := CastArray(env.Alloc(), v.Arr, c.from, c.to)
	if err != nil && c.try {
		return c.tryRows(env, v.Arr)
	}
	return Vec{Arr: arr}, err
}

// tryRows is TRY_CAST of a batch in which some value does not convert:
// row by row, NULL for each that fails. The batch-at-a-time kernels stop
// at the first failure; this path runs only for batches that have one.
func (c *castEval) tryRows(env Env, a arrow.Array) (Vec, error) {
	b := array.NewBuilder(env.Alloc(), c.to.Arrow())
	defer b.Release()
	b.Reserve(a.Len())
	for i := 0; i < a.Len(); i++ {
		d, err := CastDatum(DatumAt(a, c.from, i), c.from, c.to)
		if err != nil {
			d = Null
		}
		AppendDatum(b, d, c.to)
		if err := env.Spend(8); err != nil {
			return Vec{}, err
		}
	}
	return Vec{Arr: b.NewArray()}, nil
}

// CastDatum converts one value; it is the row-at-a-time definition that
// CastArray follows.
func CastDatum(d Datum, from, to types.T) (Datum, error) {
	if !d.Valid || from == to {
		return d, nil
	}
	bad := func() error { return castErr(d.Text(from), to) }
	switch to.Kind {
	case types.Int64:
		switch from.Kind {
		case types.Float64:
			r := math.RoundToEven(d.F) // as DuckDB and PostgreSQL
			if math.IsNaN(r) || r < -9.223372036854775808e18 || r >= 9.223372036854775808e18 {
				return Null, castOverflow(d.Text(from), to)
			}
			return IntDatum(int64(r)), nil
		case types.Decimal:
			r := types.DivRoundInt128(d.D, types.Pow10(int(from.Scale)))
			if !types.FitsInt64(r) {
				return Null, castOverflow(d.Text(from), to)
			}
			return IntDatum(int64(r.LowBits())), nil
		case types.Bool:
			return IntDatum(d.I), nil
		case types.String:
			txt := strings.TrimSpace(d.S)
			if v, err := strconv.ParseInt(txt, 10, 64); err == nil {
				return IntDatum(v), nil
			}
			// '1.5' is a number too: round it as a DOUBLE would be.
			f, err := strconv.ParseFloat(txt, 64)
			if err != nil {
				return Null, bad()
			}
			return CastDatum(FloatDatum(f), types.Float64Type, to)
		}
	case types.Float64:
		switch from.Kind {
		case types.Int64:
			return FloatDatum(float64(d.I)), nil
		case types.Decimal:
			return FloatDatum(types.DecimalToFloat64(d.D, int(from.Scale))), nil
		case types.String:
			v, err := strconv.ParseFloat(strings.TrimSpace(d.S), 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) { // 1e400 is inf, as in DuckDB
				return Null, bad()
			}
			return FloatDatum(v), nil
		case types.Bool:
			return FloatDatum(float64(d.I)), nil
		}
	case types.Decimal:
		var n decimal128.Num
		ok := true
		switch from.Kind {
		case types.Int64:
			n, ok = types.RescaleDecimal(decimal128.FromI64(d.I), 0, int(to.Scale))
		case types.Decimal:
			n, ok = types.RescaleDecimal(d.D, int(from.Scale), int(to.Scale))
		case types.Float64:
			n, ok = float64ToDecimal(d.F, int(to.Precision), int(to.Scale))
		case types.String:
			v, t, err := types.ParseDecimal(d.S)
			if err != nil {
				return Null, bad()
			}
			n, ok = types.RescaleDecimal(v, int(t.Scale), int(to.Scale))
		default:
			return Null, castErr(d.Text(from), to)
		}
		if !ok || !types.FitsPrecision(n, int(to.Precision)) {
			return Null, castOverflow(d.Text(from), to)
		}
		return DecDatum(n), nil
	case types.String:
		if from.Kind == types.Float64 {
			return StrDatum(FloatText(d.F)), nil
		}
		return StrDatum(d.Text(from)), nil
	case types.Date:
		switch from.Kind {
		case types.String:
			days, err := types.ParseDate(strings.TrimSpace(d.S))
			if err != nil {
				return Null, bad()
			}
			return DateDatum(days), nil
		case types.Timestamp:
			days, _ := types.SplitTimestamp(d.I)
			return DateDatum(int32(days)), nil
		}
	case types.Timestamp:
		switch from.Kind {
		case types.String:
			us, err := types.ParseTimestamp(d.S)
			if err != nil {
				return Null, sqlerr.New(sqlerr.ErrInvalidValue, "%v", err)
			}
			return TimestampDatum(us), nil
		case types.Date:
			us, ok := types.TimestampFromDays(int32(d.I))
			if !ok {
				return Null, castOverflow(d.Text(from), to)
			}
			return TimestampDatum(us), nil
		}
	case types.Bool:
		switch from.Kind {
		case types.Int64:
			return BoolDatum(d.I != 0), nil
		case types.Float64:
			return BoolDatum(d.F != 0), nil
		case types.Decimal:
			return BoolDatum(d.D != decimal128.Num{}), nil
		case types.String:
			switch strings.ToLower(strings.TrimSpace(d.S)) {
			case "true", "t", "1", "yes", "y":
				return BoolDatum(true), nil
			case "false", "f", "0", "no", "n":
				return BoolDatum(false), nil
			}
			return Null, bad()
		}
	}
	return Null, sqlerr.New(sqlerr.ErrType, "cannot cast %s to %s", from, to)
}

// float64ToDecimal converts f to DECIMAL(prec, scale), rounding the exact
// binary value half away from zero. (types.Float64ToDecimal multiplies in
// floating point and, past 2^62, goes through arrow's FromFloat64: at
// large scales the last digits came out wrong, -1659.25 as DECIMAL(24,20)
// was -1659.25000000000009175040.) The float product is used only where it
// cannot round differently from the exact one: small, and not near a tie.
func float64ToDecimal(f float64, prec, scale int) (decimal128.Num, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return decimal128.Num{}, false
	}
	if scale <= 22 { // 10^scale is exact
		x := f * math.Pow10(scale)
		if _, frac := math.Modf(math.Abs(x)); math.Abs(x) < 1<<40 && math.Abs(frac-0.5) > 1e-3 {
			n := decimal128.FromI64(int64(math.Round(x)))
			return n, types.FitsPrecision(n, prec)
		}
	}
	q := new(big.Rat).SetFloat64(f)
	q.Mul(q, new(big.Rat).SetInt(types.Pow10(scale).BigInt()))
	// Round half away from zero: (2|num| + den) / 2den, with the sign.
	num, den := new(big.Int).Abs(q.Num()), new(big.Int).Set(q.Denom())
	num.Add(num.Lsh(num, 1), den)
	num.Quo(num, den.Lsh(den, 1))
	if q.Sign() < 0 {
		num.Neg(num)
	}
	if num.BitLen() > 126 {
		return decimal128.Num{}, false
	}
	n := decimal128.FromBigInt(num)
	return n, types.FitsPrecision(n, prec)
}

func castErr(text string, to types.T) error {
	return sqlerr.New(sqlerr.ErrInvalidValue, "could not convert %q to %s", text, to)
}

func castOverflow(text string, to types.T) error {
	return sqlerr.New(sqlerr.ErrOverflow, "value %s is out of range for %s", text, to)
}

// CastArray converts an array of type from to type to. Conversions between
// numeric types run as tight loops; the rest go row by row through
// CastDatum, which is fine for the string parsing they do.
func CastArray(mem memory.Allocator, a arrow.Array, from, to types.T) (arrow.Array, error) {
	n := a.Len()
	if from == to {
		a.Retain()
		return a, nil
	}
	if from.Kind == types.Null || a.NullN() == n {
		return NullArray(mem, to, n), nil
	}
	switch {
	case from.Kind == types.Int64 && to.Kind == types.Float64:
		buf, out := vector.AllocValues[float64](mem, n)
		for i, v := range a.(*array.Int64).Int64Values() {
			out[i] = float64(v)
		}
		validity, nulls := vector.Validity(mem, n, a)
		return vector.NewFixedArray(to.Arrow(), n, validity, nulls, buf), nil
	case from.Kind == types.Decimal && to.Kind == types.Float64:
		buf, out := vector.AllocValues[float64](mem, n)
		for i, v := range a.(*array.Decimal128).Values() {
			out[i] = types.DecimalToFloat64(v, int(from.Scale))
		}
		validity, nulls := vector.Validity(mem, n, a)
		return vector.NewFixedArray(to.Arrow(), n, validity, nulls, buf), nil
	case from.Kind == types.Int64 && to.Kind == types.Decimal:
		return castInt64ToDecimal(mem, a.(*array.Int64), to)
	case from.Kind == types.Decimal && to.Kind == types.Decimal:
		return castDecimalToDecimal(mem, a.(*array.Decimal128), from, to)
	case from.Kind == types.Date && to.Kind == types.Timestamp:
		buf, out := vector.AllocValues[arrow.Timestamp](mem, n)
		for i, d := range a.(*array.Date32).Date32Values() {
			us, ok := types.TimestampFromDays(int32(d))
			if !ok && a.IsValid(i) {
				buf.Release()
				return nil, castOverflow(types.FormatDate(int32(d)), to)
			}
			out[i] = arrow.Timestamp(us)
		}
		validity, nulls := vector.Validity(mem, n, a)
		return vector.NewFixedArray(to.Arrow(), n, validity, nulls, buf), nil
	case from.Kind == types.Timestamp && to.Kind == types.Date:
		buf, out := vector.AllocValues[arrow.Date32](mem, n)
		for i, t := range a.(*array.Timestamp).TimestampValues() {
			days, _ := types.SplitTimestamp(int64(t))
			out[i] = arrow.Date32(days)
		}
		validity, nulls := vector.Validity(mem, n, a)
		return vector.NewFixedArray(to.Arrow(), n, validity, nulls, buf), nil
	}
	return castRows(mem, a, from, to)
}

func castInt64ToDecimal(mem memory.Allocator, a *array.Int64, to types.T) (arrow.Array, error) {
	n := a.Len()
	buf, out := vector.AllocValues[decimal128.Num](mem, n)
	scale := types.Pow10(int(to.Scale))
	for i, v := range a.Int64Values() {
		r, ovf := types.MulInt128(decimal128.FromI64(v), scale)
		if (ovf || !types.FitsPrecision(r, int(to.Precision))) && a.IsValid(i) {
			buf.Release()
			return nil, castOverflow(strconv.FormatInt(v, 10), to)
		}
		out[i] = r
	}
	validity, nulls := vector.Validity(mem, n, a)
	return vector.NewFixedArray(to.Arrow(), n, validity, nulls, buf), nil
}

func castDecimalToDecimal(mem memory.Allocator, a *array.Decimal128, from, to types.T) (arrow.Array, error) {
	n := a.Len()
	fs, ts := int(from.Scale), int(to.Scale)
	// Check values only when the target may have fewer integer digits
	// than the source: rounding off scale can carry into one more digit
	// (9.99 is 10 as DECIMAL(2,0)).
	fromInt := int(from.Precision) - fs
	if ts < fs {
		fromInt++
	}
	needCheck := int(to.Precision)-ts < fromInt
	if fs == ts && !needCheck {
		// Only the precision widens (a column compared with a constant of
		// another precision): the values are already right, share them.
		return retype(a, to.Arrow()), nil
	}
	buf, out := vector.AllocValues[decimal128.Num](mem, n)
	for i, v := range a.Values() {
		r, ok := types.RescaleDecimal(v, fs, ts)
		if (!ok || needCheck && !types.FitsPrecision(r, int(to.Precision))) && a.IsValid(i) {
			buf.Release()
			return nil, castOverflow(types.FormatDecimal(v, fs), to)
		}
		out[i] = r
	}
	validity, nulls := vector.Validity(mem, n, a)
	return vector.NewFixedArray(to.Arrow(), n, validity, nulls, buf), nil
}

// retype returns a's values and validity under another type of the same
// physical layout, without copying.
func retype(a arrow.Array, dt arrow.DataType) arrow.Array {
	d := a.Data()
	nd := array.NewData(dt, d.Len(), d.Buffers(), nil, d.NullN(), d.Offset())
	defer nd.Release()
	return array.MakeFromData(nd)
}

func castRows(mem memory.Allocator, a arrow.Array, from, to types.T) (arrow.Array, error) {
	b := array.NewBuilder(mem, to.Arrow())
	defer b.Release()
	b.Reserve(a.Len())
	for i := 0; i < a.Len(); i++ {
		d, err := CastDatum(DatumAt(a, from, i), from, to)
		if err != nil {
			return nil, err
		}
		AppendDatum(b, d, to)
	}
	return b.NewArray(), nil
}

// AppendDatum appends d to a builder of type t.
func AppendDatum(b array.Builder, d Datum, t types.T) {
	if !d.Valid {
		b.AppendNull()
		return
	}
	switch t.Kind {
	case types.Int64:
		b.(*array.Int64Builder).Append(d.I)
	case types.Float64:
		b.(*array.Float64Builder).Append(d.F)
	case types.Decimal:
		b.(*array.Decimal128Builder).Append(d.D)
	case types.String:
		b.(*array.StringBuilder).Append(d.S)
	case types.Date:
		b.(*array.Date32Builder).Append(arrow.Date32(d.I))
	case types.Timestamp:
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(d.I))
	case types.Bool:
		b.(*array.BooleanBuilder).Append(d.Bool())
	default:
		b.AppendNull()
	}
}
