package hashtab

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// The word and pair layouts: every key is one uint64, stored in its slot,
// so a lookup reads one slot (one cache line) and no other memory.
//
// Both loops below first turn the batch into words (a sequential pass
// over the column), then look the words up. A run of equal keys, common
// because tables are often stored in key order (lineitem by orderkey),
// costs one lookup: a row whose word equals the previous row's takes the
// previous row's group without touching the table.

// Pair layout: two integer columns packed as hi<<32 | lo, each half the
// value's low 32 bits. Values must lie in (MinInt32, MaxInt32]; MinInt32's
// bit pattern is kept for NULL, so a NULL half never equals a value.
const (
	pairNull = 0x8000_0000
	pairOff  = 1<<31 - 1 // v+pairOff maps the allowed range onto [0, pairLim]
	pairLim  = 1<<32 - 2
)

// intWords fills p.words with the values of an Int64 or Date32 column and
// p.skip with its NULL rows.
func (p *Probe) intWords(c arrow.Array, n int) []uint64 {
	w := p.resizeWords(n)
	switch a := c.(type) {
	case *array.Int64:
		for i, v := range a.Int64Values()[:n] {
			w[i] = uint64(v)
		}
	case *array.Date32:
		for i, v := range a.Date32Values()[:n] {
			w[i] = uint64(int64(v))
		}
	}
	p.skip = appendNullRows(p.skip[:0], c, n)
	return w
}

// appendNullRows appends the NULL rows of c to dst.
func appendNullRows(dst []int32, c arrow.Array, n int) []int32 {
	if c.NullN() == 0 {
		return dst
	}
	if _, allNull := c.(*array.Null); allNull { // no bitmap: IsNull reports false
		for i := 0; i < n; i++ {
			dst = append(dst, int32(i))
		}
		return dst
	}
	for i := 0; i < n; i++ {
		if c.IsNull(i) {
			dst = append(dst, int32(i))
		}
	}
	return dst
}

// packPairs packs two integer key columns into p.words; p.skip gets the
// rows that can match nothing (a NULL, or a value the layout cannot
// hold). It reports whether every non-NULL value fits the layout.
func (p *Probe) packPairs(cols []arrow.Array, n int) bool {
	w := p.resizeWords(n)
	clear(w)
	p.skip = p.skip[:0]
	fits := true
	for ci, c := range cols[:2] {
		shift := uint(32 * (1 - ci)) // the first column is the high half
		var ok bool
		switch a := c.(type) {
		case *array.Int64:
			p.skip, ok = packHalf(w, a.Int64Values()[:n], shift, c, p.skip)
		case *array.Date32:
			p.skip, ok = packHalf(w, a.Date32Values()[:n], shift, c, p.skip)
		}
		fits = fits && ok
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

// packHalf ORs the low 32 bits of vals, shifted, into dst. Rows whose
// value does not fit are appended to skip and make it report false, unless
// they are NULL (whatever lies under a NULL does not matter).
func packHalf[T int64 | arrow.Date32](dst []uint64, vals []T, shift uint, c arrow.Array, skip []int32) ([]int32, bool) {
	fits := true
	hasNulls := c.NullN() > 0
	dst = dst[:len(vals)]
	for i, v := range vals {
		x := int64(v)
		if uint64(x+pairOff) > pairLim && !(hasNulls && c.IsNull(i)) {
			fits = false
			skip = append(skip, int32(i))
		}
		dst[i] |= uint64(uint32(x)) << shift
	}
	return skip, fits
}

// unpackHalf is the inverse of the packing of one half; ok is false for
// NULL.
func unpackHalf(h uint32) (v int64, ok bool) {
	return int64(int32(h)), h != pairNull
}

// nullGroupID returns the word layout's NULL group, creating it.
func (t *Table) nullGroupID() int32 {
	if t.nullGroup < 0 {
		t.nullGroup = int32(t.groups)
		t.groups++
		t.words = append(t.words, 0)
	}
	return t.nullGroup
}

// insertPairs is FindOrInsert for the pair layout over words already
// packed by packPairs (NULL halves included: NULL is a key here).
func (t *Table) insertPairs(b Budget, out []int32) error {
	return t.insertWordRows(b, t.scratch.words, out, nil)
}

// insertWordRows is FindOrInsert for the word and pair layouts: it finds
// or inserts words[i] for every row but the NULL ones listed (ascending)
// in nulls, which go to the NULL group (the word layout keeps it out of
// the slots). A word table whose keys prove dense when it must grow
// becomes direct and hands it the rest of the batch.
func (t *Table) insertWordRows(b Budget, words []uint64, out []int32, nulls []int32) error {
	slots, tags, shift, mask := t.slots, t.tags, t.shift, len(t.slots)-1
	nextNull := len(words)
	if len(nulls) > 0 {
		nextNull = int(nulls[0])
	}
	prevG, prevW := int32(-1), uint64(0)
	out = out[:len(words)]
	for i, w := range words {
		if i == nextNull {
			// Groups are numbered in order of first appearance, so the
			// NULL group is made here, not ahead of the batch.
			out[i] = t.nullGroupID()
			nulls = nulls[1:]
			nextNull = len(words)
			if len(nulls) > 0 {
				nextNull = int(nulls[0])
			}
			continue
		}
		if w == prevW && prevG >= 0 {
			out[i] = prevG
			continue
		}
		if t.needGrow() {
			if t.layout == layoutWord && t.wordsAreDense() {
				if err := t.wordsToDirect(b); err != nil {
					return err
				}
				for j := range nulls {
					nulls[j] -= int32(i)
				}
				return t.insertDirect(b, words[i:], out[i:], nulls)
			}
			if err := t.grow(b); err != nil {
				return err
			}
			slots, tags, shift, mask = t.slots, t.tags, t.shift, len(t.slots)-1
		}
		h := mix64(w)
		tag := tagOf(h)
		p := int(h>>shift) & mask
		for {
			tg := tags[p]
			if tg == 0 {
				g := int32(t.groups)
				t.groups++
				t.words = append(t.words, w)
				tags[p], slots[p] = tag, slot{key: w, g: g}
				t.minKey, t.maxKey = min(t.minKey, ordered(w)), max(t.maxKey, ordered(w))
				prevG = g
				break
			}
			if tg == tag && slots[p].key == w {
				prevG = slots[p].g
				break
			}
			p = (p + 1) & mask
		}
		prevW = w
		out[i] = prevG
	}
	return nil
}

// findWords is Find for the word layout.
func (t *Table) findWords(p *Probe, c arrow.Array, out []int32) {
	t.lookupWords(p.intWords(c, len(out)), out)
	for _, i := range p.skip {
		out[i] = -1
	}
}

// findDirect is Find for the direct layout.
func (t *Table) findDirect(p *Probe, c arrow.Array, out []int32) {
	t.lookupDirect(p.intWords(c, len(out)), out)
	for _, i := range p.skip {
		out[i] = -1
	}
}

// findPairs is Find for the pair layout: a value that does not fit cannot
// have been inserted (the table would have changed layout).
func (t *Table) findPairs(p *Probe, cols []arrow.Array, out []int32) {
	p.packPairs(cols, len(out))
	t.lookupWords(p.words, out)
	for _, i := range p.skip {
		out[i] = -1
	}
}

// lookupWords sets out[i] to the group of words[i], or -1.
func (t *Table) lookupWords(words []uint64, out []int32) {
	slots, tags, shift, mask := t.slots, t.tags, t.shift, len(t.slots)-1
	prevG, prevW := int32(-1), uint64(0)
	out = out[:len(words)]
	for i, w := range words {
		if w == prevW && i > 0 {
			out[i] = prevG
			continue
		}
		g := int32(-1)
		h := mix64(w)
		tag := tagOf(h)
		for p := int(h>>shift) & mask; ; p = (p + 1) & mask {
			tg := tags[p]
			if tg == tag && slots[p].key == w {
				g = slots[p].g
				break
			}
			if tg == 0 {
				break
			}
		}
		prevG, prevW = g, w
		out[i] = g
	}
}
