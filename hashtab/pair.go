package hashtab

import (
	"encoding/binary"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// The pair layout: a key of two columns, each coded into 32 bits (a
// "half"), packed as first<<32 | second into one word. It serves integer
// pairs such as TPC-H's (partkey, suppkey) and short codes such as Q1's
// (l_returnflag, l_linestatus). A column codes when its values allow:
//
//   - BIGINT, DATE: values in (MinInt32, MaxInt32], as their low 32 bits;
//   - VARCHAR: at most 3 bytes, little-endian, with the length in the top
//     byte;
//   - BOOLEAN: 0 or 1;
//   - NULL: pairNull, which no value codes to (it is MinInt32's pattern
//     and has a top byte above any string length).
//
// The first value that does not code moves the table to the bytes layout
// (convert.go).

const (
	pairNull   = 0x8000_0000
	pairOff    = 1<<31 - 1 // v+pairOff maps the allowed range onto [0, pairLim]
	pairLim    = 1<<32 - 2
	pairMaxStr = 3
)

// pairKind reports whether a column of type t can be part of a pair key.
func pairKind(t types.T) bool {
	switch t.Kind {
	case types.Int64, types.Date, types.String, types.Bool:
		return true
	}
	return false
}

// packPairs codes two key columns into p.words; p.skip gets the rows that
// can match nothing (a NULL, or a value that does not code). It reports
// whether every non-NULL value codes; with stopEarly it gives up at the
// first one that does not (an insert only needs to know).
func (p *Probe) packPairs(cols []arrow.Array, n int, stopEarly bool) bool {
	w := p.resizeWords(n)
	clear(w)
	p.skip = p.skip[:0]
	fits := true
	for ci, c := range cols[:2] {
		shift := uint(32 * (1 - ci)) // the first column is the high half
		var ok bool
		switch a := c.(type) {
		case *array.Int64:
			p.skip, ok = packInts(w, a.Int64Values()[:n], shift, c, p.skip, stopEarly)
		case *array.Date32:
			p.skip, ok = packInts(w, a.Date32Values()[:n], shift, c, p.skip, stopEarly)
		case *array.String:
			p.skip, ok = packStrings(w, a, n, shift, p.skip, stopEarly)
		case *array.Boolean:
			for i := range w {
				w[i] |= uint64(b2u(a.Value(i))) << shift
			}
			ok = true
		}
		if fits = fits && ok; !fits && stopEarly {
			return false
		}
		if c.NullN() > 0 {
			nulls := len(p.skip)
			p.skip = appendNullRows(p.skip, c, n)
			for _, i := range p.skip[nulls:] {
				w[i] = w[i]&^(0xffff_ffff<<shift) | pairNull<<shift
			}
		}
	}
	return fits
}

// packInts ORs the low 32 bits of vals, shifted, into dst. Rows whose
// value does not fit are appended to skip and make it report false, unless
// they are NULL (whatever lies under a NULL does not matter).
func packInts[T int64 | arrow.Date32](dst []uint64, vals []T, shift uint, c arrow.Array, skip []int32, stopEarly bool) ([]int32, bool) {
	fits := true
	hasNulls := c.NullN() > 0
	dst = dst[:len(vals)]
	for i, v := range vals {
		x := int64(v)
		if uint64(x+pairOff) > pairLim && !(hasNulls && c.IsNull(i)) {
			if fits = false; stopEarly {
				return skip, false
			}
			skip = append(skip, int32(i))
		}
		dst[i] |= uint64(uint32(x)) << shift
	}
	return skip, fits
}

// packStrings is packInts for a VARCHAR column.
func packStrings(dst []uint64, a *array.String, n int, shift uint, skip []int32, stopEarly bool) ([]int32, bool) {
	fits := true
	hasNulls := a.NullN() > 0
	offs, data := vector.StringData(a)
	offs = offs[:n+1]
	dst = dst[:n]
	for i := range dst {
		lo, hi := offs[i], offs[i+1]
		l := hi - lo
		if l > pairMaxStr {
			if hasNulls && a.IsNull(i) {
				continue
			}
			if fits = false; stopEarly {
				return skip, false
			}
			skip = append(skip, int32(i))
			continue
		}
		h := uint32(l) << 24
		for j := int32(0); j < l; j++ {
			h |= uint32(data[lo+j]) << (8 * j)
		}
		dst[i] |= uint64(h) << shift
	}
	return skip, fits
}

// insertPairs is FindOrInsert for the pair layout over words already
// packed by packPairs (NULL halves included: NULL is a key here).
func (t *Table) insertPairs(b Budget, out []int32) error {
	return t.insertWordRows(b, t.scratch.words, out, nil)
}

// findPairs is Find for the pair layout: a value that does not code cannot
// have been inserted (the table would have changed layout).
func (t *Table) findPairs(p *Probe, cols []arrow.Array, out []int32) {
	p.packPairs(cols, len(out), false)
	t.lookupWords(p.words, out)
	for _, i := range p.skip {
		out[i] = -1
	}
}

// appendPairHalf appends one half in the encoder's serialisation of its
// column type.
func appendPairHalf(dst []byte, kt types.T, h uint32) []byte {
	if h == pairNull { // a flag byte and zeros, as the encoder writes a NULL
		dst = append(dst, 0)
		w := fixedWidth(kt)
		if w < 0 {
			w = 4 // a VARCHAR's length
		}
		for ; w > 0; w-- {
			dst = append(dst, 0)
		}
		return dst
	}
	dst = append(dst, 1)
	switch kt.Kind {
	case types.Date:
		return binary.LittleEndian.AppendUint32(dst, h)
	case types.String:
		l := h >> 24
		dst = binary.LittleEndian.AppendUint32(dst, l)
		for j := uint32(0); j < l; j++ {
			dst = append(dst, byte(h>>(8*j)))
		}
		return dst
	case types.Bool:
		return append(dst, byte(h))
	}
	return binary.LittleEndian.AppendUint64(dst, uint64(int64(int32(h))))
}

// halfArray materialises one column of the pair layout's keys: the half
// of each word at shift.
func (t *Table) halfArray(mem memory.Allocator, shift uint, kt types.T, from, to int) arrow.Array {
	halves := make([]uint32, to-from)
	for i := range halves {
		halves[i] = uint32(t.words.Get(from+i) >> shift)
	}
	switch kt.Kind {
	case types.String, types.Bool:
		b := array.NewBuilder(mem, kt.Arrow())
		defer b.Release()
		b.Reserve(len(halves))
		for _, h := range halves {
			switch {
			case h == pairNull:
				b.AppendNull()
			case kt.Kind == types.Bool:
				b.(*array.BooleanBuilder).Append(h == 1)
			default:
				var s [pairMaxStr]byte
				l := h >> 24
				for j := uint32(0); j < l; j++ {
					s[j] = byte(h >> (8 * j))
				}
				b.(*array.StringBuilder).BinaryBuilder.Append(s[:l])
			}
		}
		return b.NewArray()
	}
	n := len(halves)
	var validity *memory.Buffer
	var bits []byte
	nulls := 0
	for i, h := range halves {
		if h == pairNull {
			if validity == nil {
				validity, bits = vector.AllValid(mem, n)
			}
			bits[i/8] &^= 1 << (i % 8)
			nulls++
		}
	}
	if kt.Kind == types.Date {
		buf, out := vector.AllocValues[arrow.Date32](mem, n)
		for i, h := range halves {
			out[i] = arrow.Date32(int32(h) * b2i32(h != pairNull))
		}
		return vector.NewFixedArray(arrow.FixedWidthTypes.Date32, n, validity, nulls, buf)
	}
	buf, out := vector.AllocValues[int64](mem, n)
	for i, h := range halves {
		out[i] = int64(int32(h)) * int64(b2i32(h != pairNull))
	}
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf)
}

func b2i32(b bool) int32 {
	if b {
		return 1
	}
	return 0
}
