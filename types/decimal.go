package types

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// Result types of decimal arithmetic, following DuckDB: precision is capped
// at 38 (values are then checked for overflow at run time), never invalid.

// DecimalAddType is the type of a+b or a-b for decimals.
func DecimalAddType(a, b T) T {
	s := max(a.Scale, b.Scale)
	p := max(int(a.Precision)-int(a.Scale), int(b.Precision)-int(b.Scale)) + int(s) + 1
	return T{Kind: Decimal, Precision: uint8(min(p, MaxDecimalPrecision)), Scale: s}
}

// DecimalMulType is the type of a*b for decimals. ok is false when the scale
// itself exceeds 38 digits, which no precision can hold.
func DecimalMulType(a, b T) (T, bool) {
	s := int(a.Scale) + int(b.Scale)
	if s > MaxDecimalPrecision {
		return T{}, false
	}
	p := min(int(a.Precision)+int(b.Precision), MaxDecimalPrecision)
	return T{Kind: Decimal, Precision: uint8(p), Scale: uint8(s)}, true
}

// DecimalOf returns the decimal type that holds every value of an integer
// type exactly: BIGINT is DECIMAL(19,0). Other types return themselves.
func DecimalOf(t T) T {
	if t.Kind == Int64 {
		return T{Kind: Decimal, Precision: 19, Scale: 0}
	}
	return t
}

// ParseDecimal parses a decimal literal such as "-12.50" or "1e3" exactly
// into DECIMAL(p, s) where p and s are the literal's own digits (minimum
// p = 1). Exponents are accepted when the result is still exact: "1.5e3"
// is 1500 as DECIMAL(4,0), "15e-4" is 0.0015 as DECIMAL(5,4).
func ParseDecimal(s string) (decimal128.Num, T, error) {
	body := strings.TrimSpace(s)
	neg := false
	if body != "" && (body[0] == '-' || body[0] == '+') {
		neg = body[0] == '-'
		body = body[1:]
	}
	exp := 0
	if i := strings.IndexAny(body, "eE"); i >= 0 {
		e, err := strconv.Atoi(body[i+1:])
		// The bound keeps the digit arithmetic below from overflowing;
		// any exponent beyond it cannot be exact in 38 digits anyway.
		if err != nil || e > 2*MaxDecimalPrecision || e < -2*MaxDecimalPrecision {
			return decimal128.Num{}, T{}, fmt.Errorf("invalid decimal %q", s)
		}
		exp, body = e, body[:i]
	}
	intPart, frac, _ := strings.Cut(body, ".")
	if intPart == "" && frac == "" {
		return decimal128.Num{}, T{}, fmt.Errorf("invalid decimal %q", s)
	}
	intPart = strings.TrimLeft(intPart, "0")
	digits := intPart + frac
	// The exponent moves the point: scale is what remains after it, and a
	// negative scale means trailing zeros to append.
	scale := len(frac) - exp
	zeros := max(-scale, 0)
	scale = max(scale, 0)
	if len(digits)+zeros > MaxDecimalPrecision || scale > MaxDecimalPrecision {
		return decimal128.Num{}, T{}, fmt.Errorf("decimal %q has more than %d digits", s, MaxDecimalPrecision)
	}
	var n decimal128.Num
	ten := decimal128.FromI64(10)
	for _, c := range digits {
		if c < '0' || c > '9' {
			return decimal128.Num{}, T{}, fmt.Errorf("invalid decimal %q", s)
		}
		n, _ = MulInt128(n, ten)
		n, _ = AddInt128(n, decimal128.FromI64(int64(c-'0')))
	}
	if zeros > 0 {
		n, _ = MulInt128(n, pow10[zeros])
	}
	if neg {
		n = NegInt128(n)
	}
	// Precision counts the digits written, with at least one before the
	// point: 0.001 is DECIMAL(4,3), as in DuckDB.
	intDigits := len(digits) + zeros - scale
	p := min(max(intDigits, 1)+scale, MaxDecimalPrecision)
	return n, T{Kind: Decimal, Precision: uint8(p), Scale: uint8(scale)}, nil
}

// FormatDecimal renders n at the given scale with exactly scale digits after
// the point, e.g. 1250 at scale 2 is "12.50".
func FormatDecimal(n decimal128.Num, scale int) string {
	return string(AppendDecimal(nil, n, scale))
}

// AppendDecimal appends the text of n at the given scale to buf.
func AppendDecimal(buf []byte, n decimal128.Num, scale int) []byte {
	hi, lo, neg := absU128(n)
	// Digits right to left, 19 at a time while the high word is in use;
	// 2^127 has 39 digits.
	var tmp [40]byte
	i := len(tmp)
	for hi != 0 {
		const e19 = 10_000_000_000_000_000_000
		var rem uint64
		hi, rem = bits.Div64(0, hi, e19)
		lo, rem = bits.Div64(rem, lo, e19)
		for k := 0; k < 19; k++ {
			i--
			tmp[i] = byte('0' + rem%10)
			rem /= 10
		}
	}
	for lo > 0 {
		i--
		tmp[i] = byte('0' + lo%10)
		lo /= 10
	}
	digits := tmp[i:]
	if neg {
		buf = append(buf, '-')
	}
	if len(digits) <= scale {
		buf = append(buf, '0')
		if scale > 0 {
			buf = append(buf, '.')
			for i := len(digits); i < scale; i++ {
				buf = append(buf, '0')
			}
			buf = append(buf, digits...)
		}
		return buf
	}
	buf = append(buf, digits[:len(digits)-scale]...)
	if scale > 0 {
		buf = append(buf, '.')
		buf = append(buf, digits[len(digits)-scale:]...)
	}
	return buf
}
