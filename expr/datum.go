package expr

import (
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
)

// Datum is one SQL value of a type known from context. The zero Datum is
// NULL. Which field holds the value depends on the type's kind:
//
//	BIGINT, DATE (days), BOOLEAN (0 or 1)  I
//	TIMESTAMP (microseconds)               I
//	DOUBLE                                 F
//	DECIMAL (unscaled)                     D
//	VARCHAR                                S
//	INTERVAL                               Months, Days, Micros
type Datum struct {
	Valid  bool
	I      int64
	F      float64
	D      decimal128.Num
	S      string
	Months int32
	Days   int32
	Micros int64
}

// Null is the NULL datum.
var Null = Datum{}

// IntDatum, FloatDatum, ... build non-NULL datums.
func IntDatum(v int64) Datum          { return Datum{Valid: true, I: v} }
func FloatDatum(v float64) Datum      { return Datum{Valid: true, F: v} }
func DecDatum(v decimal128.Num) Datum { return Datum{Valid: true, D: v} }
func StrDatum(v string) Datum         { return Datum{Valid: true, S: v} }
func DateDatum(days int32) Datum      { return Datum{Valid: true, I: int64(days)} }
func TimestampDatum(us int64) Datum   { return Datum{Valid: true, I: us} }
func IntervalDatum(months, days int32, micros int64) Datum {
	return Datum{Valid: true, Months: months, Days: days, Micros: micros}
}
func BoolDatum(v bool) Datum {
	if v {
		return Datum{Valid: true, I: 1}
	}
	return Datum{Valid: true}
}

// Bool returns the value of a BOOLEAN datum.
func (d Datum) Bool() bool { return d.I != 0 }

// SQL renders the datum as an SQL literal of type t.
func (d Datum) SQL(t types.T) string {
	if !d.Valid {
		return "NULL"
	}
	switch t.Kind {
	case types.String:
		return "'" + strings.ReplaceAll(d.S, "'", "''") + "'"
	case types.Date:
		return "DATE '" + types.FormatDate(int32(d.I)) + "'"
	case types.Timestamp:
		return "TIMESTAMP '" + types.FormatTimestamp(d.I) + "'"
	case types.Interval:
		return "INTERVAL '" + d.Text(t) + "'"
	}
	return d.Text(t)
}

// Text renders the datum as output text (NULL as "NULL").
func (d Datum) Text(t types.T) string {
	if !d.Valid {
		return "NULL"
	}
	switch t.Kind {
	case types.Bool:
		if d.Bool() {
			return "true"
		}
		return "false"
	case types.Int64:
		return strconv.FormatInt(d.I, 10)
	case types.Float64:
		return FormatFloat(d.F)
	case types.Decimal:
		return types.FormatDecimal(d.D, int(t.Scale))
	case types.String:
		return d.S
	case types.Date:
		return types.FormatDate(int32(d.I))
	case types.Timestamp:
		return types.FormatTimestamp(d.I)
	case types.Interval:
		s := strconv.Itoa(int(d.Months)) + " months " + strconv.Itoa(int(d.Days)) + " days"
		if d.Micros != 0 {
			s += " " + strconv.FormatInt(d.Micros, 10) + " microseconds"
		}
		return s
	}
	return "?"
}

// FloatText is a double cast to VARCHAR, as DuckDB writes it (Python's
// repr): the shortest text that reads back to the same value, with an
// exponent below 1e-4 and from 1e16 on, and otherwise a fraction even when
// it is zero: 12.0, 1e+16, 1.234e-05, -0.0, inf, nan. (Results print with
// FormatFloat, which leaves out the zero fraction.)
func FloatText(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// FormatFloat renders a double the way minisql prints it everywhere: the
// shortest text that reads back to the same value, without an exponent
// for magnitudes in [1e-4, 1e21), and inf, -inf, nan as DuckDB writes them.
func FormatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	if a := math.Abs(f); a == 0 || (a >= 1e-4 && a < 1e21) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// DatumAt reads row i of an array of logical type t. A string is copied:
// Arrow's Value points into the array's buffer, which a pooled allocator
// reuses once the array is released, and a datum may outlive its array.
func DatumAt(arr arrow.Array, t types.T, i int) Datum {
	if arr.IsNull(i) {
		return Null
	}
	switch t.Kind {
	case types.Bool:
		return BoolDatum(arr.(*array.Boolean).Value(i))
	case types.Int64:
		return IntDatum(arr.(*array.Int64).Value(i))
	case types.Float64:
		return FloatDatum(arr.(*array.Float64).Value(i))
	case types.Decimal:
		return DecDatum(arr.(*array.Decimal128).Value(i))
	case types.String:
		return StrDatum(strings.Clone(arr.(*array.String).Value(i)))
	case types.Date:
		return DateDatum(int32(arr.(*array.Date32).Value(i)))
	case types.Timestamp:
		return TimestampDatum(int64(arr.(*array.Timestamp).Value(i)))
	}
	return Null
}

// CompareDatums orders two non-NULL datums of the same type: -1, 0, +1.
func CompareDatums(a, b Datum, t types.T) int {
	switch t.Kind {
	case types.Float64:
		return compareFloat(a.F, b.F)
	case types.Decimal:
		return types.CmpInt128(a.D, b.D)
	case types.String:
		return strings.Compare(a.S, b.S)
	}
	switch {
	case a.I < b.I:
		return -1
	case a.I > b.I:
		return 1
	}
	return 0
}

// compareFloat orders doubles with NaN greater than everything, as DuckDB.
func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	case math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a):
		return 1
	}
	return -1
}
