package operators

import "github.com/minisql/minisql/vector"

// rowOrder is a sort's result: the ids of set's rows in order, in chunks,
// since a large sort finishes a bucket at a time (sort_paged.go).
type rowOrder struct {
	set    *rowSet
	chunks [][]uint64
	n      int
}

// add appends ids to the order.
func (o *rowOrder) add(ids []uint64) {
	if len(ids) > 0 {
		o.chunks = append(o.chunks, ids)
		o.n += len(ids)
	}
}

// bytes is the Go memory the order holds.
func (o *rowOrder) bytes() int64 {
	var b int64
	for _, c := range o.chunks {
		b += int64(cap(c)) * 8
	}
	return b
}

// orderCursor is a place in a rowOrder, read from its start.
type orderCursor struct{ chunk, off int }

// next appends the refs of the next at most n rows of the order to dst.
func (o *rowOrder) next(c *orderCursor, dst []vector.RowRef, n int) []vector.RowRef {
	for n > 0 && c.chunk < len(o.chunks) {
		ids := o.chunks[c.chunk][c.off:]
		take := min(n, len(ids))
		for _, id := range ids[:take] {
			dst = append(dst, o.set.ref(id))
		}
		n -= take
		if c.off += take; c.off == len(o.chunks[c.chunk]) {
			c.chunk, c.off = c.chunk+1, 0
		}
	}
	return dst
}
