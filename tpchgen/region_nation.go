package tpchgen

// regionFiller generates the five fixed regions with random comments.
type regionFiller struct {
	rowCursor
	pool    []byte
	comment uint64
}

func (f *regionFiller) maxLen(col int) int {
	if col == 1 {
		return maxLen(regions[:])
	}
	return regionComment.max
}

func (f *regionFiller) fill(b *batch, from, to int) {
	keys, names, comments := b.cols[0].i64, &b.cols[1], &b.cols[2]
	for i := from; i < to; i++ {
		row := f.start + int64(i)
		keys[i] = row
		names.putString(regions[row])
		comments.put(textAt(f.pool, draw(f.comment, uint64(row)), regionComment))
	}
}

// nationFiller generates the 25 fixed nations with random comments.
type nationFiller struct {
	rowCursor
	pool    []byte
	comment uint64
}

func (f *nationFiller) maxLen(col int) int {
	if col == 1 {
		m := 0
		for _, n := range nations {
			m = max(m, len(n.name))
		}
		return m
	}
	return nationComment.max
}

func (f *nationFiller) fill(b *batch, from, to int) {
	keys, names, regionKeys, comments := b.cols[0].i64, &b.cols[1], b.cols[2].i64, &b.cols[3]
	for i := from; i < to; i++ {
		row := f.start + int64(i)
		keys[i] = row
		names.putString(nations[row].name)
		regionKeys[i] = nations[row].region
		comments.put(textAt(f.pool, draw(f.comment, uint64(row)), nationComment))
	}
}
