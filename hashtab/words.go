package hashtab

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"runtime"
)

// The word and pair layouts: every key is one uint64, stored in its slot,
// so a lookup reads one slot (one cache line) and no other memory.
//
// Both loops below first turn the batch into words (a sequential pass
// over the column), then look the words up. A run of equal keys, common
// because tables are often stored in key order (lineitem by orderkey),
// costs one lookup: a row whose word equals the previous row's takes the
// previous row's group without touching the table.

// intWords fills p.words with the values of an Int64, Date32 or Timestamp column and
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
	case *array.Timestamp:
		for i, v := range a.TimestampValues()[:n] {
			w[i] = uint64(v)
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

// nullGroupID returns the word layout's NULL group, creating it.
func (t *Table) nullGroupID() int32 {
	if t.nullGroup < 0 {
		t.nullGroup = int32(t.groups)
		t.groups++
		t.words.Append(0)
	}
	return t.nullGroup
}

// insertWordRows is FindOrInsert for the word and pair layouts: it finds
// or inserts words[i] for every row but the NULL ones listed (ascending)
// in nulls, which go to the NULL group (the word layout keeps it out of
// the slots). A word table whose keys prove dense when it must grow
// becomes direct and hands it the rest of the batch.
func (t *Table) insertWordRows(b Budget, words []uint64, out []int32, nulls []int32) error {
	defer runtime.KeepAlive(t) // its slots may be mapped (slots.go)
	slots, tags, shift, mask := t.slots, t.tags, t.shift, len(t.slots)-1
	nextNull := firstNull(nulls, len(words))
	prevG, prevW := int32(-1), uint64(0)
	out = out[:len(words)]
	for i, w := range words {
		if i == nextNull {
			// Groups are numbered in order of first appearance, so the
			// NULL group is made here, not ahead of the batch.
			out[i] = t.nullGroupID()
			nulls = nulls[1:]
			nextNull = firstNull(nulls, len(words))
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
				t.words.Append(w)
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

// lookupWords sets out[i] to the group of words[i], or -1.
func (t *Table) lookupWords(words []uint64, out []int32) {
	defer runtime.KeepAlive(t) // its slots may be mapped (slots.go)
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

// firstNull is the row of the next NULL key in nulls (ascending), or n
// when there is none.
func firstNull(nulls []int32, n int) int {
	if len(nulls) > 0 {
		return int(nulls[0])
	}
	return n
}
