package tpchgen

// filler generates one table's rows into batches. The Generator drives it:
// plan fixes the rows of the next batch, then fill is called for chunks of
// them in order, with a context check between chunks.
type filler interface {
	// plan chooses the rows of the next batch, at most max; 0 means the end.
	plan(max int) int
	// maxLen bounds the bytes per row of string column col.
	maxLen(col int) int
	// fill writes rows [from, to) of the planned batch into b.
	fill(b *batch, from, to int)
}

// rowCursor walks the rows [next, hi) of a table whose rows are numbered
// directly (every table but lineitem).
type rowCursor struct {
	next, hi int64
	start    int64 // first row of the planned batch
}

func (rc *rowCursor) plan(limit int) int {
	n := min(int64(limit), rc.hi-rc.next)
	rc.start = rc.next
	rc.next += n
	return int(n)
}

// newFiller returns the filler of table t for rows (orders, for lineitem)
// [lo, hi).
func newFiller(t table, seed uint64, s scale, lo, hi int64) filler {
	rc := rowCursor{next: lo, hi: hi}
	pool := sharedTextPool()
	switch t {
	case tRegion:
		return &regionFiller{rowCursor: rc, pool: pool, comment: newStream(seed, sRegionComment)}
	case tNation:
		return &nationFiller{rowCursor: rc, pool: pool, comment: newStream(seed, sNationComment)}
	case tSupplier:
		return newSupplierFiller(rc, seed, s, pool)
	case tCustomer:
		return newCustomerFiller(rc, seed, s, pool)
	case tPart:
		return newPartFiller(rc, seed, s, pool)
	case tPartsupp:
		return newPartsuppFiller(rc, seed, s, pool)
	case tOrders:
		return newOrdersFiller(rc, seed, s, pool)
	default:
		return newLineitemFiller(lo, hi, seed, s, pool)
	}
}
