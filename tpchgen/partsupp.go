package tpchgen

// partsuppFiller generates four rows per part, one per supplier of the
// spec's supplier formula (suppKey).
type partsuppFiller struct {
	rowCursor
	pool                          []byte
	suppliers                     int64
	availqty, supplycost, comment uint64
}

func newPartsuppFiller(rc rowCursor, seed uint64, s scale, pool []byte) *partsuppFiller {
	return &partsuppFiller{
		rowCursor:  rc,
		pool:       pool,
		suppliers:  s.suppliers,
		availqty:   newStream(seed, sPSAvailqty),
		supplycost: newStream(seed, sPSSupplycost),
		comment:    newStream(seed, sPSComment),
	}
}

func (f *partsuppFiller) maxLen(int) int { return partsuppComment.max }

func (f *partsuppFiller) fill(b *batch, from, to int) {
	partKeys, suppKeys, avail := b.cols[0].i64, b.cols[1].i64, b.cols[2].i64
	costs, comments := &b.cols[3], &b.cols[4]
	for i := from; i < to; i++ {
		row := f.start + int64(i)
		pos := uint64(row)
		pk := row/suppliersPerPart + 1
		partKeys[i] = pk
		suppKeys[i] = suppKey(pk, row%suppliersPerPart, f.suppliers)
		avail[i] = uniform(draw(f.availqty, pos), 1, 9999)
		costs.setDec(i, uniform(draw(f.supplycost, pos), 100, 100000))
		comments.put(textAt(f.pool, draw(f.comment, pos), partsuppComment))
	}
}
