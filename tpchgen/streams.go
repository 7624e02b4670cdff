package tpchgen

// Stream identifiers, one per random column. They are part of the data's
// definition: renumbering them changes every generated value.
const (
	sRegionComment streamID = iota + 1
	sNationComment

	sSuppAddress
	sSuppNation
	sSuppPhone
	sSuppAcctbal
	sSuppComment
	sSuppBBB // selects the "Customer ... Complaints/Recommends" rows

	sCustAddress
	sCustNation
	sCustPhone
	sCustAcctbal
	sCustSegment
	sCustComment

	sPartName
	sPartMfgr
	sPartBrand
	sPartType
	sPartSize
	sPartContainer
	sPartComment

	sPSAvailqty
	sPSSupplycost
	sPSComment

	sOrderCustkey
	sOrderDate
	sOrderPriority
	sOrderClerk
	sOrderComment

	sLineCount // seed-independent: lineitem's cardinality depends on SF only
	sLinePartkey
	sLineSupplier
	sLineQuantity
	sLineDiscount
	sLineTax
	sLineShip
	sLineCommit
	sLineReceipt
	sLineReturnflag
	sLineInstruct
	sLineMode
	sLineComment
)

// defaultSeed is used when Options.Seed is 0.
const defaultSeed = 0x5eed_0f_7bc4

// lineCountStream is the stream of lines per order; it ignores the seed.
var lineCountStream = newStream(defaultSeed, sLineCount)

// lineCount returns how many lines order idx (0-based) has: 1 to 7.
func lineCount(idx int64) int {
	return int(uniform(draw(lineCountStream, uint64(idx)), 1, maxLinesPerOrder))
}

// countLines returns the number of lines of orders [lo, hi).
func countLines(lo, hi int64) int64 {
	var n int64
	for i := lo; i < hi; i++ {
		n += int64(lineCount(i))
	}
	return n
}

// orderKey maps the 0-based order index onto the spec's sparse keys: only
// the first 8 of every 32 keys are used, so orders can be inserted later
// (the refresh functions) without colliding.
func orderKey(idx int64) int64 { return idx/8*32 + idx%8 + 1 }

// retailPriceCents is clause 4.2.3's P_RETAILPRICE formula, in cents.
func retailPriceCents(partkey int64) int64 {
	return 90000 + (partkey/10)%20001 + 100*(partkey%1000)
}

// suppKey is the i-th (0..3) supplier of a part, clause 4.2.3's PS_SUPPKEY
// formula with S suppliers. Lineitem uses it with a random i, so every
// (l_partkey, l_suppkey) pair is a row of partsupp.
func suppKey(partkey int64, i int64, s int64) int64 {
	return (partkey+i*(s/4+(partkey-1)/s))%s + 1
}

// orderModel holds the streams that orders and lineitem share: the order
// date and the fields of each line that o_totalprice and o_orderstatus are
// computed from. Line j of order idx uses position idx*8+j of the line
// streams, so both tables derive the same values independently.
type orderModel struct {
	scale    scale
	date     uint64
	partkey  uint64
	quantity uint64
	discount uint64
	tax      uint64
	ship     uint64
}

func newOrderModel(seed uint64, s scale) orderModel {
	return orderModel{
		scale:    s,
		date:     newStream(seed, sOrderDate),
		partkey:  newStream(seed, sLinePartkey),
		quantity: newStream(seed, sLineQuantity),
		discount: newStream(seed, sLineDiscount),
		tax:      newStream(seed, sLineTax),
		ship:     newStream(seed, sLineShip),
	}
}

// linePos is the stream position of line j (0-based) of order idx.
func linePos(idx int64, j int) uint64 { return uint64(idx)*8 + uint64(j) }

func (m *orderModel) orderDate(idx int64) int32 {
	return int32(uniform(draw(m.date, uint64(idx)), startDate, lastOrderDate))
}

func (m *orderModel) partKey(pos uint64) int64 {
	return uniform(draw(m.partkey, pos), 1, m.scale.parts)
}

func (m *orderModel) quantityOf(pos uint64) int64 { return uniform(draw(m.quantity, pos), 1, 50) }

// discountOf and taxOf are in hundredths: 0.00..0.10 and 0.00..0.08.
func (m *orderModel) discountOf(pos uint64) int64 { return uniform(draw(m.discount, pos), 0, 10) }
func (m *orderModel) taxOf(pos uint64) int64      { return uniform(draw(m.tax, pos), 0, 8) }

// shipDate is the order date plus 1 to 121 days.
func (m *orderModel) shipDate(orderDate int32, pos uint64) int32 {
	return orderDate + int32(uniform(draw(m.ship, pos), 1, 121))
}

// chargeCents is one line's contribution to o_totalprice:
// extendedprice * (1 + tax) * (1 - discount), rounded to the cent.
func chargeCents(extCents, discount, tax int64) int64 {
	return (extCents*(100-discount)*(100+tax) + 5000) / 10000
}

// summarize returns o_totalprice (in cents) and o_orderstatus of order idx:
// 'F' when every line shipped by CURRENTDATE, 'O' when none did, else 'P'.
func (m *orderModel) summarize(idx int64, orderDate int32) (int64, byte) {
	n := lineCount(idx)
	var total int64
	shipped := 0
	for j := range n {
		pos := linePos(idx, j)
		ext := m.quantityOf(pos) * retailPriceCents(m.partKey(pos))
		total += chargeCents(ext, m.discountOf(pos), m.taxOf(pos))
		if m.shipDate(orderDate, pos) <= currentDate {
			shipped++
		}
	}
	switch shipped {
	case n:
		return total, 'F'
	case 0:
		return total, 'O'
	default:
		return total, 'P'
	}
}
