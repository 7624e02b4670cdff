package hashtab

import (
	"encoding/binary"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// Keys of several columns, or of a non-integer column, are serialised row
// by row into a byte string: per column a NULL flag byte, then the value
// (8 bytes for BIGINT and DOUBLE, 4 for DATE, 16 for DECIMAL, 1 for
// BOOLEAN, a 4-byte length and the bytes for VARCHAR). Equal keys have
// equal encodings, so hashing and comparing bytes is enough.

// encoder serialises the key columns of one batch into rows of buf.
type encoder struct {
	buf  []byte
	offs []int32 // row i is buf[offs[i]:offs[i+1]]
	pos  []int32 // write cursor per row
}

// row returns the serialised key of row i.
func (e *encoder) row(i int) []byte { return e.buf[e.offs[i]:e.offs[i+1]] }

// bytes is the memory the encoder holds.
func (e *encoder) bytes() int64 { return int64(cap(e.buf)) + int64(cap(e.offs)+cap(e.pos))*4 }

func fixedWidth(t types.T) int {
	switch t.Kind {
	case types.Int64, types.Float64, types.Timestamp:
		return 8
	case types.Date:
		return 4
	case types.Decimal:
		return 16
	case types.Bool:
		return 1
	case types.Null:
		return 0
	}
	return -1
}

// encode serialises rows [0, n) of cols.
func (e *encoder) encode(cols []arrow.Array, ts []types.T, n int) {
	// Row sizes first, so every column can be written straight into place.
	if cap(e.offs) < n+1 {
		e.offs = make([]int32, n+1)
	}
	e.offs = e.offs[:n+1]
	fixed, varying := 0, false
	for i := range cols {
		if w := fixedWidth(ts[i]); w >= 0 {
			fixed += 1 + w
		} else {
			fixed += 1 + 4
			varying = true
		}
	}
	if !varying {
		e.fixedOffsets(fixed)
	} else {
		e.varyingOffsets(cols, ts, fixed, n)
	}
	total := e.offs[n]
	if cap(e.buf) < int(total) {
		e.buf = make([]byte, total)
	}
	e.buf = e.buf[:total]
	if cap(e.pos) < n {
		e.pos = make([]int32, n)
	}
	pos := e.pos[:n]
	copy(pos, e.offs[:n])
	for ci, c := range cols {
		e.encodeColumn(c, ts[ci], pos)
	}
}

// fixedOffsets sets offs for rows of width w each.
func (e *encoder) fixedOffsets(w int) {
	for i := range e.offs {
		e.offs[i] = int32(i * w)
	}
}

// varyingOffsets sets offs for rows of fixed bytes plus their strings.
func (e *encoder) varyingOffsets(cols []arrow.Array, ts []types.T, fixed, n int) {
	// Sizes into offs[:n], one column at a time, then a prefix sum. A NULL
	// string contributes no bytes even when the array gives it some (arrow
	// allows data under a NULL): it is written with length 0, and stale
	// bytes left at the end of its row would make NULL keys differ.
	for i := 0; i < n; i++ {
		e.offs[i] = int32(fixed)
	}
	for ci, c := range cols {
		if fixedWidth(ts[ci]) >= 0 {
			continue
		}
		a := c.(*array.String)
		offs, _ := vector.StringData(a)
		if a.NullN() == 0 {
			for i := 0; i < n; i++ {
				e.offs[i] += offs[i+1] - offs[i]
			}
			continue
		}
		for i := 0; i < n; i++ {
			if a.IsValid(i) {
				e.offs[i] += offs[i+1] - offs[i]
			}
		}
	}
	total := int32(0)
	for i := 0; i < n; i++ {
		size := e.offs[i]
		e.offs[i] = total
		total += size
	}
	e.offs[n] = total
}

func (e *encoder) encodeColumn(c arrow.Array, t types.T, pos []int32) {
	buf := e.buf
	hasNulls := c.NullN() > 0
	_, allNull := c.(*array.Null) // no bitmap, and IsValid reports true
	for i := range pos {
		valid := !allNull && (!hasNulls || c.IsValid(i))
		if valid {
			buf[pos[i]] = 1
		} else {
			buf[pos[i]] = 0
		}
		pos[i]++
	}
	switch a := c.(type) {
	case *array.Int64:
		for i, v := range a.Int64Values() {
			if !hasNulls || a.IsValid(i) {
				binary.LittleEndian.PutUint64(buf[pos[i]:], uint64(v))
			} else {
				binary.LittleEndian.PutUint64(buf[pos[i]:], 0)
			}
			pos[i] += 8
		}
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			if hasNulls && a.IsNull(i) {
				v = 0
			}
			binary.LittleEndian.PutUint64(buf[pos[i]:], uint64(v))
			pos[i] += 8
		}
	case *array.Float64:
		for i, v := range a.Float64Values() {
			if v == 0 { // -0 and +0 are one key
				v = 0
			}
			bits := math.Float64bits(v)
			if v != v {
				bits = 0x7ff8000000000001 // one NaN
			}
			if hasNulls && a.IsNull(i) {
				bits = 0
			}
			binary.LittleEndian.PutUint64(buf[pos[i]:], bits)
			pos[i] += 8
		}
	case *array.Date32:
		for i, v := range a.Date32Values() {
			if hasNulls && a.IsNull(i) {
				v = 0
			}
			binary.LittleEndian.PutUint32(buf[pos[i]:], uint32(v))
			pos[i] += 4
		}
	case *array.Decimal128:
		for i, v := range a.Values() {
			lo, hi := v.LowBits(), uint64(v.HighBits())
			if hasNulls && a.IsNull(i) {
				lo, hi = 0, 0
			}
			binary.LittleEndian.PutUint64(buf[pos[i]:], lo)
			binary.LittleEndian.PutUint64(buf[pos[i]+8:], hi)
			pos[i] += 16
		}
	case *array.Boolean:
		for i := range pos {
			buf[pos[i]] = b2u(a.Value(i) && (!hasNulls || a.IsValid(i)))
			pos[i]++
		}
	case *array.String:
		offs, data := vector.StringData(a)
		for i := range pos {
			l := offs[i+1] - offs[i]
			if hasNulls && a.IsNull(i) {
				l = 0
			}
			binary.LittleEndian.PutUint32(buf[pos[i]:], uint32(l))
			copy(buf[pos[i]+4:], data[offs[i]:offs[i]+l])
			pos[i] += 4 + l
		}
	case *array.Null:
		// only the flag byte
	}
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}
