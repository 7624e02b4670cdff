package csvsrc

import (
	"strconv"

	"github.com/minisql/minisql/types"
)

// colStats accumulates what the sampled values of one column could be.
// Every flag starts possible and is cleared by the first value that rules
// it out, so adding samples can only widen the result.
type colStats struct {
	nonNull    int
	notBool    bool
	notInt     bool
	notDec     bool
	notFloat   bool
	notDate    bool
	notTime    bool // not a TIMESTAMP
	intDigits  int  // most integer digits (leading zeros dropped) of a decimal
	fracDigits int  // most fractional digits of a decimal
}

func (c *colStats) add(b []byte) {
	c.nonNull++
	if !c.notBool && !isBoolWord(b) {
		c.notBool = true
	}
	if !c.notInt {
		if _, e := parseInt64(b); e != parseOK {
			c.notInt = true
		}
	}
	decOK := false
	if !c.notDec {
		if id, fd, ok := decimalShape(b); ok {
			c.intDigits = max(c.intDigits, id)
			c.fracDigits = max(c.fracDigits, fd)
			decOK = true
		} else {
			c.notDec = true
		}
	}
	// Every decimal literal is a float literal: skip strconv for those.
	if !c.notFloat && !decOK && !floatLike(b) {
		c.notFloat = true
	}
	if !c.notDate {
		if _, e := parseDate(b); e != parseOK {
			c.notDate = true
		}
	}
	if !c.notTime {
		if _, e := parseTimestamp(b); e != parseOK {
			c.notTime = true
		}
	}
}

// typ is the narrowest type that accepts every value seen; VARCHAR for a
// column with no values.
func (c *colStats) typ() types.T {
	switch {
	case c.nonNull == 0:
		return types.StringType
	case !c.notBool:
		return types.BoolType
	case !c.notInt:
		return types.Int64Type
	case !c.notDec && c.intDigits+c.fracDigits <= types.MaxDecimalPrecision:
		// Room beyond the sample: 18 digits (fits int64 arithmetic) or 38.
		p := 18
		if c.intDigits+c.fracDigits > 18 {
			p = types.MaxDecimalPrecision
		}
		return types.DecimalType(p, c.fracDigits)
	case !c.notFloat:
		return types.Float64Type
	case !c.notDate:
		return types.DateType
	case !c.notTime:
		return types.TimestampType
	}
	return types.StringType
}

// decimalShape reports whether b is [sign] digits [. digits] and counts its
// integer digits (without leading zeros) and fractional digits.
func decimalShape(b []byte) (intDigits, fracDigits int, ok bool) {
	i := 0
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		i = 1
	}
	is := i
	for i < len(b) && b[i]-'0' <= 9 {
		i++
	}
	ie := i
	fd := 0
	if i < len(b) && b[i] == '.' {
		i++
		fs := i
		for i < len(b) && b[i]-'0' <= 9 {
			i++
		}
		fd = i - fs
	}
	if i != len(b) || ie-is+fd == 0 {
		return 0, 0, false
	}
	for is < ie && b[is] == '0' {
		is++
	}
	return ie - is, fd, true
}

// floatLike reports whether b is a float literal inference should accept:
// what strconv.ParseFloat takes, minus hexadecimal and underscore forms.
func floatLike(b []byte) bool {
	for _, c := range b {
		if c == 'x' || c == 'X' || c == '_' {
			return false
		}
	}
	_, e := parseFloat(b)
	return e == parseOK
}

// fits reports whether b is a valid value of type t.
func fits(b []byte, t types.T) bool {
	var e parseErr
	switch t.Kind {
	case types.Bool:
		_, e = parseBool(b)
	case types.Int64:
		_, e = parseInt64(b)
	case types.Decimal:
		_, e = parseDecimal(b, int32(t.Precision), int32(t.Scale))
	case types.Float64:
		_, e = parseFloat(b)
	case types.Date:
		_, e = parseDate(b)
	case types.Timestamp:
		_, e = parseTimestamp(b)
	}
	return e == parseOK
}

// nameLike reports whether a header candidate looks like a column name.
func nameLike(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	c := b[0]
	return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}

// uniqueNames fills empty names with columnN and makes duplicates unique
// with a numeric suffix.
func uniqueNames(names []string) []string {
	out := make([]string, len(names))
	seen := make(map[string]bool, len(names))
	for i, n := range names {
		if n == "" {
			n = "column" + strconv.Itoa(i)
		}
		base := n
		for k := 1; seen[n]; k++ {
			n = base + "_" + strconv.Itoa(k)
		}
		seen[n] = true
		out[i] = n
	}
	return out
}
