package tpchgen

// wordsPerPartName is the number of distinct colours in a p_name.
const wordsPerPartName = 5

type partFiller struct {
	rowCursor
	pool                                               []byte
	name, mfgr, brand, ptype, size, container, comment uint64
}

func newPartFiller(rc rowCursor, seed uint64, s scale, pool []byte) *partFiller {
	return &partFiller{
		rowCursor: rc,
		pool:      pool,
		name:      newStream(seed, sPartName),
		mfgr:      newStream(seed, sPartMfgr),
		brand:     newStream(seed, sPartBrand),
		ptype:     newStream(seed, sPartType),
		size:      newStream(seed, sPartSize),
		container: newStream(seed, sPartContainer),
		comment:   newStream(seed, sPartComment),
	}
}

func (f *partFiller) maxLen(col int) int {
	switch col {
	case 1:
		return wordsPerPartName*(maxLen(colors[:])+1) - 1
	case 2:
		return len("Manufacturer#1")
	case 3:
		return len("Brand#11")
	case 4:
		return maxLen(typeSyllable1[:]) + maxLen(typeSyllable2[:]) + maxLen(typeSyllable3[:]) + 2
	case 6:
		return maxLen(containerSyllable1[:]) + maxLen(containerSyllable2[:]) + 1
	default:
		return partComment.max
	}
}

func (f *partFiller) fill(b *batch, from, to int) {
	keys, names, mfgrs, brands, types := b.cols[0].i64, &b.cols[1], &b.cols[2], &b.cols[3], &b.cols[4]
	sizes, containers, prices, comments := b.cols[5].i64, &b.cols[6], &b.cols[7], &b.cols[8]
	for i := from; i < to; i++ {
		row := f.start + int64(i)
		pos := uint64(row)
		key := row + 1
		keys[i] = key
		putPartName(names, draw(f.name, pos))

		m := uniform(draw(f.mfgr, pos), 1, 5)
		dst := mfgrs.grab(len("Manufacturer#1"))
		copy(dst, "Manufacturer#")
		dst[13] = byte('0' + m)
		dst = brands.grab(len("Brand#11"))
		copy(dst, "Brand#")
		dst[6] = byte('0' + m)
		dst[7] = byte('0' + uniform(draw(f.brand, pos), 1, 5))

		r := draw(f.ptype, pos)
		s1 := typeSyllable1[pick(r, len(typeSyllable1))]
		s2 := typeSyllable2[pick(mix64(r^1), len(typeSyllable2))]
		s3 := typeSyllable3[pick(mix64(r^2), len(typeSyllable3))]
		dst = types.grab(len(s1) + len(s2) + len(s3) + 2)
		n := copy(dst, s1)
		dst[n] = ' '
		n += 1 + copy(dst[n+1:], s2)
		dst[n] = ' '
		copy(dst[n+1:], s3)

		sizes[i] = uniform(draw(f.size, pos), 1, 50)

		r = draw(f.container, pos)
		c1 := containerSyllable1[pick(r, len(containerSyllable1))]
		c2 := containerSyllable2[pick(mix64(r), len(containerSyllable2))]
		dst = containers.grab(len(c1) + len(c2) + 1)
		n = copy(dst, c1)
		dst[n] = ' '
		copy(dst[n+1:], c2)

		prices.setDec(i, retailPriceCents(key))
		comments.put(textAt(f.pool, draw(f.comment, pos), partComment))
	}
}

// putPartName writes five distinct colours separated by spaces. Duplicates
// are redrawn: with 92 words that costs 0.1 extra draws per name on average.
func putPartName(c *colBuf, r uint64) {
	g := local{s: r}
	var chosen [wordsPerPartName]uint8
	size := wordsPerPartName - 1
	for k := 0; k < wordsPerPartName; {
		w := uint8(pick(g.next(), len(colors)))
		dup := false
		for _, prev := range chosen[:k] {
			dup = dup || prev == w
		}
		if !dup {
			chosen[k] = w
			size += len(colors[w])
			k++
		}
	}
	dst := c.grab(size)
	n := 0
	for k, w := range chosen {
		if k > 0 {
			dst[n] = ' '
			n++
		}
		n += copy(dst[n:], colors[w])
	}
}
