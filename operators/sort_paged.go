package operators

import "github.com/minisql/minisql/paged"

// A large sort partitions its records before it sorts them, so that no
// allocation grows with the input. Sorting 20M rows in one piece made two
// arrays of 320 MB for the records and their scratch; the runtime zeroes
// such an allocation in one call (tens of milliseconds) and often starts a
// garbage collection from it, and no cancel can be seen meanwhile.
//
// Instead the records are encoded a batch at a time, then split on their
// most significant differing byte into 256 buckets kept in fixed-size
// pages, bucket by bucket again on the next byte while a bucket is larger
// than a run. A bucket of at most a run's rows is copied into one reused
// buffer and sorted there by the ordinary path (radix sort, then runs of
// ties), and its ids are appended to the order. The split is stable, and
// buckets are finished in byte order, so the order is the one a single
// sort would give. Every pass spends budget a page or a batch at a time.

// splitPiece is the most records split scatters between two spends.
const splitPiece = 4096

// pagedSizes bounds a large sort's allocations.
type pagedSizes struct {
	runRows  int // a bucket of at most this many rows is sorted in one buffer
	pageRecs int // records per page of a bucket
}

// defaultPagedSizes keeps a run's buffer and its scratch at 512 KiB per
// record word (within a core's share of cache), and a page at 32 KiB per
// word, so that the 256 pages a split starts cost little when buckets are
// small.
func defaultPagedSizes() pagedSizes { return pagedSizes{runRows: 1 << 16, pageRecs: 1 << 12} }

// recPages is records kept in pages, in order. Every page holds whole
// records; its length is the records it holds.
type recPages struct {
	pages [][]uint64
	n     int // records
}

// pagedSort is one large sort by a layout planned over the whole input.
type pagedSort struct {
	s     *sorter
	set   *rowSet
	l     *keyLayout
	sizes pagedSizes
	w     int
	free  [][]uint64 // empty pages of pageRecs records, to fill again
	buf   []uint64   // a run's records, contiguous
	tmp   []uint64   // the radix sort's scratch for a run
	order *rowOrder
}

// sortPaged orders every row of set by the sorter's keys. report is told
// the Go memory held, at most: every record in a page, every id in the
// order, and the run buffers.
func (s *sorter) sortPaged(set *rowSet, sizes pagedSizes, report func(int64)) (*rowOrder, error) {
	l, err := planLayout(s.t, s.keys, s.schema, set, 0)
	if err != nil {
		return nil, err
	}
	report(int64((set.len()*(l.words+1) + 2*sizes.runRows*l.words) * 8))
	p := &pagedSort{s: s, set: set, l: l, sizes: sizes, w: l.words, order: &rowOrder{set: set}}
	top, err := p.encode()
	if err != nil {
		return nil, err
	}
	if err := p.sortBucket(top, 0); err != nil {
		return nil, err
	}
	return p.order, nil
}

// encode writes the records of the set's rows, one page per batch.
func (p *pagedSort) encode() (recPages, error) {
	var top recPages
	var scratch []uint64
	g0 := 0
	err := p.set.groups(func(g *rowGroup) error {
		n := g.len()
		if n == 0 {
			return nil
		}
		page, err := p.fresh(n)
		if err != nil {
			return err
		}
		if err := p.l.encodeGroup(p.s.t, p.set, g, g0, page, &scratch); err != nil {
			return err
		}
		top.pages = append(top.pages, page)
		top.n += n
		g0 += n
		return nil
	})
	return top, err
}

// sortBucket appends to the order the rows of r, whose records agree on
// every byte before b.
func (p *pagedSort) sortBucket(r recPages, b int) error {
	if r.n <= p.sizes.runRows {
		return p.sortRun(r)
	}
	diff, err := p.diff(r)
	if err != nil {
		return err
	}
	for b < p.l.keyEnd && byteOf(diff, b) == 0 {
		b++
	}
	if b >= p.l.keyEnd { // equal codes: the records are in input order
		return p.emitTies(r)
	}
	buckets, err := p.split(r, b)
	if err != nil {
		return err
	}
	for i := range buckets {
		if buckets[i].n > 0 {
			if err := p.sortBucket(buckets[i], b+1); err != nil {
				return err
			}
			buckets[i] = recPages{} // let its pages go
		}
	}
	return nil
}

// diff returns the bits of the codes (not the ids) in which some record
// of r differs from the first.
func (p *pagedSort) diff(r recPages) ([]uint64, error) {
	w := p.w
	first, d := r.pages[0][:w], make([]uint64, w)
	for _, page := range r.pages {
		for k := 0; k < w; k++ {
			acc := d[k]
			for i := k; i < len(page); i += w {
				acc |= page[i] ^ first[k]
			}
			d[k] = acc
		}
		if err := p.s.t.Spend(len(page) / w); err != nil {
			return nil, err
		}
	}
	d[w-1] &^= 1<<p.l.idBits - 1
	return d, nil
}

// split moves the records of r into 256 buckets by the code bits of byte
// b, keeping their order within a bucket, and frees r's pages as it goes.
// The byte's id bits, if it has some, must not split records with equal
// codes apart: when a string prefix leaves keys undecided, such records
// are a run of ties that only the comparator orders.
func (p *pagedSort) split(r recPages, b int) ([]recPages, error) {
	w := p.w
	word, shift := b>>3, 56-8*(b&7)
	codeBits := make([]uint64, w)
	for k := range codeBits {
		codeBits[k] = ^uint64(0)
	}
	codeBits[w-1] &^= 1<<p.l.idBits - 1
	keep := byteOf(codeBits, b)
	out := make([]recPages, 256)
	var cur [256][]uint64 // each bucket's page being filled
	var fill [256]int     // words written to it
	next := func(k byte) (err error) {
		if cur[k] != nil {
			out[k].pages = append(out[k].pages, cur[k])
			out[k].n += len(cur[k]) / w
		}
		cur[k], err = p.page()
		fill[k] = 0
		return err
	}
	// A page is a batch of the input at the first split, and a sort joins
	// its batches into records of 32K rows (keptBatches): scattered whole,
	// with fresh bucket pages faulting in, one took about 1 ms between two
	// checks. Pieces of splitPiece records keep each well under that.
	piece := splitPiece * w
	for _, whole := range r.pages {
		for lo := 0; lo < len(whole); lo += piece {
			page := whole[lo:min(lo+piece, len(whole))]
			switch w { // copy's call costs more than a record of one or two words
			case 1:
				for _, v := range page {
					k := byte(v>>shift) & keep
					if fill[k] == len(cur[k]) {
						if err := next(k); err != nil {
							return nil, err
						}
					}
					cur[k][fill[k]] = v
					fill[k]++
				}
			case 2:
				for i := 0; i+1 < len(page); i += 2 {
					v0, v1 := page[i], page[i+1]
					k := byte(page[i+word]>>shift) & keep
					if fill[k] == len(cur[k]) {
						if err := next(k); err != nil {
							return nil, err
						}
					}
					f := fill[k]
					dst := cur[k][f : f+2 : f+2]
					dst[0], dst[1] = v0, v1
					fill[k] = f + 2
				}
			default:
				for i := 0; i < len(page); i += w {
					k := byte(page[i+word]>>shift) & keep
					if fill[k] == len(cur[k]) {
						if err := next(k); err != nil {
							return nil, err
						}
					}
					copy(cur[k][fill[k]:fill[k]+w], page[i:i+w])
					fill[k] += w
				}
			}
			if err := p.s.t.Spend(len(page) / w); err != nil {
				return nil, err
			}
		}
		p.release(whole)
	}
	for k := range out {
		if cur[k] != nil {
			out[k].pages = append(out[k].pages, cur[k][:fill[k]])
			out[k].n += fill[k] / w
		}
	}
	return out, nil
}

// page returns an empty page, reused if one is free.
func (p *pagedSort) page() ([]uint64, error) {
	if n := len(p.free); n > 0 {
		pg := p.free[n-1]
		p.free = p.free[:n-1]
		return pg, nil
	}
	return p.fresh(p.sizes.pageRecs)
}

// fresh makes a page for n records, its capacity rounded up to whole
// bucket pages, so that split can reuse it once it has read it. Its
// memory is faulted in with checks (paged.Prefault): new memory faults on
// first touch, 15 µs a page on the paravirtualised VMs, and a batch of
// 8192 two-word records takes 32 faults, which the loops filling it took
// between two checks (0.8-1.3 ms with the slow ones).
func (p *pagedSort) fresh(n int) ([]uint64, error) {
	size := p.sizes.pageRecs
	pg := make([]uint64, (n+size-1)/size*size*p.w)
	if err := paged.Prefault(p.s.t, pg); err != nil {
		return nil, err
	}
	return pg[:n*p.w], nil
}

// release keeps a page that will not be read again for reuse, cut into
// bucket pages; pages of another size (sortRun's) are left to the
// garbage collector.
func (p *pagedSort) release(page []uint64) {
	size := p.sizes.pageRecs * p.w
	if c := cap(page); c == 0 || c%size != 0 {
		return
	}
	page = page[:cap(page)]
	for lo := 0; lo < len(page); lo += size {
		p.free = append(p.free, page[lo:lo+size:lo+size])
	}
}

// sortRun sorts a bucket of at most a run's rows in the run buffer.
func (p *pagedSort) sortRun(r recPages) error {
	w, n := p.w, r.n
	if p.buf == nil {
		p.buf, p.tmp = make([]uint64, p.sizes.runRows*w), make([]uint64, p.sizes.runRows*w)
	}
	recs, at := p.buf[:n*w], 0
	for _, page := range r.pages {
		at += copy(recs[at:], page)
		p.release(page)
	}
	if err := p.s.t.Spend(n / 4); err != nil {
		return err
	}
	o, err := p.s.sortEncoded(p.set, p.l, 0, recs, p.tmp[:n*w], make([]uint64, n))
	if err != nil {
		return err
	}
	p.order.add(o.ids)
	return nil
}

// emitTies appends a bucket whose records differ in their ids only. When
// the layout decides every key, input order is the order. Else the rows
// may still differ past an encoded string prefix, and the bucket is
// sorted again as one run of ties (which, rarely, makes arrays as large
// as the bucket).
func (p *pagedSort) emitTies(r recPages) error {
	w := p.w
	mask := uint64(1)<<p.l.idBits - 1
	if p.l.tieKey == len(p.s.keys) {
		for _, page := range r.pages {
			ids := make([]uint64, len(page)/w)
			for i := range ids {
				ids[i] = page[i*w+w-1] & mask
			}
			p.order.add(ids)
			p.release(page)
			if err := p.s.t.Spend(len(ids)); err != nil {
				return err
			}
		}
		return nil
	}
	recs := make([]uint64, 0, r.n*w)
	for _, page := range r.pages {
		recs = append(recs, page...)
		p.release(page)
	}
	ids := make([]uint64, r.n)
	for i := range ids {
		ids[i] = recs[i*w+w-1] & mask
	}
	o := &sortedRows{ids: ids, set: p.set}
	if err := p.s.breakTies(o, p.l, 0, recs); err != nil {
		return err
	}
	p.order.add(o.ids)
	return nil
}
