package tpchgen

// bbbPerTenThousand is the share of suppliers (in 1/10000) whose comment
// carries "Customer ... Complaints" or "Customer ... Recommends": clause
// 4.2.3 asks for SF*5 of each among SF*10,000 suppliers, i.e. 5 + 5 per
// 10,000. Each supplier is drawn independently, so the counts are SF*5 on
// average (q16 excludes the complaining ones).
const bbbPerTenThousand = 10

type supplierFiller struct {
	rowCursor
	pool                                          []byte
	name                                          namer
	address, nation, phone, acctbal, comment, bbb uint64
}

func newSupplierFiller(rc rowCursor, seed uint64, s scale, pool []byte) *supplierFiller {
	return &supplierFiller{
		rowCursor: rc,
		pool:      pool,
		name:      newNamer("Supplier#", s.suppliers),
		address:   newStream(seed, sSuppAddress),
		nation:    newStream(seed, sSuppNation),
		phone:     newStream(seed, sSuppPhone),
		acctbal:   newStream(seed, sSuppAcctbal),
		comment:   newStream(seed, sSuppComment),
		bbb:       newStream(seed, sSuppBBB),
	}
}

func (f *supplierFiller) maxLen(col int) int {
	switch col {
	case 1:
		return f.name.size()
	case 2:
		return addressLen.max
	case 4:
		return phoneLen
	default:
		return supplierComment.max
	}
}

func (f *supplierFiller) fill(b *batch, from, to int) {
	keys, names, addrs, nationKeys := b.cols[0].i64, &b.cols[1], &b.cols[2], b.cols[3].i64
	phones, acctbal, comments := &b.cols[4], &b.cols[5], &b.cols[6]
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
		text := textAt(f.pool, draw(f.comment, pos), supplierComment)
		dst := comments.grab(len(text))
		copy(dst, text)
		if r := draw(f.bbb, pos); r%10000 < bbbPerTenThousand {
			markComment(dst, r)
		}
	}
}

// markComment overwrites part of a supplier comment with "Customer ", some
// of the original text, then "Complaints" or "Recommends", at a random
// position: the rows q16 filters out with '%Customer%Complaints%'.
func markComment(dst []byte, r uint64) {
	const head = "Customer "
	tail := "Complaints"
	g := local{s: r}
	if g.next()&1 == 1 {
		tail = "Recommends"
	}
	room := len(dst) - len(head) - len(tail) // >= 0: comments have >= 25 bytes
	gap := int(uniform(g.next(), 0, int64(room)))
	at := int(uniform(g.next(), 0, int64(room-gap)))
	copy(dst[at:], head)
	copy(dst[at+len(head)+gap:], tail)
}
