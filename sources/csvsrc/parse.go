package csvsrc

import (
	"math"
	"math/bits"
	"strconv"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// parseErr says why a value did not parse; the reader turns it into a
// message.
type parseErr uint8

const (
	parseOK       parseErr = iota
	parseSyntax            // not a value of the type at all
	parseOverflow          // a number too big for the type
	parseRange             // a date with an impossible month or day
)

// parseInt64 parses an optionally signed decimal integer.
func parseInt64(b []byte) (int64, parseErr) {
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, i = b[0] == '-', 1
	}
	if i == len(b) {
		return 0, parseSyntax
	}
	var u uint64
	if len(b)-i <= 18 {
		// 18 digits cannot overflow: no check in the common case.
		for ; i < len(b); i++ {
			d := b[i] - '0'
			if d > 9 {
				return 0, parseSyntax
			}
			u = u*10 + uint64(d)
		}
	} else {
		for ; i < len(b); i++ {
			d := b[i] - '0'
			if d > 9 {
				return 0, parseSyntax
			}
			if u > (math.MaxUint64-9)/10 {
				return 0, overflowOrSyntax(b[i+1:])
			}
			u = u*10 + uint64(d)
			if u > 1<<63 {
				return 0, overflowOrSyntax(b[i+1:])
			}
		}
	}
	if neg {
		return int64(-u), parseOK // -(1<<63) wraps to MinInt64, as it should
	}
	if u > math.MaxInt64 {
		return 0, parseOverflow
	}
	return int64(u), parseOK
}

// overflowOrSyntax classifies a number that overflowed: a malformed tail
// makes it a syntax error rather than an overflow.
func overflowOrSyntax(rest []byte) parseErr {
	for _, c := range rest {
		if c-'0' > 9 {
			return parseSyntax
		}
	}
	return parseOverflow
}

// pow10u64[i] is 10^i.
var pow10u64 = [20]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
	1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// u128 is an unsigned 128-bit integer.
type u128 struct{ hi, lo uint64 }

// pow10u128[i] is 10^i for i <= 38.
var pow10u128 = func() (t [39]u128) {
	t[0] = u128{0, 1}
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1].mul10add(0)
	}
	return t
}()

func (x u128) mul10add(d uint64) u128 {
	h, l := bits.Mul64(x.lo, 10)
	l, c := bits.Add64(l, d, 0)
	return u128{x.hi*10 + h + c, l}
}

func (x u128) less(y u128) bool { return x.hi < y.hi || (x.hi == y.hi && x.lo < y.lo) }

// parseDecimal parses b as a decimal with the given precision and scale
// straight into a 128-bit integer scaled by 10^scale. Fractional digits
// beyond the scale are rounded half away from zero (only the first dropped
// digit matters for that rule). No floats, no math/big: values with at most
// 18 significant digits at the target scale are accumulated in one pass in
// a uint64; wider ones take parseDecimalWide.
func parseDecimal(b []byte, prec, scale int32) (decimal128.Num, parseErr) {
	n := len(b)
	i, neg := 0, false
	if n > 0 && (b[0] == '-' || b[0] == '+') {
		neg, i = b[0] == '-', 1
	}
	zeros := i
	for i < n && b[i] == '0' {
		i++
	}
	zeros = i - zeros
	var u uint64
	st := i
	for ; i < n; i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		u = u*10 + uint64(d)
	}
	sig := i - st
	digits := zeros + sig
	if sig+int(scale) > 18 {
		return parseDecimalWide(b, prec, scale)
	}
	used, frac := 0, 0
	roundUp := false
	if i < n && b[i] == '.' {
		i++
		fs := i
		for lim := min(n, fs+int(scale)); i < lim; i++ {
			d := b[i] - '0'
			if d > 9 {
				break
			}
			u = u*10 + uint64(d)
		}
		used = i - fs
		if used == int(scale) && i < n && b[i]-'0' <= 9 {
			roundUp = b[i] >= '5'
			for i++; i < n && b[i]-'0' <= 9; i++ {
			}
		}
		frac = i - fs
	}
	if i != n || digits+frac == 0 {
		return decimal128.Num{}, parseSyntax
	}
	if int32(sig) > prec-scale {
		return decimal128.Num{}, parseOverflow
	}
	u *= pow10u64[int(scale)-used]
	if roundUp {
		u++
	}
	if u >= pow10u64[min(prec, 19)] {
		return decimal128.Num{}, parseOverflow
	}
	if neg && u != 0 {
		return decimal128.New(-1, -u), parseOK // two's complement of a 64-bit magnitude
	}
	return decimal128.New(0, u), parseOK
}

// parseDecimalWide is parseDecimal for values of up to 38 digits.
func parseDecimalWide(b []byte, prec, scale int32) (decimal128.Num, parseErr) {
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, i = b[0] == '-', 1
	}
	is := i
	for i < len(b) && b[i]-'0' <= 9 {
		i++
	}
	intPart := b[is:i]
	var frac []byte
	if i < len(b) && b[i] == '.' {
		i++
		fs := i
		for i < len(b) && b[i]-'0' <= 9 {
			i++
		}
		frac = b[fs:i]
	}
	if i != len(b) || len(intPart)+len(frac) == 0 {
		return decimal128.Num{}, parseSyntax
	}
	for len(intPart) > 0 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	if int32(len(intPart)) > prec-scale {
		return decimal128.Num{}, parseOverflow
	}
	used := frac
	if int32(len(used)) > scale {
		used = frac[:scale]
	}
	roundUp := int32(len(frac)) > scale && frac[scale] >= '5'
	pad := int(scale) - len(used)

	if len(intPart)+int(scale) <= 19 {
		// Fits in 64 bits (10^19 < 2^64 even after rounding up).
		var u uint64
		for _, c := range intPart {
			u = u*10 + uint64(c-'0')
		}
		for _, c := range used {
			u = u*10 + uint64(c-'0')
		}
		u *= pow10u64[pad]
		if roundUp {
			u++
		}
		if prec < 20 && u >= pow10u64[prec] {
			return decimal128.Num{}, parseOverflow
		}
		if neg && u != 0 {
			return decimal128.New(-1, -u), parseOK // two's complement of a 64-bit magnitude
		}
		return decimal128.New(0, u), parseOK
	}
	var x u128
	for _, c := range intPart {
		x = x.mul10add(uint64(c - '0'))
	}
	for _, c := range used {
		x = x.mul10add(uint64(c - '0'))
	}
	for ; pad > 0; pad-- {
		x = x.mul10add(0)
	}
	if roundUp {
		var c uint64
		x.lo, c = bits.Add64(x.lo, 1, 0)
		x.hi += c
	}
	if !x.less(pow10u128[prec]) {
		return decimal128.Num{}, parseOverflow
	}
	n := decimal128.New(int64(x.hi), x.lo)
	if neg {
		n = n.Negate()
	}
	return n, parseOK
}

// parseDate parses YYYY-MM-DD into days since 1970-01-01.
func parseDate(b []byte) (int32, parseErr) {
	if len(b) != 10 {
		return 0, parseSyntax
	}
	y0, y1, y2, y3 := b[0]-'0', b[1]-'0', b[2]-'0', b[3]-'0'
	m0, m1, d0, d1 := b[5]-'0', b[6]-'0', b[8]-'0', b[9]-'0'
	if y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9 || b[4] != '-' || b[7] != '-' {
		return 0, parseSyntax
	}
	// Unsigned arithmetic: the divisions by constants become cheaper
	// multiplications without sign fix-ups.
	y := uint32(y0)*1000 + uint32(y1)*100 + uint32(y2)*10 + uint32(y3)
	m := uint32(m0)*10 + uint32(m1)
	d := uint32(d0)*10 + uint32(d1)
	if m-1 >= 12 || d == 0 {
		return 0, parseRange
	}
	leap := y%4 == 0 && (y%100 != 0 || y%400 == 0)
	dim := cumDays[m] - cumDays[m-1]
	days := cumDays[m-1] + d - 1
	if leap {
		if m == 2 {
			dim++
		} else if m > 2 {
			days++
		}
	}
	if d > dim {
		return 0, parseRange
	}
	return int32(365*y+(y+3)/4-(y+99)/100+(y+399)/400+days) - unixEpochDays, parseOK
}

// cumDays[m] is the number of days in months 1..m of a common year.
var cumDays = [13]uint32{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365}

// unixEpochDays is the number of days from 0000-01-01 (proleptic
// Gregorian) to 1970-01-01. parseDate counts from 0000-01-01: 365 a year
// plus the leap years in [0, y), which are the multiples of 4 minus those
// of 100 plus those of 400.
const unixEpochDays = 719528

// parseBool accepts true/false, t/f, yes/no, y/n and 1/0 in any case.
func parseBool(b []byte) (bool, parseErr) {
	if len(b) > 5 {
		return false, parseSyntax
	}
	var low [5]byte
	for i, c := range b {
		low[i] = lower(c)
	}
	switch string(low[:len(b)]) {
	case "true", "t", "yes", "y", "1":
		return true, parseOK
	case "false", "f", "no", "n", "0":
		return false, parseOK
	}
	return false, parseSyntax
}

// isBoolWord reports whether b is true or false in any case: the only
// spellings inference takes as BOOLEAN (1/0 are BIGINT, y/n VARCHAR).
func isBoolWord(b []byte) bool {
	if len(b) != 4 && len(b) != 5 {
		return false
	}
	var low [5]byte
	for i, c := range b {
		low[i] = lower(c)
	}
	s := string(low[:len(b)])
	return s == "true" || s == "false"
}

// parseFloat parses b with strconv.ParseFloat without copying it.
func parseFloat(b []byte) (float64, parseErr) {
	if len(b) == 0 {
		return 0, parseSyntax
	}
	v, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, parseOverflow
		}
		return 0, parseSyntax
	}
	return v, parseOK
}

// lower maps ASCII upper-case letters to lower case.
func lower(c byte) byte {
	if c-'A' < 26 {
		return c | 0x20
	}
	return c
}
