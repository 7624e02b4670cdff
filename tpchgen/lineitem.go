package tpchgen

// lineitemFiller generates the lines of orders [lo, hi). A batch may end in
// the middle of an order; the cursor (order, line) carries on from there.
type lineitemFiller struct {
	pool  []byte
	model orderModel
	// cursor: the next line to plan
	order, hi int64
	line      int

	// the planned batch: order index and 0-based line number of each row
	orders []int64
	lines  []int8

	supplier, commit, receipt, returnflag, instruct, mode, comment uint64
}

func newLineitemFiller(lo, hi int64, seed uint64, s scale, pool []byte) *lineitemFiller {
	return &lineitemFiller{
		pool:       pool,
		model:      newOrderModel(seed, s),
		order:      lo,
		hi:         hi,
		supplier:   newStream(seed, sLineSupplier),
		commit:     newStream(seed, sLineCommit),
		receipt:    newStream(seed, sLineReceipt),
		returnflag: newStream(seed, sLineReturnflag),
		instruct:   newStream(seed, sLineInstruct),
		mode:       newStream(seed, sLineMode),
		comment:    newStream(seed, sLineComment),
	}
}

func (f *lineitemFiller) plan(limit int) int {
	// Never size the scratch beyond what the remaining orders can hold.
	limit = int(min(int64(limit), (f.hi-f.order)*maxLinesPerOrder))
	if cap(f.orders) < limit {
		f.orders = make([]int64, limit)
		f.lines = make([]int8, limit)
	}
	f.orders, f.lines = f.orders[:limit], f.lines[:limit]
	n := 0
	for n < limit && f.order < f.hi {
		count := lineCount(f.order)
		for f.line < count && n < limit {
			f.orders[n] = f.order
			f.lines[n] = int8(f.line)
			f.line++
			n++
		}
		if f.line == count {
			f.order++
			f.line = 0
		}
	}
	return n
}

func (f *lineitemFiller) maxLen(col int) int {
	switch col {
	case 8, 9:
		return 1
	case 13:
		return maxLen(instructions[:])
	case 14:
		return maxLen(shipModes[:])
	default:
		return lineitemComment.max
	}
}

func (f *lineitemFiller) fill(b *batch, from, to int) {
	var (
		orderKeys, partKeys, suppKeys, lineNos = b.cols[0].i64, b.cols[1].i64, b.cols[2].i64, b.cols[3].i64
		qtys, prices, discounts, taxes         = &b.cols[4], &b.cols[5], &b.cols[6], &b.cols[7]
		flags, statuses                        = &b.cols[8], &b.cols[9]
		ships, commits, receipts               = b.cols[10].i32, b.cols[11].i32, b.cols[12].i32
		instrs, modes, comments                = &b.cols[13], &b.cols[14], &b.cols[15]
		m                                      = &f.model
		suppliers                              = m.scale.suppliers
	)
	for i := from; i < to; i++ {
		idx, j := f.orders[i], int(f.lines[i])
		pos := linePos(idx, j)
		orderKeys[i] = orderKey(idx)
		pk := m.partKey(pos)
		partKeys[i] = pk
		suppKeys[i] = suppKey(pk, uniform(draw(f.supplier, pos), 0, suppliersPerPart-1), suppliers)
		lineNos[i] = int64(j + 1)

		qty := m.quantityOf(pos)
		qtys.setDec(i, qty*100)
		prices.setDec(i, qty*retailPriceCents(pk))
		discounts.setDec(i, m.discountOf(pos))
		taxes.setDec(i, m.taxOf(pos))

		orderDate := m.orderDate(idx)
		ship := m.shipDate(orderDate, pos)
		receipt := ship + int32(uniform(draw(f.receipt, pos), 1, 30))
		ships[i] = ship
		commits[i] = orderDate + int32(uniform(draw(f.commit, pos), 30, 90))
		receipts[i] = receipt
		switch {
		case receipt > currentDate:
			flags.putString("N")
		case draw(f.returnflag, pos)&1 == 0:
			flags.putString("R")
		default:
			flags.putString("A")
		}
		if ship > currentDate {
			statuses.putString("O")
		} else {
			statuses.putString("F")
		}
		instrs.putString(instructions[pick(draw(f.instruct, pos), len(instructions))])
		modes.putString(shipModes[pick(draw(f.mode, pos), len(shipModes))])
		comments.put(textAt(f.pool, draw(f.comment, pos), lineitemComment))
	}
}
