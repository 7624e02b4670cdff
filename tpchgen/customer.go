package tpchgen

type customerFiller struct {
	rowCursor
	pool                                              []byte
	name                                              namer
	address, nation, phone, acctbal, segment, comment uint64
}

func newCustomerFiller(rc rowCursor, seed uint64, s scale, pool []byte) *customerFiller {
	return &customerFiller{
		rowCursor: rc,
		pool:      pool,
		name:      newNamer("Customer#", s.customers),
		address:   newStream(seed, sCustAddress),
		nation:    newStream(seed, sCustNation),
		phone:     newStream(seed, sCustPhone),
		acctbal:   newStream(seed, sCustAcctbal),
		segment:   newStream(seed, sCustSegment),
		comment:   newStream(seed, sCustComment),
	}
}

func (f *customerFiller) maxLen(col int) int {
	switch col {
	case 1:
		return f.name.size()
	case 2:
		return addressLen.max
	case 4:
		return phoneLen
	case 6:
		return maxLen(segments[:])
	default:
		return customerComment.max
	}
}

func (f *customerFiller) fill(b *batch, from, to int) {
	keys, names, addrs, nationKeys := b.cols[0].i64, &b.cols[1], &b.cols[2], b.cols[3].i64
	phones, acctbal, segs, comments := &b.cols[4], &b.cols[5], &b.cols[6], &b.cols[7]
	for i := from; i < to; i++ {
		row := f.start + int64(i)
		pos := uint64(row)
		key := row + 1
		keys[i] = key
		f.name.put(names, key)
		putVString(addrs, draw(f.address, pos), addressLen)
		nk := uniform(draw(f.nation, pos), 0, int64(len(nations)-1))
		nationKeys[i] = nk
		putPhone(phones, nk, draw(f.phone, pos))
		acctbal.setDec(i, uniform(draw(f.acctbal, pos), -99999, 999999))
		segs.putString(segments[pick(draw(f.segment, pos), len(segments))])
		comments.put(textAt(f.pool, draw(f.comment, pos), customerComment))
	}
}
