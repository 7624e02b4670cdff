package types

import (
	"fmt"
	"math"
	"strings"
)

// Timestamps are microseconds since 1970-01-01 00:00:00, without a time
// zone (arrow.Timestamp in microseconds), as DuckDB's TIMESTAMP.

// Microseconds in a day, an hour, a minute and a second.
const (
	MicrosPerSecond = 1_000_000
	MicrosPerMinute = 60 * MicrosPerSecond
	MicrosPerHour   = 60 * MicrosPerMinute
	MicrosPerDay    = 24 * MicrosPerHour
)

// SplitTimestamp returns the day of a timestamp (days since the epoch) and
// the microseconds since that day's midnight, which are never negative.
func SplitTimestamp(us int64) (days int64, micros int64) {
	days, micros = us/MicrosPerDay, us%MicrosPerDay
	if micros < 0 {
		days, micros = days-1, micros+MicrosPerDay
	}
	return days, micros
}

// TimestampFromDays is midnight of a date, and false for a date beyond
// the timestamps' range (about 292 thousand years either way; DATE goes
// to millions).
func TimestampFromDays(days int32) (int64, bool) {
	d := int64(days)
	return d * MicrosPerDay, d < math.MaxInt64/MicrosPerDay && d > math.MinInt64/MicrosPerDay
}

// ParseTimestamp parses YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][Z|+00[:00]]
// as DuckDB casts text to TIMESTAMP: fractions beyond the microsecond are
// cut off, a date alone is its midnight. Offsets other than zero are
// refused: TIMESTAMP has no time zone to convert them to.
func ParseTimestamp(s string) (int64, error) {
	s = strings.TrimSpace(s)
	bad := func() (int64, error) {
		return 0, fmt.Errorf("invalid timestamp %q (expected YYYY-MM-DD HH:MM:SS[.ffffff])", s)
	}
	datePart, timePart := s, ""
	if i := strings.IndexAny(s, " T"); i > 0 {
		datePart, timePart = s[:i], strings.TrimSpace(s[i+1:])
	}
	days, err := ParseDate(datePart)
	if err != nil {
		return bad()
	}
	var micros int64
	if timePart != "" {
		timePart, err = stripZeroOffset(timePart)
		if err != nil {
			return 0, fmt.Errorf("timestamp %q: %w", s, err)
		}
		var ok bool
		if micros, ok = parseTimeOfDay(timePart); !ok {
			return bad()
		}
	}
	// A day short of int64's bounds either way keeps the sum exact.
	if int64(days) >= math.MaxInt64/MicrosPerDay || int64(days) <= math.MinInt64/MicrosPerDay {
		return 0, fmt.Errorf("timestamp %q is out of range", s)
	}
	return int64(days)*MicrosPerDay + micros, nil
}

// stripZeroOffset removes a trailing Z, +00, +00:00 or +0000 (or UTC).
func stripZeroOffset(t string) (string, error) {
	switch {
	case strings.HasSuffix(t, "Z"):
		return strings.TrimSpace(t[:len(t)-1]), nil
	case strings.HasSuffix(strings.ToUpper(t), "UTC"):
		return strings.TrimSpace(t[:len(t)-3]), nil
	}
	i := strings.LastIndexAny(t, "+-")
	if i < 0 {
		return t, nil
	}
	off := strings.ReplaceAll(t[i+1:], ":", "")
	if strings.Trim(off, "0") != "" {
		return "", fmt.Errorf("time zone offset %s is not supported (TIMESTAMP has no time zone)", t[i:])
	}
	return strings.TrimSpace(t[:i]), nil
}

// parseTimeOfDay reads H[H]:M[M][:S[S][.fraction]] into microseconds.
func parseTimeOfDay(t string) (int64, bool) {
	hms, frac, hasFrac := strings.Cut(t, ".")
	parts := strings.Split(hms, ":")
	if len(parts) < 2 || len(parts) > 3 || hasFrac && len(parts) != 3 {
		return 0, false
	}
	var v [3]int64
	for i, p := range parts {
		if len(p) < 1 || len(p) > 2 {
			return 0, false
		}
		for _, c := range []byte(p) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v[i] = v[i]*10 + int64(c-'0')
		}
	}
	if v[0] > 23 || v[1] > 59 || v[2] > 59 {
		return 0, false
	}
	us := v[0]*MicrosPerHour + v[1]*MicrosPerMinute + v[2]*MicrosPerSecond
	if hasFrac {
		if frac == "" {
			return 0, false
		}
		scale := int64(100_000)
		for i, c := range []byte(frac) {
			if c < '0' || c > '9' {
				return 0, false
			}
			if i < 6 {
				us += int64(c-'0') * scale
				scale /= 10
			}
		}
	}
	return us, true
}

// FormatTimestamp renders a timestamp as DuckDB does: YYYY-MM-DD
// HH:MM:SS, with the fraction of a second when there is one, without its
// trailing zeros.
func FormatTimestamp(us int64) string { return string(AppendTimestamp(nil, us)) }

// AppendTimestamp appends FormatTimestamp(us) to buf.
func AppendTimestamp(buf []byte, us int64) []byte {
	days, micros := SplitTimestamp(us)
	if days < math.MinInt32 || days > math.MaxInt32 {
		return fmt.Appendf(buf, "%d µs", us) // beyond any date: unreachable from SQL
	}
	buf = AppendDate(buf, int32(days))
	two := func(b []byte, n int64) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }
	buf = append(buf, ' ')
	buf = two(buf, micros/MicrosPerHour)
	buf = append(buf, ':')
	buf = two(buf, micros/MicrosPerMinute%60)
	buf = append(buf, ':')
	buf = two(buf, micros/MicrosPerSecond%60)
	if f := micros % MicrosPerSecond; f != 0 {
		digits := []byte{'.', 0, 0, 0, 0, 0, 0}
		for i := 6; i >= 1; i-- {
			digits[i] = byte('0' + f%10)
			f /= 10
		}
		buf = append(buf, strings.TrimRight(string(digits), "0")...)
	}
	return buf
}

// AddInterval adds months, then days, then micros to a timestamp, as
// DuckDB does (the day clamps to the end of a shorter month). It reports
// false when the result leaves the range of microseconds in an int64.
func AddInterval(us, months, days, micros int64) (int64, bool) {
	d, tod := SplitTimestamp(us)
	if months != 0 {
		y, m, dd := CivilFromDays(int32(d))
		total := int64(y)*12 + int64(m-1) + months
		if total > 12*300_000 || total < -12*300_000 { // far beyond any timestamp
			return 0, false
		}
		ny, nm := total/12, total%12
		if nm < 0 {
			ny, nm = ny-1, nm+12
		}
		d = int64(DaysFromCivil(int(ny), int(nm)+1, min(dd, DaysInMonth(int(ny), int(nm)+1))))
	}
	d += days
	// Both bounds keep d * MicrosPerDay and the sums below exact.
	if d >= math.MaxInt64/MicrosPerDay-1 || d <= math.MinInt64/MicrosPerDay+1 {
		return 0, false
	}
	r := d*MicrosPerDay + tod
	s := r + micros
	if (micros > 0 && s < r) || (micros < 0 && s > r) {
		return 0, false
	}
	return s, true
}
