package operators

import (
	"encoding/binary"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// put ORs the low w bits of v into rec at bit pos (counted from the top of
// word 0); the field may straddle two words.
func put(rec []uint64, pos, w int, v uint64) {
	if w == 0 {
		return
	}
	i, end := pos>>6, pos&63+w
	if end <= 64 {
		rec[i] |= v << (64 - end)
		return
	}
	rec[i] |= v >> (end - 64)
	rec[i+1] |= v << (128 - end)
}

// encode writes the records of set's rows, in set order, into recs
// (zeroed, len = rows × words). It spends one unit per value encoded.
func (l *keyLayout) encode(t *Task, set *rowSet, recs []uint64) error {
	w := l.words
	var scratch []uint64
	g0 := 0
	return set.groups(func(g *rowGroup) error {
		n := g.len()
		if err := l.encodeGroup(t, set, g, g0, recs[g0*w:(g0+n)*w], &scratch); err != nil {
			return err
		}
		g0 += n
		return nil
	})
}

// encodeGroup writes the records of the rows of g, which start at place
// g0 of set, into part (zeroed, len = g's rows × words).
func (l *keyLayout) encodeGroup(t *Task, set *rowSet, g *rowGroup, g0 int, part []uint64, scratch *[]uint64) error {
	w, n := l.words, g.len()
	if cap(*scratch) < n {
		*scratch = make([]uint64, n)
	}
	for i := range l.fields {
		l.fields[i].encode(g, part, w, (*scratch)[:n])
	}
	for j := 0; j < n; j++ {
		part[j*w+w-1] |= set.id(g, j)
	}
	if set.lead != nil {
		for j, c := range set.lead[g0 : g0+n] {
			put(part[j*w:], l.leadPos, set.leadBits, c)
		}
	}
	return t.Spend(n * (len(l.fields) + 1))
}

// encode writes the field's code for every row of g into part (w words a
// record).
func (f *keyField) encode(g *rowGroup, part []uint64, w int, scratch []uint64) {
	if f.bitsUsed() == 0 {
		return
	}
	a := g.rec.Column(f.col)
	switch {
	case f.wide:
		f.encodeWide(a.(*array.Decimal128), g, part, w)
	case f.kind == types.String:
		f.encodeStrings(a.(*array.String), g, part, w)
	default:
		f.encodeNumeric(a, g, part, w, scratch)
	}
}

// nullBitOf is the separate NULL bit of a row: it alone places the NULLs.
func (f *keyField) nullBitOf(null bool) uint64 {
	if null == f.nullsFirst {
		return 0
	}
	return 1
}

func (f *keyField) encodeNumeric(a arrow.Array, g *rowGroup, part []uint64, w int, img []uint64) {
	images(a, f.kind, g.rows, img)
	valid, off := validBits(a)
	pos, width := f.pos, f.width
	span := f.hi - f.lo
	// Without NULLs (the common case) the loop is one subtraction a row.
	if valid == nil && !f.nullBit {
		shift := uint64(0)
		if f.hasNulls && f.nullsFirst {
			shift = 1 // code 0 is the NULLs'
		}
		if f.desc {
			for j, v := range img {
				put(part[j*w:], pos, width, f.hi-v+shift)
			}
		} else {
			for j, v := range img {
				put(part[j*w:], pos, width, v-f.lo+shift)
			}
		}
		return
	}
	if f.nullBit {
		pos++
	}
	for j, v := range img {
		rec := part[j*w:]
		null := !isValid(valid, off, g.row(j))
		if f.nullBit {
			put(rec, f.pos, 1, f.nullBitOf(null))
			if !null {
				if f.desc {
					put(rec, pos, width, f.hi-v)
				} else {
					put(rec, pos, width, v-f.lo)
				}
			}
			continue
		}
		var code uint64
		switch {
		case null && f.nullsFirst:
			code = 0
		case null:
			code = span + 1
		case f.desc:
			code = f.hi - v
		default:
			code = v - f.lo
		}
		if !null && f.nullsFirst {
			code++
		}
		put(rec, pos, width, code)
	}
}

// encodeWide writes decimals that need all 128 bits: the high word with its
// sign flipped, then the low word.
func (f *keyField) encodeWide(a *array.Decimal128, g *rowGroup, part []uint64, w int) {
	valid, off := validBits(a)
	vals := a.Values()
	pos := f.pos
	if f.nullBit {
		pos++
	}
	for j := 0; j < g.len(); j++ {
		rec := part[j*w:]
		i := g.row(j)
		null := !isValid(valid, off, i)
		if f.nullBit {
			put(rec, f.pos, 1, f.nullBitOf(null))
		}
		if null {
			continue
		}
		hi, lo := uint64(vals[i].HighBits())^signBit, vals[i].LowBits()
		if f.desc {
			hi, lo = ^hi, ^lo
		}
		put(rec, pos, 64, hi)
		put(rec, pos+64, 64, lo)
	}
}

// encodeStrings writes each string's bytes after the shared prefix, eight
// at a time, zero-padded, then its clipped length: a shorter string that is
// a prefix of a longer one sorts first, as in a bytewise comparison.
func (f *keyField) encodeStrings(a *array.String, g *rowGroup, part []uint64, w int) {
	valid, off := validBits(a)
	offs, data := vector.StringData(a)
	lenWidth := f.width - 8*f.nbytes
	for j := 0; j < g.len(); j++ {
		rec := part[j*w:]
		i := g.row(j)
		pos := f.pos
		null := !isValid(valid, off, i)
		if f.nullBit {
			put(rec, pos, 1, f.nullBitOf(null))
			pos++
		}
		if null {
			continue
		}
		s := data[offs[i]:offs[i+1]]
		s = s[min(f.from, len(s)):][f.skip:]
		for k := 0; k < f.nbytes; k += 8 {
			chunk := min(8, f.nbytes-k)
			var v uint64
			if len(s) >= k+8 {
				v = binary.BigEndian.Uint64(s[k:])
			} else if len(s) > k {
				var buf [8]byte
				copy(buf[:], s[k:])
				v = binary.BigEndian.Uint64(buf[:])
			}
			v >>= 64 - 8*chunk
			if f.desc {
				v = ^v & (1<<(8*chunk) - 1)
			}
			put(rec, pos, 8*chunk, v)
			pos += 8 * chunk
		}
		n := min(len(s), f.nbytes+1)
		code := uint64(n - f.lenLo)
		if f.desc {
			code = uint64(f.lenHi - n)
		}
		put(rec, pos, lenWidth, code)
	}
}
