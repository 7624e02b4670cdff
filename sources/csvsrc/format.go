package csvsrc

import (
	"math"
	"math/bits"
	"strconv"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"

	"github.com/minisql/minisql/types"
)

// These helpers are minisql's text form of values, shared by the CSV
// writer, the CLI and the sqllogictest runner.

// FormatDecimal returns num / 10^scale with exactly scale fractional digits
// ("12.50", "-0.05", "7").
func FormatDecimal(num decimal128.Num, scale int32) string {
	var buf [48]byte
	return string(AppendDecimal(buf[:0], num, scale))
}

// AppendDecimal appends the text of num / 10^scale with exactly scale
// fractional digits. A negative scale appends zeros.
func AppendDecimal(dst []byte, num decimal128.Num, scale int32) []byte {
	hi, lo := uint64(num.HighBits()), num.LowBits()
	neg := num.HighBits() < 0
	if neg { // two's complement magnitude
		lo = -lo
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	// Digits are produced right to left, 19 at a time for the high part.
	var digits [40]byte
	p := len(digits)
	for hi != 0 {
		var r uint64
		qhi := hi / 1e19
		lo, r = bits.Div64(hi%1e19, lo, 1e19)
		hi = qhi
		for k := 0; k < 19; k++ {
			p--
			digits[p] = byte('0' + r%10)
			r /= 10
		}
	}
	for lo >= 10 {
		p--
		digits[p] = byte('0' + lo%10)
		lo /= 10
	}
	p--
	digits[p] = byte('0' + lo)
	ds := digits[p:]
	if neg {
		dst = append(dst, '-')
	}
	if scale <= 0 {
		dst = append(dst, ds...)
		for ; scale < 0; scale++ {
			dst = append(dst, '0')
		}
		return dst
	}
	s := int(scale)
	if len(ds) <= s {
		dst = append(dst, '0', '.')
		for k := len(ds); k < s; k++ {
			dst = append(dst, '0')
		}
		return append(dst, ds...)
	}
	dst = append(dst, ds[:len(ds)-s]...)
	dst = append(dst, '.')
	return append(dst, ds[len(ds)-s:]...)
}

// FormatDate returns d as YYYY-MM-DD.
func FormatDate(d arrow.Date32) string {
	var buf [16]byte
	return string(AppendDate(buf[:0], d))
}

// AppendDate appends d as YYYY-MM-DD. Years outside 0..9999 are written as
// plain signed numbers (such dates do not read back).
func AppendDate(dst []byte, d arrow.Date32) []byte {
	y, m, day := civilFromDays(int64(d))
	if y >= 0 && y <= 9999 {
		dst = append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	} else {
		dst = strconv.AppendInt(dst, y, 10)
	}
	return append(dst, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// AppendFloat appends v in the shortest form that reads back to the same
// float64. Numbers with a decimal exponent in [-4, 21) are written without
// an exponent (1234567, 0.0001, 0.5), others as Go's shortest 'g' form
// (1e-05, 1e+21); a plain 'g' would write 1234567 as 1.234567e+06. Special
// values are inf, -inf and nan, as DuckDB writes them.
func AppendFloat(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "nan"...)
	case math.IsInf(v, 1):
		return append(dst, "inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-inf"...)
	}
	if a := math.Abs(v); a == 0 || (a >= 1e-4 && a < 1e21) {
		return strconv.AppendFloat(dst, v, 'f', -1, 64)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}

// AppendBool appends true or false.
func AppendBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

// AppendValue appends the text of arr[i] for minisql's physical types
// (strings as they are, unquoted). A NULL appends nothing: callers that
// print NULL some other way check arr.IsNull(i) first. Other Arrow types
// fall back to the array's ValueStr.
func AppendValue(dst []byte, arr arrow.Array, i int) []byte {
	if arr.IsNull(i) {
		return dst
	}
	switch a := arr.(type) {
	case *array.Int64:
		return strconv.AppendInt(dst, a.Value(i), 10)
	case *array.Float64:
		return AppendFloat(dst, a.Value(i))
	case *array.Decimal128:
		return AppendDecimal(dst, a.Value(i), a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.String:
		return append(dst, a.Value(i)...)
	case *array.Date32:
		return AppendDate(dst, a.Value(i))
	case *array.Timestamp:
		return types.AppendTimestamp(dst, int64(a.Value(i)))
	case *array.Boolean:
		return AppendBool(dst, a.Value(i))
	case *array.Null:
		return dst
	}
	return append(dst, arr.ValueStr(i)...)
}

// unsafeBytes views s as bytes without copying; the result must not be
// modified.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
