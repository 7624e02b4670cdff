package csvsrc

import (
	"math"
	"math/rand"
	randv2 "math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

func TestParseInt64(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  parseErr
	}{
		{"0", 0, parseOK},
		{"7", 7, parseOK},
		{"-7", -7, parseOK},
		{"+7", 7, parseOK},
		{"-0", 0, parseOK},
		{"007", 7, parseOK},
		{"123456789012345678", 123456789012345678, parseOK},
		{"9223372036854775807", math.MaxInt64, parseOK},
		{"-9223372036854775808", math.MinInt64, parseOK},
		{"9223372036854775808", 0, parseOverflow},
		{"-9223372036854775809", 0, parseOverflow},
		{"99999999999999999999", 0, parseOverflow},
		{"123456789012345678901234567890", 0, parseOverflow},
		{"0000000000000000000000000001", 1, parseOK},
		{"99999999999999999999x", 0, parseSyntax},
		{"", 0, parseSyntax},
		{"-", 0, parseSyntax},
		{"+", 0, parseSyntax},
		{"1.0", 0, parseSyntax},
		{"1e3", 0, parseSyntax},
		{" 1", 0, parseSyntax},
		{"1 ", 0, parseSyntax},
		{"--1", 0, parseSyntax},
		{"abc", 0, parseSyntax},
	}
	for _, tt := range tests {
		got, err := parseInt64([]byte(tt.in))
		assert.Equal(t, tt.err, err, "%q", tt.in)
		if tt.err == parseOK {
			assert.Equal(t, tt.want, got, "%q", tt.in)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in          string
		prec, scale int32
		want        string // formatted at scale
		err         parseErr
	}{
		{"12.5", 15, 2, "12.50", parseOK},
		{"12.50", 15, 2, "12.50", parseOK},
		{"12", 15, 2, "12.00", parseOK},
		{"-12.5", 15, 2, "-12.50", parseOK},
		{"+12.5", 15, 2, "12.50", parseOK},
		{".5", 15, 2, "0.50", parseOK},
		{"-.5", 15, 2, "-0.50", parseOK},
		{"5.", 15, 2, "5.00", parseOK},
		{"0", 15, 2, "0.00", parseOK},
		{"-0.00", 15, 2, "0.00", parseOK},
		{"000123.40", 5, 2, "123.40", parseOK},
		// rounding half away from zero
		{"1.005", 15, 2, "1.01", parseOK},
		{"1.004999", 15, 2, "1.00", parseOK},
		{"-1.005", 15, 2, "-1.01", parseOK},
		{"-1.0049", 15, 2, "-1.00", parseOK},
		{"0.125", 15, 2, "0.13", parseOK},
		{"2.5", 15, 0, "3", parseOK},
		{"-2.5", 15, 0, "-3", parseOK},
		{"9.995", 3, 2, "", parseOverflow}, // rounds to 10.00
		{"9.994", 3, 2, "9.99", parseOK},
		// precision
		{"999.99", 5, 2, "999.99", parseOK},
		{"1000.00", 5, 2, "", parseOverflow},
		{"-1000", 5, 2, "", parseOverflow},
		{"1234567890123456.78", 18, 2, "1234567890123456.78", parseOK},
		{"12345678901234567.8", 18, 2, "", parseOverflow},
		// 128-bit path
		{"12345678901234567890.123", 38, 3, "12345678901234567890.123", parseOK},
		{"-12345678901234567890.123", 38, 3, "-12345678901234567890.123", parseOK},
		{"99999999999999999999999999999999999999", 38, 0, "99999999999999999999999999999999999999", parseOK},
		{"-99999999999999999999999999999999999999", 38, 0, "-99999999999999999999999999999999999999", parseOK},
		{"999999999999999999999999999999999999999", 38, 0, "", parseOverflow},
		{"9999999999999999999999999999999999999.95", 38, 1, "", parseOverflow},
		{"0.00000000000000000000000000000000000001", 38, 38, "0.00000000000000000000000000000000000001", parseOK},
		{"1.5", 20, 19, "1.5000000000000000000", parseOK},
		{"9999999999999999999", 19, 0, "9999999999999999999", parseOK},
		{"9999999999999999999.5", 19, 0, "", parseOverflow},
		// syntax
		{"", 15, 2, "", parseSyntax},
		{".", 15, 2, "", parseSyntax},
		{"-", 15, 2, "", parseSyntax},
		{"1.2.3", 15, 2, "", parseSyntax},
		{"1e5", 15, 2, "", parseSyntax},
		{"1,5", 15, 2, "", parseSyntax},
		{" 1.5", 15, 2, "", parseSyntax},
		{"1.5x", 15, 2, "", parseSyntax},
		{"nan", 15, 2, "", parseSyntax},
	}
	for _, tt := range tests {
		got, err := parseDecimal([]byte(tt.in), tt.prec, tt.scale)
		assert.Equal(t, tt.err, err, "%q", tt.in)
		if tt.err == parseOK {
			assert.Equal(t, tt.want, FormatDecimal(got, tt.scale), "%q", tt.in)
			want, err := decimal128.FromString(tt.want, tt.prec, tt.scale)
			if assert.NoError(t, err) {
				assert.Equal(t, want, got, "%q: bits", tt.in)
			}
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for error
		err  parseErr
	}{
		{"1970-01-01", "1970-01-01", parseOK},
		{"1969-12-31", "1969-12-31", parseOK},
		{"1992-01-02", "1992-01-02", parseOK},
		{"1998-12-01", "1998-12-01", parseOK},
		{"2000-02-29", "2000-02-29", parseOK}, // divisible by 400
		{"2024-02-29", "2024-02-29", parseOK},
		{"1900-02-29", "", parseRange}, // divisible by 100
		{"2023-02-29", "", parseRange},
		{"2023-04-31", "", parseRange},
		{"2023-13-01", "", parseRange},
		{"2023-00-10", "", parseRange},
		{"2023-01-00", "", parseRange},
		{"2023-01-32", "", parseRange},
		{"0001-01-01", "0001-01-01", parseOK},
		{"9999-12-31", "9999-12-31", parseOK},
		{"2023-1-01", "", parseSyntax},
		{"2023/01/01", "", parseSyntax},
		{"20230101", "", parseSyntax},
		{"2023-01-01 00:00:00", "", parseSyntax},
		{"", "", parseSyntax},
		{"abcd-ef-gh", "", parseSyntax},
	}
	for _, tt := range tests {
		got, err := parseDate([]byte(tt.in))
		assert.Equal(t, tt.err, err, "%q", tt.in)
		if tt.err == parseOK {
			assert.Equal(t, tt.want, FormatDate(arrow.Date32(got)), "%q", tt.in)
		}
	}
	d, _ := parseDate([]byte("1970-01-02"))
	assert.Equal(t, int32(1), d)
	d, _ = parseDate([]byte("1969-12-31"))
	assert.Equal(t, int32(-1), d)
	d, _ = parseDate([]byte("2000-03-01"))
	assert.Equal(t, int32(11017), d)
}

func TestDateRoundTripAllDays(t *testing.T) {
	// Every day from 0001-01-01 to 9999-12-31 formats and parses back.
	first, _ := parseDate([]byte("0001-01-01"))
	last, _ := parseDate([]byte("9999-12-31"))
	for d := first; d <= last; d++ {
		s := FormatDate(arrow.Date32(d))
		got, err := parseDate([]byte(s))
		if err != parseOK || got != d {
			t.Fatalf("day %d: %q -> %d, %v", d, s, got, err)
		}
	}
}

func TestParseBool(t *testing.T) {
	tests := []struct {
		in   string
		want bool
		err  parseErr
	}{
		{"true", true, parseOK}, {"TRUE", true, parseOK}, {"True", true, parseOK},
		{"t", true, parseOK}, {"yes", true, parseOK}, {"Y", true, parseOK}, {"1", true, parseOK},
		{"false", false, parseOK}, {"FALSE", false, parseOK}, {"f", false, parseOK},
		{"no", false, parseOK}, {"N", false, parseOK}, {"0", false, parseOK},
		{"", false, parseSyntax}, {"tru", false, parseSyntax}, {"truex", false, parseSyntax},
		{"2", false, parseSyntax}, {"\x11", false, parseSyntax}, {"falsey", false, parseSyntax},
	}
	for _, tt := range tests {
		got, err := parseBool([]byte(tt.in))
		assert.Equal(t, tt.err, err, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
	assert.True(t, isBoolWord([]byte("TrUe")))
	assert.False(t, isBoolWord([]byte("t")))
	assert.False(t, isBoolWord([]byte("1")))
}

func TestParseFloat(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		err  parseErr
	}{
		{"1.5", 1.5, parseOK},
		{"-1e3", -1000, parseOK},
		{"1E-2", 0.01, parseOK},
		{".5", 0.5, parseOK},
		{"inf", math.Inf(1), parseOK},
		{"-Infinity", math.Inf(-1), parseOK},
		{"1e400", 0, parseOverflow},
		{"", 0, parseSyntax},
		{"1.5.5", 0, parseSyntax},
		{"abc", 0, parseSyntax},
	}
	for _, tt := range tests {
		got, err := parseFloat([]byte(tt.in))
		assert.Equal(t, tt.err, err, "%q", tt.in)
		if tt.err == parseOK {
			assert.Equal(t, tt.want, got, "%q", tt.in)
		}
	}
	v, err := parseFloat([]byte("NaN"))
	assert.Equal(t, parseOK, err)
	assert.True(t, math.IsNaN(v))
}

// TestDecimalFastMatchesWide checks the one-pass 64-bit decimal parser
// against the general 128-bit one on random inputs.
func TestDecimalFastMatchesWide(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.Intn(10))
		}
		return string(b)
	}
	for iter := 0; iter < 200000; iter++ {
		s := ""
		switch rng.Intn(4) {
		case 0:
			s = "-"
		case 1:
			s = "+"
		}
		s += digits(rng.Intn(12))
		if rng.Intn(3) > 0 {
			s += "." + digits(rng.Intn(8))
		}
		if rng.Intn(50) == 0 {
			s += "x"
		}
		prec := int32(rng.Intn(38) + 1)
		scale := int32(rng.Intn(int(min(prec, 10)) + 1))
		if scale > prec {
			scale = prec
		}
		got, gerr := parseDecimal([]byte(s), prec, scale)
		want, werr := parseDecimalWide([]byte(s), prec, scale)
		if gerr != werr || got != want {
			t.Fatalf("%q (%d,%d): fast %v %v, wide %v %v", s, prec, scale, got, gerr, want, werr)
		}
	}
}

// The fast path of parseTimestamp must agree with types.ParseTimestamp,
// which the slow path is, on every form both take.
func TestParseTimestampMatchesTypes(t *testing.T) {
	rng := randv2.New(randv2.NewPCG(7, 8))
	for range 20000 {
		days := rng.Int64N(2*365*400) - 365*400 // 1570..2370
		us := days*types.MicrosPerDay + rng.Int64N(types.MicrosPerDay)
		text := types.FormatTimestamp(us)
		if rng.IntN(2) == 0 {
			text = strings.Replace(text, " ", "T", 1)
		}
		got, e := parseTimestamp([]byte(text))
		require.Equal(t, parseOK, e, text)
		assert.Equal(t, us, got, text)
	}
	for _, tc := range []struct {
		in   string
		want parseErr
	}{
		{"2024-01-02", parseOK},
		{"2024-01-02 24:00:00", parseRange},
		{"2024-01-02 23:60:00", parseRange},
		{"2024-02-30 00:00:00", parseRange},
		{"2024-01-02 0a:00:00", parseSyntax},
		{"2024-01-02 03:04:05.", parseSyntax},
		{"2024-01-02 03:04:05+02", parseSyntax},
		{"2024-01-02 03:04:05Z", parseOK},
		{"2024-01-02 3:04", parseOK},
		{"20240102", parseSyntax},
		{"1.5", parseSyntax},
	} {
		_, e := parseTimestamp([]byte(tc.in))
		assert.Equal(t, tc.want, e, tc.in)
	}
}
