package parquetsrc

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/minisql/minisql/types"
)

// TIMESTAMP columns in milliseconds or nanoseconds become the engine's
// microseconds as they are decoded, dictionaries included.

var errTimestampRange = errors.New("timestamp beyond the range of microseconds in an int64")

// plainTimestamps returns the PLAIN decoder of a timestamp conversion.
func plainTimestamps(c conv) plainFunc[int64] {
	switch c {
	case convTsMillis:
		return func(dst []int64, src []byte) (int, error) {
			n, err := plainCopy(dst, src)
			if err == nil {
				err = millisToMicros(dst)
			}
			return n, err
		}
	case convTsNanos:
		return func(dst []int64, src []byte) (int, error) {
			n, err := plainCopy(dst, src)
			nanosToMicros(dst)
			return n, err
		}
	case convInt96:
		return plainInt96
	}
	return plainCopy[int64]
}

// scaleTimestamps converts decoded values of conversion c in place.
func scaleTimestamps(c conv, vals []int64) error {
	switch c {
	case convTsMillis:
		return millisToMicros(vals)
	case convTsNanos:
		nanosToMicros(vals)
	}
	return nil
}

func millisToMicros(vals []int64) error {
	bad := false
	for i, v := range vals {
		bad = bad || v > math.MaxInt64/1000 || v < math.MinInt64/1000
		vals[i] = v * 1000
	}
	if bad {
		return errTimestampRange
	}
	return nil
}

// nanosToMicros divides by 1000 rounding down, so that a time before 1970
// stays in its microsecond.
func nanosToMicros(vals []int64) {
	for i, v := range vals {
		vals[i] = floorDivMicros(v)
	}
}

// julianUnixEpoch is the Julian day number of 1970-01-01.
const julianUnixEpoch = 2_440_588

// int96Micros converts a legacy INT96 timestamp (Impala, Hive and older
// Spark write them): nanoseconds of the day in the first 8 bytes, the
// Julian day in the last 4. Nanoseconds round down to the microsecond.
func int96Micros(b []byte) (int64, bool) {
	nanos := int64(binary.LittleEndian.Uint64(b[:8]))
	days := int64(binary.LittleEndian.Uint32(b[8:12])) - julianUnixEpoch
	// A day short of the bound keeps the sum exact: nanos of a valid
	// value are under a day.
	ok := days < math.MaxInt64/types.MicrosPerDay-1 && nanos >= 0 && nanos < 1000*types.MicrosPerDay
	return days*types.MicrosPerDay + floorDivMicros(nanos), ok
}

func floorDivMicros(nanos int64) int64 {
	q := nanos / 1000
	if nanos%1000 < 0 {
		q--
	}
	return q
}

// plainInt96 decodes PLAIN INT96 values into microseconds.
func plainInt96(dst []int64, src []byte) (int, error) {
	need := 12 * len(dst)
	if need > len(src) {
		return 0, errPlainShort
	}
	bad := false
	for i := range dst {
		v, ok := int96Micros(src[12*i:])
		dst[i], bad = v, bad || !ok
	}
	if bad {
		return need, errTimestampRange
	}
	return need, nil
}
