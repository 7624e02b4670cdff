package csvsrc

import (
	"github.com/minisql/minisql/types"
)

// parseTimestamp parses a TIMESTAMP: YYYY-MM-DD HH:MM:SS[.fraction] (or
// with a T) and a date alone (its midnight: a column mixing both is
// TIMESTAMP) on a fast path, any other form types.ParseTimestamp takes on
// a slow one.
func parseTimestamp(b []byte) (int64, parseErr) {
	if len(b) == 10 {
		days, e := parseDate(b)
		return int64(days) * types.MicrosPerDay, e
	}
	if len(b) < 19 || (b[10] != ' ' && b[10] != 'T') {
		return parseTimestampSlow(b)
	}
	days, e := parseDate(b[:10])
	if e != parseOK {
		return 0, e
	}
	if b[13] != ':' || b[16] != ':' {
		return parseTimestampSlow(b)
	}
	var f [6]int64
	for k, p := range []int{11, 12, 14, 15, 17, 18} {
		d := b[p] - '0'
		if d > 9 {
			return 0, parseSyntax
		}
		f[k] = int64(d)
	}
	h, m, s := f[0]*10+f[1], f[2]*10+f[3], f[4]*10+f[5]
	if h > 23 || m > 59 || s > 59 {
		return 0, parseRange
	}
	us := int64(days)*types.MicrosPerDay + h*types.MicrosPerHour + m*types.MicrosPerMinute + s*types.MicrosPerSecond
	rest := b[19:]
	if len(rest) == 0 {
		return us, parseOK
	}
	if rest[0] != '.' || len(rest) == 1 {
		return parseTimestampSlow(b) // an offset, a Z, spaces
	}
	scale := int64(100_000)
	for _, c := range rest[1:] {
		d := c - '0'
		if d > 9 {
			return parseTimestampSlow(b)
		}
		us += int64(d) * scale // digits past the microsecond add 0
		scale /= 10
	}
	return us, parseOK
}

func parseTimestampSlow(b []byte) (int64, parseErr) {
	us, err := types.ParseTimestamp(string(b))
	if err != nil {
		return 0, parseSyntax
	}
	return us, parseOK
}
