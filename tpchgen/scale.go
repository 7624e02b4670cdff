package tpchgen

import (
	"math"

	"github.com/minisql/minisql/sqlerr"
)

// maxSF bounds the scale factor so every key and count fits comfortably in
// an int64 and every random range in 2^32 (SF 100000 is 600 billion lines).
const maxSF = 100_000

// scale holds the cardinalities of one scale factor.
type scale struct {
	sf        float64
	suppliers int64
	customers int64
	parts     int64
	orders    int64
	clerks    int64
}

func newScale(sf float64) (scale, error) {
	if math.IsNaN(sf) || math.IsInf(sf, 0) || sf <= 0 || sf > maxSF {
		return scale{}, sqlerr.New(sqlerr.ErrInvalidValue, "TPC-H scale factor must be in (0, %d], got %v", maxSF, sf)
	}
	return scale{
		sf:        sf,
		suppliers: scaled(sf, suppliersPerSF),
		customers: scaled(sf, customersPerSF),
		parts:     scaled(sf, partsPerSF),
		orders:    scaled(sf, ordersPerSF),
		// Below SF 1 dbgen keeps 1000 clerks rather than scaling them down;
		// doing the same keeps o_clerk's domain like the official data's.
		clerks: max(scaled(sf, clerksPerSF), clerksPerSF),
	}, nil
}

// scaled returns floor(sf*base), at least 1. The small epsilon absorbs
// binary floating point error (0.07*10000 must be 700, not 699).
func scaled(sf float64, base int64) int64 {
	return max(int64(math.Floor(sf*float64(base)+1e-6)), 1)
}

// rows returns the number of rows of a table whose size does not depend on
// the random streams (all but lineitem).
func (s scale) rows(t table) int64 {
	switch t {
	case tRegion:
		return int64(len(regions))
	case tNation:
		return int64(len(nations))
	case tSupplier:
		return s.suppliers
	case tCustomer:
		return s.customers
	case tPart:
		return s.parts
	case tPartsupp:
		return s.parts * suppliersPerPart
	default: // tOrders; lineitem is partitioned by orders too
		return s.orders
	}
}

// RowCount returns the number of rows table has at scale factor sf. For
// lineitem it is the exact number the generator produces: the number of
// lines of each order comes from a stream that does not depend on
// Options.Seed, so the count is a function of sf alone. Computing it walks
// the line counts of all orders (about 2 ms per SF unit).
func RowCount(tableName string, sf float64) (int64, error) {
	t, err := lookupTable(tableName)
	if err != nil {
		return 0, err
	}
	s, err := newScale(sf)
	if err != nil {
		return 0, err
	}
	if t != tLineitem {
		return s.rows(t), nil
	}
	return countLines(0, s.orders), nil
}

// partRange returns the rows [lo, hi) that part of parts covers out of n.
// The ranges of parts 0..parts-1 are contiguous and cover [0, n).
func partRange(n int64, part, parts int) (lo, hi int64) {
	// n*part can overflow for huge n only beyond maxSF; use 128-bit-safe
	// arithmetic anyway by splitting the quotient.
	at := func(i int) int64 {
		q, r := n/int64(parts), n%int64(parts)
		return q*int64(i) + r*int64(i)/int64(parts)
	}
	return at(part), at(part + 1)
}
