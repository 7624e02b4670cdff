package csvsrc

import (
	"bytes"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
)

// The column builders write Arrow buffers directly: one allocation per
// buffer sized from the row count (and, for strings, the exact byte
// count), a typed loop per column, and a validity bitmap only once a NULL
// shows up. Each returns the array, or the row of the first bad value and
// why it is bad.

// validity is a lazily allocated validity bitmap.
type validity struct {
	buf   *memory.Buffer
	nulls int
}

func (v *validity) setNull(mem memory.Allocator, i, n int) {
	if v.buf == nil {
		v.buf = memory.NewResizableBuffer(mem)
		v.buf.Resize(int(bitutil.BytesForBits(int64(n))))
		b := v.buf.Bytes()
		for k := range b {
			b[k] = 0xff
		}
	}
	bitutil.ClearBit(v.buf.Bytes(), i)
	v.nulls++
}

func (v *validity) release() {
	if v.buf != nil {
		v.buf.Release()
	}
}

// finish wraps buffers into an array and drops the builder's references.
func finish(dt arrow.DataType, n int, v *validity, bufs ...*memory.Buffer) arrow.Array {
	all := append([]*memory.Buffer{v.buf}, bufs...)
	data := array.NewData(dt, n, all, nil, v.nulls, 0)
	arr := array.MakeFromData(data)
	data.Release()
	v.release()
	for _, b := range bufs {
		b.Release()
	}
	return arr
}

// text returns a field's content (quotes stripped) and whether it is NULL.
// Doubled quotes are left in place: only strings undo them.
func (r *Reader) text(b []byte) ([]byte, bool) {
	if len(b) == 0 {
		return b, r.emptyNull
	}
	if r.quoting && b[0] == r.quote {
		return b[1 : len(b)-1], false
	}
	if r.otherNulls != nil && r.matchNull(b) {
		return b, true
	}
	return b, false
}

func (r *Reader) matchNull(b []byte) bool {
	for _, n := range r.otherNulls {
		if bytes.Equal(b, n) {
			return true
		}
	}
	return false
}

func (r *Reader) buildColumn(c *rcol, n int) (arrow.Array, int, parseErr) {
	switch c.typ.Kind {
	case types.Int64:
		return r.buildInt64(c, n)
	case types.Float64:
		return r.buildFloat64(c, n)
	case types.Decimal:
		return r.buildDecimal(c, n)
	case types.Date:
		return r.buildDate(c, n)
	case types.Timestamp:
		return r.buildTimestamp(c, n)
	case types.Bool:
		return r.buildBool(c, n)
	}
	return r.buildString(c, n)
}

func (r *Reader) buildInt64(c *rcol, n int) (arrow.Array, int, parseErr) {
	vb := memory.NewResizableBuffer(r.mem)
	vb.Resize(n * 8)
	vals := arrow.Int64Traits.CastFromBytes(vb.Bytes())[:n]
	var valid validity
	buf := r.buf[r.bstart:]
	for i, sp := range c.spans[:n] {
		b, null := r.text(buf[sp.s:sp.e])
		if null {
			valid.setNull(r.mem, i, n)
			vals[i] = 0
			continue
		}
		v, e := parseInt64(b)
		if e != parseOK {
			vb.Release()
			valid.release()
			return nil, i, e
		}
		vals[i] = v
	}
	return finish(c.dt, n, &valid, vb), -1, parseOK
}

func (r *Reader) buildFloat64(c *rcol, n int) (arrow.Array, int, parseErr) {
	vb := memory.NewResizableBuffer(r.mem)
	vb.Resize(n * 8)
	vals := arrow.Float64Traits.CastFromBytes(vb.Bytes())[:n]
	var valid validity
	buf := r.buf[r.bstart:]
	for i, sp := range c.spans[:n] {
		b, null := r.text(buf[sp.s:sp.e])
		if null {
			valid.setNull(r.mem, i, n)
			vals[i] = 0
			continue
		}
		v, e := parseFloat(b)
		if e != parseOK {
			vb.Release()
			valid.release()
			return nil, i, e
		}
		vals[i] = v
	}
	return finish(c.dt, n, &valid, vb), -1, parseOK
}

func (r *Reader) buildDecimal(c *rcol, n int) (arrow.Array, int, parseErr) {
	vb := memory.NewResizableBuffer(r.mem)
	vb.Resize(n * arrow.Decimal128SizeBytes)
	vals := arrow.Decimal128Traits.CastFromBytes(vb.Bytes())[:n]
	prec, scale := int32(c.typ.Precision), int32(c.typ.Scale)
	var valid validity
	buf := r.buf[r.bstart:]
	for i, sp := range c.spans[:n] {
		b, null := r.text(buf[sp.s:sp.e])
		if null {
			valid.setNull(r.mem, i, n)
			vals[i] = decimal128.Num{}
			continue
		}
		v, e := parseDecimal(b, prec, scale)
		if e != parseOK {
			vb.Release()
			valid.release()
			return nil, i, e
		}
		vals[i] = v
	}
	return finish(c.dt, n, &valid, vb), -1, parseOK
}

func (r *Reader) buildDate(c *rcol, n int) (arrow.Array, int, parseErr) {
	vb := memory.NewResizableBuffer(r.mem)
	vb.Resize(n * 4)
	vals := arrow.Date32Traits.CastFromBytes(vb.Bytes())[:n]
	var valid validity
	buf := r.buf[r.bstart:]
	for i, sp := range c.spans[:n] {
		b, null := r.text(buf[sp.s:sp.e])
		if null {
			valid.setNull(r.mem, i, n)
			vals[i] = 0
			continue
		}
		v, e := parseDate(b)
		if e != parseOK {
			vb.Release()
			valid.release()
			return nil, i, e
		}
		vals[i] = arrow.Date32(v)
	}
	return finish(c.dt, n, &valid, vb), -1, parseOK
}

func (r *Reader) buildTimestamp(c *rcol, n int) (arrow.Array, int, parseErr) {
	vb := memory.NewResizableBuffer(r.mem)
	vb.Resize(n * 8)
	vals := arrow.TimestampTraits.CastFromBytes(vb.Bytes())[:n]
	var valid validity
	buf := r.buf[r.bstart:]
	for i, sp := range c.spans[:n] {
		b, null := r.text(buf[sp.s:sp.e])
		if null {
			valid.setNull(r.mem, i, n)
			vals[i] = 0
			continue
		}
		v, e := parseTimestamp(b)
		if e != parseOK {
			vb.Release()
			valid.release()
			return nil, i, e
		}
		vals[i] = arrow.Timestamp(v)
	}
	return finish(c.dt, n, &valid, vb), -1, parseOK
}

func (r *Reader) buildBool(c *rcol, n int) (arrow.Array, int, parseErr) {
	vb := memory.NewResizableBuffer(r.mem)
	vb.Resize(int(bitutil.BytesForBits(int64(n))))
	bits := vb.Bytes()
	clear(bits)
	var valid validity
	buf := r.buf[r.bstart:]
	for i, sp := range c.spans[:n] {
		b, null := r.text(buf[sp.s:sp.e])
		if null {
			valid.setNull(r.mem, i, n)
			continue
		}
		v, e := parseBool(b)
		if e != parseOK {
			vb.Release()
			valid.release()
			return nil, i, e
		}
		if v {
			bitutil.SetBit(bits, i)
		}
	}
	return finish(c.dt, n, &valid, vb), -1, parseOK
}

// buildString copies the fields' bytes. The data buffer is sized by the
// fields' total length, which only shrinks when quotes are removed.
func (r *Reader) buildString(c *rcol, n int) (arrow.Array, int, parseErr) {
	spans := c.spans[:n]
	total := 0
	for _, sp := range spans {
		total += int(sp.e - sp.s)
	}
	ob := memory.NewResizableBuffer(r.mem)
	ob.Resize((n + 1) * 4)
	offs := arrow.Int32Traits.CastFromBytes(ob.Bytes())[:n+1]
	db := memory.NewResizableBuffer(r.mem)
	db.Resize(total)
	data := db.Bytes()
	var valid validity
	buf := r.buf[r.bstart:]
	pos := 0
	offs[0] = 0
	for i, sp := range spans {
		b := buf[sp.s:sp.e]
		switch {
		case len(b) == 0:
			if r.emptyNull {
				valid.setNull(r.mem, i, n)
			}
		case r.quoting && b[0] == r.quote:
			b = b[1 : len(b)-1]
			if bytes.IndexByte(b, r.esc) >= 0 {
				pos += len(appendUnescaped(data[pos:pos], b, r.esc))
			} else {
				pos += copy(data[pos:], b)
			}
		case r.otherNulls != nil && r.matchNull(b):
			valid.setNull(r.mem, i, n)
		default:
			pos += copy(data[pos:], b)
		}
		offs[i+1] = int32(pos)
	}
	db.ResizeNoShrink(pos)
	return finish(c.dt, n, &valid, ob, db), -1, parseOK
}
