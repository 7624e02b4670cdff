package types

import (
	"fmt"
	"math"
	"time"
)

// Dates are days since 1970-01-01 (arrow.Date32). These helpers convert with
// civil-calendar arithmetic, without time zones.

// ParseDate parses YYYY-MM-DD (also accepting single-digit month and day)
// and validates the calendar date.
func ParseDate(s string) (int32, error) {
	y, m, d, ok := splitDate(s)
	if !ok || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m) {
		return 0, fmt.Errorf("invalid date %q (expected YYYY-MM-DD)", s)
	}
	// Years of up to 9 digits parse; Date32 ends around year 5.88 million.
	days := daysFromCivil(y, m, d)
	if days < math.MinInt32 || days > math.MaxInt32 {
		return 0, fmt.Errorf("date %q is out of range", s)
	}
	return int32(days), nil
}

func splitDate(s string) (y, m, d int, ok bool) {
	var parts [3]int
	idx, digits := 0, 0
	neg := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			parts[idx] = parts[idx]*10 + int(c-'0')
			digits++
			if digits > 9 {
				return 0, 0, 0, false
			}
		case c == '-' && i == 0:
			neg = true
		case c == '-' && digits > 0 && idx < 2:
			idx++
			digits = 0
		default:
			return 0, 0, 0, false
		}
	}
	if idx != 2 || digits == 0 {
		return 0, 0, 0, false
	}
	if neg {
		parts[0] = -parts[0]
	}
	return parts[0], parts[1], parts[2], true
}

// DaysInMonth returns the number of days of month m (1..12) in year y.
func DaysInMonth(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// DaysFromCivil converts a proleptic Gregorian date to days since the epoch
// (Howard Hinnant's algorithm). Dates beyond the Date32 range wrap: callers
// with untrusted years use ParseDate, which checks.
func DaysFromCivil(y, m, d int) int32 { return int32(daysFromCivil(y, m, d)) }

func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era*146097 + doe - 719468)
}

// CivilFromDays is the inverse of DaysFromCivil.
func CivilFromDays(days int32) (y, m, d int) {
	z := int(days) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// FormatDate renders days as YYYY-MM-DD.
func FormatDate(days int32) string { return string(AppendDate(nil, days)) }

// AppendDate appends YYYY-MM-DD to buf.
func AppendDate(buf []byte, days int32) []byte {
	y, m, d := CivilFromDays(days)
	if y < 0 || y > 9999 {
		return fmt.Appendf(buf, "%d-%02d-%02d", y, m, d)
	}
	return append(buf, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
		'-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// AddMonths adds n months to a date, clamping the day to the end of the
// target month (2024-01-31 + 1 month = 2024-02-29), as DuckDB does. Like
// DaysFromCivil, a result beyond the Date32 range wraps.
func AddMonths(days int32, n int) int32 {
	y, m, d := CivilFromDays(days)
	total := y*12 + (m - 1) + n
	ny, nm := total/12, total%12+1
	if total < 0 && total%12 != 0 {
		ny, nm = (total-11)/12, (total%12+12)%12+1
	}
	return DaysFromCivil(ny, nm, min(d, DaysInMonth(ny, nm)))
}

// DateToTime returns the date at midnight UTC.
func DateToTime(days int32) time.Time { return time.Unix(int64(days)*86400, 0).UTC() }
