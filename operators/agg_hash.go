package operators

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// hashValues sets dst[i] to a 64-bit hash of row i of arr (NULL rows get
// some hash; callers skip them). Unlike the hash tables' seeded hashes it
// is the same in every worker and every run: sketches built by different
// workers must agree on each value's hash to be merged.
func hashValues(arr arrow.Array, t types.T, dst []uint64) error {
	switch a := arr.(type) {
	case *array.Int64:
		for i, v := range a.Int64Values() {
			dst[i] = hashWord(uint64(v))
		}
	case *array.Date32:
		for i, v := range a.Date32Values() {
			dst[i] = hashWord(uint64(v))
		}
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			dst[i] = hashWord(uint64(v))
		}
	case *array.Float64:
		for i, v := range a.Float64Values() {
			switch {
			case v == 0:
				v = 0 // -0 is 0
			case math.IsNaN(v):
				v = math.NaN() // one NaN
			}
			dst[i] = hashWord(math.Float64bits(v))
		}
	case *array.Decimal128:
		for i, v := range a.Values() {
			dst[i] = hashWord(uint64(v.HighBits()) ^ hashWord(v.LowBits()))
		}
	case *array.Boolean:
		for i := range a.Len() {
			dst[i] = hashWord(uint64(b2i(a.Value(i))))
		}
	case *array.String:
		for i := range a.Len() {
			dst[i] = hashBytes(vector.StringAt(a, i))
		}
	default:
		return sqlerr.NotSupported("approx_count_distinct of %s", t)
	}
	return nil
}

// hashWord is a 64-bit finaliser (SplitMix64's) of x offset by a constant,
// so that 0 does not hash to 0.
func hashWord(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// hashBytes hashes a string eight bytes at a time, each word multiplied
// into the state and rotated, then finalised with the length.
func hashBytes(b []byte) uint64 {
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	for len(b) >= 8 {
		h = bits.RotateLeft64((h^binary.LittleEndian.Uint64(b))*0xff51afd7ed558ccd, 29)
		b = b[8:]
	}
	var tail uint64
	for i, c := range b {
		tail |= uint64(c) << (8 * i)
	}
	h = bits.RotateLeft64((h^tail)*0xc4ceb9fe1a85ec53, 31)
	return hashWord(h)
}
