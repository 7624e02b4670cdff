package types

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTimestamp(t *testing.T) {
	day := int64(19724) * MicrosPerDay // 2024-01-02
	for _, tc := range []struct {
		in   string
		want int64
		err  string
	}{
		{"2024-01-02", day, ""},
		{"2024-01-02 03:04:05", day + 3*MicrosPerHour + 4*MicrosPerMinute + 5*MicrosPerSecond, ""},
		{"2024-01-02T03:04:05.5", day + 3*MicrosPerHour + 4*MicrosPerMinute + 5_500_000, ""},
		{"  2024-01-02 3:4:5  ", day + 3*MicrosPerHour + 4*MicrosPerMinute + 5*MicrosPerSecond, ""},
		{"2024-01-02 03:04", day + 3*MicrosPerHour + 4*MicrosPerMinute, ""},
		{"2024-01-02 03:04:05.1234567", day + 3*MicrosPerHour + 4*MicrosPerMinute + 5_123_456, ""}, // cut, as DuckDB
		{"2024-01-02 03:04:05Z", day + 3*MicrosPerHour + 4*MicrosPerMinute + 5*MicrosPerSecond, ""},
		{"2024-01-02 03:04:05+00:00", day + 3*MicrosPerHour + 4*MicrosPerMinute + 5*MicrosPerSecond, ""},
		{"1969-12-31 23:59:59.5", -500_000, ""},
		{"2024-01-02 03:04:05+02", 0, "offset +02 is not supported"},
		{"2024-01-02 24:00:00", 0, "invalid timestamp"},
		{"2024-01-02 03:60", 0, "invalid timestamp"},
		{"2024-01-02 03:04:05.", 0, "invalid timestamp"},
		{"2024-01-02 03:04.5", 0, "invalid timestamp"},
		{"2024-02-30 00:00:00", 0, "invalid timestamp"},
		{"2024-01-02 ab:cd", 0, "invalid timestamp"},
		{"300000-01-01", 0, "out of range"},
		{"", 0, "invalid timestamp"},
	} {
		got, err := ParseTimestamp(tc.in)
		if tc.err != "" {
			require.Error(t, err, tc.in)
			assert.Contains(t, err.Error(), tc.err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestFormatTimestamp(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"2024-01-02", "2024-01-02 00:00:00"},
		{"2024-01-02 03:04:05.120", "2024-01-02 03:04:05.12"},
		{"2024-01-02 03:04:05.000001", "2024-01-02 03:04:05.000001"},
		{"1969-12-31 23:59:59.5", "1969-12-31 23:59:59.5"},
		{"0001-01-01 00:00:00", "0001-01-01 00:00:00"},
	} {
		us, err := ParseTimestamp(tc.in)
		require.NoError(t, err)
		assert.Equal(t, tc.want, FormatTimestamp(us), tc.in)
	}
}

func TestSplitTimestampFloors(t *testing.T) {
	d, us := SplitTimestamp(-1)
	assert.Equal(t, int64(-1), d)
	assert.Equal(t, int64(MicrosPerDay-1), us)
	d, us = SplitTimestamp(MicrosPerDay)
	assert.Equal(t, int64(1), d)
	assert.Equal(t, int64(0), us)
}
