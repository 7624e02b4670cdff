package types

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// daysOf is the reference: days since 1970-01-01 of a UTC midnight.
func daysOf(tm time.Time) int32 { return int32(tm.Unix() / 86400) }

// TestDatesAgainstTime walks every day from 0001-01-01 to 9999-12-31 and
// compares the civil conversions, formatting and parsing with Go's time
// package (proleptic Gregorian, like DuckDB).
func TestDatesAgainstTime(t *testing.T) {
	tm := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	want := daysOf(tm)
	var got, ref []byte
	for ; !tm.After(end); tm = tm.AddDate(0, 0, 1) {
		y, m, d := tm.Date()
		days := DaysFromCivil(y, int(m), d)
		if days != want {
			require.Equal(t, want, days, "DaysFromCivil(%d, %d, %d)", y, m, d)
		}
		gy, gm, gd := CivilFromDays(days)
		if gy != y || gm != int(m) || gd != d {
			require.Equal(t, [3]int{y, int(m), d}, [3]int{gy, gm, gd}, "CivilFromDays(%d)", days)
		}
		got = AppendDate(got[:0], days)
		ref = tm.AppendFormat(ref[:0], "2006-01-02")
		if string(got) != string(ref) {
			require.Equal(t, string(ref), string(got), "AppendDate(%d)", days)
		}
		if d == 1 || d == 28 || d == 29 { // parsing every day would double the run time
			p, err := ParseDate(string(ref))
			require.NoError(t, err, string(ref))
			require.Equal(t, days, p, string(ref))
		}
		if !DateToTime(days).Equal(tm) {
			require.Equal(t, tm, DateToTime(days))
		}
		want++
	}
	assert.Equal(t, int32(2932896), want-1, "9999-12-31")
}

// Negative and zero years (astronomical numbering: year 0 is 1 BC), and
// years beyond 9999, against the time package.
func TestDatesOutsideFourDigitYears(t *testing.T) {
	years := []int{-4713, -1001, -1000, -401, -400, -399, -101, -100, -5, -4, -1, 0, 10000, 12345, 99999, 1000000}
	for _, y := range years {
		for m := 1; m <= 12; m++ {
			for _, d := range []int{1, 15, DaysInMonth(y, m)} {
				tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
				require.Equal(t, y, tm.Year(), "the time package normalised %d-%d-%d", y, m, d)
				days := DaysFromCivil(y, m, d)
				require.Equal(t, daysOf(tm), days, "%d-%02d-%02d", y, m, d)
				gy, gm, gd := CivilFromDays(days)
				require.Equal(t, [3]int{y, m, d}, [3]int{gy, gm, gd})
				p, err := ParseDate(FormatDate(days))
				require.NoError(t, err, FormatDate(days))
				require.Equal(t, days, p, FormatDate(days))
			}
		}
	}
	assert.Equal(t, "-44-03-15", FormatDate(DaysFromCivil(-44, 3, 15)))
	assert.Equal(t, "0000-02-29", FormatDate(DaysFromCivil(0, 2, 29)))
	assert.Equal(t, "10000-01-01", FormatDate(DaysFromCivil(10000, 1, 1)))
}

// Every Date32 value survives FormatDate then ParseDate, up to both ends
// of the int32 range.
func TestDateTextRoundTripWholeRange(t *testing.T) {
	days := []int32{math.MinInt32, math.MinInt32 + 1, math.MaxInt32, math.MaxInt32 - 1, 0, -1, 1, -719468, -719469}
	r := rand.New(rand.NewPCG(15, 16))
	for i := 0; i < 100000; i++ {
		days = append(days, int32(r.Uint32()))
	}
	for _, d := range days {
		text := FormatDate(d)
		back, err := ParseDate(text)
		require.NoError(t, err, "%d formats as %q", d, text)
		require.Equal(t, d, back, text)
		y, m, dd := CivilFromDays(d)
		require.Equal(t, int64(d), int64(DaysFromCivil(y, m, dd)))
	}
	assert.Equal(t, "5881580-07-11", FormatDate(math.MaxInt32))
	assert.Equal(t, "-5877641-06-23", FormatDate(math.MinInt32))
}

func TestParseDate(t *testing.T) {
	cases := []struct {
		in   string
		want string // FormatDate of the result; "" for an error
	}{
		{"2024-02-29", "2024-02-29"},
		{"2024-2-9", "2024-02-09"},
		{"1970-01-01", "1970-01-01"},
		{"0001-01-01", "0001-01-01"},
		{"9999-12-31", "9999-12-31"},
		{"2000-02-29", "2000-02-29"},
		{"-0044-03-15", "-44-03-15"},
		{"12345-06-07", "12345-06-07"},
		{"5881580-07-11", "5881580-07-11"},
		{"-5877641-06-23", "-5877641-06-23"},
		{"2023-02-29", ""},
		{"1900-02-29", ""},
		{"2024-04-31", ""},
		{"2024-13-01", ""},
		{"2024-00-10", ""},
		{"2024-01-00", ""},
		{"2024-01-32", ""},
		{"2024-01", ""},
		{"2024", ""},
		{"", ""},
		{"-", ""},
		{"2024-01-01-", ""},
		{"2024-01-01-01", ""},
		{"2024--01-01", ""},
		{"--2024-01-01", ""},
		{"2024/01/01", ""},
		{" 2024-01-01", ""},
		{"2024-01-01 ", ""},
		{"2024-01-01 00:00:00", ""},
		{"2024-1a-01", ""},
		{"+2024-01-01", ""},
		{"2024-0000000001-01", ""},
		{"1234567890-01-01", ""},
		// Years whose day number does not fit a Date32.
		{"5881580-07-12", ""},
		{"-5877641-06-22", ""},
		{"999999999-12-31", ""},
		{"-999999999-01-01", ""},
	}
	for _, c := range cases {
		d, err := ParseDate(c.in)
		if c.want == "" {
			assert.Error(t, err, "%q parsed as %s", c.in, FormatDate(d))
			continue
		}
		require.NoError(t, err, "%q", c.in)
		assert.Equal(t, c.want, FormatDate(d), "%q", c.in)
	}
}

func TestDaysInMonth(t *testing.T) {
	for y := -1000; y <= 3000; y++ {
		for m := 1; m <= 12; m++ {
			// The last day of a month is the day before the first of the next.
			next := time.Date(y, time.Month(m)+1, 1, 0, 0, 0, 0, time.UTC)
			require.Equal(t, next.AddDate(0, 0, -1).Day(), DaysInMonth(y, m), "%d-%02d", y, m)
		}
	}
}

func TestAddMonths(t *testing.T) {
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2024-01-31", 1, "2024-02-29"},
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2024-05-31", 1, "2024-06-30"},
		{"2024-01-15", 0, "2024-01-15"},
		{"2024-01-15", 12, "2025-01-15"},
		{"2024-01-15", -12, "2023-01-15"},
		{"2024-01-15", -1, "2023-12-15"},
		{"2024-12-15", 1, "2025-01-15"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"0001-01-01", -1, "0000-12-01"},
		{"0001-03-31", -13, "0000-02-29"},
		{"0000-01-15", -1, "-1-12-15"},
		{"0000-01-15", -12, "-1-01-15"},
		{"0000-01-15", -13, "-2-12-15"},
		{"-1-12-15", 1, "0000-01-15"},
		{"9999-12-31", 1, "10000-01-31"},
		{"1970-01-01", 1200000, "101970-01-01"},
	}
	for _, c := range cases {
		from, err := ParseDate(c.from)
		require.NoError(t, err, c.from)
		assert.Equal(t, c.want, FormatDate(AddMonths(from, c.n)), "%s + %d months", c.from, c.n)
	}
	// Against the time package: AddDate normalises an overflowing day
	// into the next month where AddMonths clamps, so compare only days
	// that exist in every month.
	r := rand.New(rand.NewPCG(17, 18))
	for i := 0; i < 100000; i++ {
		y, m, d := r.IntN(6000)-1000, r.IntN(12)+1, r.IntN(28)+1
		n := r.IntN(2400) - 1200
		want := daysOf(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0))
		require.Equal(t, want, AddMonths(DaysFromCivil(y, m, d), n), "%d-%d-%d + %d months", y, m, d, n)
	}
	// Clamping: the result is the last day of the target month.
	for i := 0; i < 10000; i++ {
		y, m := r.IntN(6000)-1000, r.IntN(12)+1
		n := r.IntN(2400) - 1200
		got := AddMonths(DaysFromCivil(y, m, DaysInMonth(y, m)), n)
		first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
		want := daysOf(first.AddDate(0, 1, -1))
		if DaysInMonth(y, m) <= DaysInMonth(first.Year(), int(first.Month())) {
			want = daysOf(first) + int32(DaysInMonth(y, m)) - 1
		}
		require.Equal(t, want, got, "%d-%d-last + %d months", y, m, n)
	}
}

func BenchmarkAppendDate(b *testing.B) {
	buf := make([]byte, 0, 16)
	d := DaysFromCivil(2024, 2, 29)
	for b.Loop() {
		buf = AppendDate(buf[:0], d)
	}
}
