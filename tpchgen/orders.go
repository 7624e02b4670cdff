package tpchgen

// ordersFiller generates orders. o_totalprice and o_orderstatus come from
// the order's lines, recomputed from the shared line streams (orderModel)
// rather than read from a lineitem generator, so the two tables can be
// generated separately, in any order and in parallel.
type ordersFiller struct {
	rowCursor
	pool                               []byte
	model                              orderModel
	customers                          int64
	clerk                              namer
	clerks                             int64
	custkey, priority, clerkS, comment uint64
}

func newOrdersFiller(rc rowCursor, seed uint64, s scale, pool []byte) *ordersFiller {
	return &ordersFiller{
		rowCursor: rc,
		pool:      pool,
		model:     newOrderModel(seed, s),
		customers: s.customers,
		clerk:     newNamer("Clerk#", s.clerks),
		clerks:    s.clerks,
		custkey:   newStream(seed, sOrderCustkey),
		priority:  newStream(seed, sOrderPriority),
		clerkS:    newStream(seed, sOrderClerk),
		comment:   newStream(seed, sOrderComment),
	}
}

func (f *ordersFiller) maxLen(col int) int {
	switch col {
	case 2:
		return 1
	case 5:
		return maxLen(priorities[:])
	case 6:
		return f.clerk.size()
	default:
		return ordersComment.max
	}
}

// statusText holds the one-letter strings so no value is built per row.
var statusText = [256]string{'F': "F", 'O': "O", 'P': "P"}

func (f *ordersFiller) fill(b *batch, from, to int) {
	keys, custs, statuses, totals := b.cols[0].i64, b.cols[1].i64, &b.cols[2], &b.cols[3]
	dates, prios, clerks, shipPrios, comments := b.cols[4].i32, &b.cols[5], &b.cols[6], b.cols[7].i64, &b.cols[8]
	for i := from; i < to; i++ {
		idx := f.start + int64(i)
		pos := uint64(idx)
		keys[i] = orderKey(idx)
		custs[i] = orderCustomer(draw(f.custkey, pos), f.customers)
		date := f.model.orderDate(idx)
		dates[i] = date
		total, status := f.model.summarize(idx, date)
		statuses.putString(statusText[status])
		totals.setDec(i, total)
		prios.putString(priorities[pick(draw(f.priority, pos), len(priorities))])
		f.clerk.put(clerks, uniform(draw(f.clerkS, pos), 1, f.clerks))
		shipPrios[i] = 0
		comments.put(textAt(f.pool, draw(f.comment, pos), ordersComment))
	}
}

// orderCustomer picks o_custkey. Customers whose key is a multiple of 3 place
// no orders (clause 4.2.3), so a third of the customers have none, which q13
// and q22 look for. A multiple of 3 that is drawn moves to the next key (the
// previous one at the end of the range), as in the official data: keys
// = 1 mod 3 get twice the orders of keys = 2 mod 3, which gives q13's
// c_count histogram its official width.
func orderCustomer(r uint64, customers int64) int64 {
	key := uniform(r, 1, customers)
	if key%3 == 0 {
		if key < customers {
			key++
		} else {
			key--
		}
	}
	return key
}
