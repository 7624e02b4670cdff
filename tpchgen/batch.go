package tpchgen

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// colBuf is one column of the batch being built. Values are written
// straight into allocator-owned buffers through typed views, with no
// builders and no per-value bookkeeping.
type colBuf struct {
	kind colKind
	vals *memory.Buffer // fixed-width values, or the bytes of a string column
	offs *memory.Buffer // string offsets (n+1 int32), nil for fixed width

	i64  []int64 // kInt values; for kDec two words per value (low, high)
	i32  []int32 // kDate values (days since the epoch)
	off  []int32 // kStr offsets
	data []byte  // kStr bytes, capacity from the filler's maxLen
	pos  int32   // kStr bytes used
	n    int     // kStr values written
}

// setDec stores a DECIMAL(15,2) given in hundredths at row i.
func (c *colBuf) setDec(i int, cents int64) {
	c.i64[2*i] = cents
	c.i64[2*i+1] = cents >> 63 // sign extension into the high word
}

// put appends the next string value.
func (c *colBuf) put(s []byte) {
	c.pos += int32(copy(c.data[c.pos:], s))
	c.n++
	c.off[c.n] = c.pos
}

// putString appends the next string value.
func (c *colBuf) putString(s string) {
	c.pos += int32(copy(c.data[c.pos:], s))
	c.n++
	c.off[c.n] = c.pos
}

// grab reserves the next value of exactly size bytes and returns it for
// the caller to fill in place (zero padded numbers, phones, addresses).
func (c *colBuf) grab(size int) []byte {
	start := c.pos
	c.pos += int32(size)
	c.n++
	c.off[c.n] = c.pos
	return c.data[start:c.pos:c.pos]
}

// batch is the set of columns of one record under construction.
type batch struct {
	cols []colBuf
	n    int
}

func newBuffer(mem memory.Allocator, size int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(size)
	return b
}

// alloc prepares buffers for n rows of def; strLen bounds the bytes per row
// of each string column. The buffers need not be zeroed: every filler
// writes every value of every row.
func (b *batch) alloc(mem memory.Allocator, def *tableDef, n int, strLen func(col int) int) {
	b.n = n
	if cap(b.cols) < len(def.cols) {
		b.cols = make([]colBuf, len(def.cols))
	}
	b.cols = b.cols[:len(def.cols)]
	for i, c := range def.cols {
		cb := colBuf{kind: c.kind}
		switch c.kind {
		case kInt:
			cb.vals = newBuffer(mem, n*8)
			cb.i64 = arrow.Int64Traits.CastFromBytes(cb.vals.Bytes())
		case kDec:
			cb.vals = newBuffer(mem, n*16)
			cb.i64 = arrow.Int64Traits.CastFromBytes(cb.vals.Bytes())
		case kDate:
			cb.vals = newBuffer(mem, n*4)
			cb.i32 = arrow.Int32Traits.CastFromBytes(cb.vals.Bytes())
		case kStr:
			cb.offs = newBuffer(mem, (n+1)*4)
			cb.off = arrow.Int32Traits.CastFromBytes(cb.offs.Bytes())
			cb.off[0] = 0 // the allocator may hand out recycled memory
			cb.vals = newBuffer(mem, n*strLen(i))
			cb.data = cb.vals.Bytes()
		}
		b.cols[i] = cb
	}
}

// release frees the buffers of an unfinished batch (cancellation).
func (b *batch) release() {
	for i := range b.cols {
		if b.cols[i].vals != nil {
			b.cols[i].vals.Release()
		}
		if b.cols[i].offs != nil {
			b.cols[i].offs.Release()
		}
		b.cols[i] = colBuf{}
	}
}

// record turns the finished batch into a record, handing the buffers over.
func (b *batch) record(def *tableDef) arrow.Record {
	arrs := make([]arrow.Array, len(b.cols))
	for i := range b.cols {
		c := &b.cols[i]
		var bufs []*memory.Buffer
		if c.kind == kStr {
			// Trim the length (not the capacity) to the bytes written.
			c.vals.ResizeNoShrink(int(c.pos))
			bufs = []*memory.Buffer{nil, c.offs, c.vals}
		} else {
			bufs = []*memory.Buffer{nil, c.vals}
		}
		data := array.NewData(def.schema.Field(i).Type, b.n, bufs, nil, 0, 0)
		arrs[i] = array.MakeFromData(data)
		data.Release()
	}
	b.release() // the arrays hold their own references now
	rec := array.NewRecord(def.schema, arrs, int64(b.n))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}
