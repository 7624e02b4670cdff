package hashtab

import (
	"math"

	"github.com/minisql/minisql/paged"
)

// The direct layout: a single integer key whose values are dense is its
// own slot number. Group of key k is direct[k-base]-1 (0: absent). No
// hashing, no probing, 4 bytes per value of the key range, and keys that
// arrive in order (tables are often stored sorted by their key) are looked
// up in order, so the array streams through the cache instead of being
// read at random. A bitmap of the keys present, 32 times smaller, answers
// Find for absent keys: a join probe against a build side that was
// filtered hard mostly misses, and the bitmap stays in a near cache where
// the array would not (Q9's green parts: 25 KB instead of 800 KB).
//
// A table with a single BIGINT or DATE key starts direct. When a key would
// stretch the range beyond directLimit it moves its groups into hash slots
// (the word layout); a word table whose keys turn out dense moves back
// when it next grows. Either way a key's group number never changes.

const (
	// directMinLen is the range a direct table may always cover (256 KB).
	directMinLen = 1 << 16
	// directRatio bounds the range per group beyond that: 32 values of
	// range per group cost 132 bytes a group (array and bitmap), twice what
	// hash slots cost at a load factor of 1/4, bought back by lookups that
	// neither hash nor probe, and stream when the keys come sorted.
	directRatio = 32
	// denseRatio is how dense a word table's keys must be to move back to
	// the direct layout, below directRatio so that a table does not move
	// back and forth.
	denseRatio = directRatio / 2
)

// directLimit is the longest range a direct table of groups groups may
// cover.
func directLimit(groups int) uint64 {
	return uint64(max(directMinLen, directRatio*groups))
}

// ordered maps a key word to an unsigned value of the same order, so that
// ranges can be computed without signed overflow.
func ordered(w uint64) uint64 { return w ^ (1 << 63) }

// insertDirect is FindOrInsert for the direct layout. When a key does not
// fit it changes layout and hands the rest of the batch to the word loop.
func (t *Table) insertDirect(b Budget, words []uint64, out []int32, nulls []int32) error {
	nextNull := firstNull(nulls, len(words))
	direct, one, n := t.direct.View(), t.direct.One(), uint64(t.direct.Len())
	for i, w := range words {
		if i == nextNull {
			out[i] = t.nullGroupID()
			nulls = nulls[1:]
			nextNull = firstNull(nulls, len(words))
			continue
		}
		d := w - t.base
		if d >= n {
			ok, err := t.extendDirect(b, w)
			if err != nil {
				return err
			}
			if !ok {
				if err := t.directToWords(b); err != nil {
					return err
				}
				for j := range nulls {
					nulls[j] -= int32(i)
				}
				return t.insertWordRows(b, words[i:], out[i:], nulls)
			}
			d = w - t.base
			direct, one, n = t.direct.View(), t.direct.One(), uint64(t.direct.Len())
		}
		var slot *int32
		if one != nil { // the usual case: one page, a slice
			slot = &one[d]
		} else {
			slot = direct.At(int(d))
		}
		g := *slot
		if g == 0 {
			t.groups++
			g = int32(t.groups)
			*slot = g
			*t.present.At(int(d >> 6)) |= 1 << (d & 63)
			t.words.Append(w)
		}
		out[i] = g - 1
	}
	return nil
}

// copyChunk is the number of direct entries copied between two budget
// spends when the direct array is widened.
const copyChunk = 16 * growChunk

// extendDirect widens the direct range to take key w, with slack so that
// keys arriving in order do not reallocate every time. It reports false,
// changing nothing, when the range would be too sparse.
func (t *Table) extendDirect(b Budget, w uint64) (bool, error) {
	uk := ordered(w)
	lo, hi := uk, uk
	if t.direct.Len() > 0 {
		lo = min(ordered(t.base), uk)
		hi = max(ordered(t.base)+uint64(t.direct.Len())-1, uk)
	}
	limit := directLimit(t.groups + 1)
	need := hi - lo + 1 // 0 only for the whole 2^64 range
	if need == 0 || need > limit {
		return false, nil
	}
	n := max(need, min(2*uint64(t.direct.Len()), limit))
	// Put the slack on the side the key went.
	var newLo uint64
	if t.direct.Len() > 0 && uk < ordered(t.base) {
		newLo = 0
		if hi >= n-1 {
			newLo = hi - (n - 1)
		}
	} else {
		newLo = lo
		if newLo > math.MaxUint64-(n-1) {
			newLo = math.MaxUint64 - (n - 1)
		}
	}
	if t.direct.Len() > 0 && ordered(t.base) == newLo {
		// Growing at the top: the entries stay where they are, and so do
		// their bits; the new ones are zero.
		if err := t.direct.Resize(b, int(n)); err != nil {
			return false, err
		}
		return true, t.present.Resize(b, presentWords(int(n)))
	}
	// The range grew downwards: every entry moves up by shift.
	var direct paged.Vec[int32]
	if err := direct.Resize(b, int(n)); err != nil {
		return false, err
	}
	if old := t.direct.Len(); old > 0 {
		shift := int(ordered(t.base) - newLo)
		for from := 0; from < old; from += copyChunk {
			to := min(from+copyChunk, old)
			t.direct.Chunks(from, to, func(start int, s []int32) { direct.CopyIn(shift+start, s) })
			if err := b.Spend(growChunk); err != nil {
				return false, err
			}
		}
	}
	t.direct, t.base = direct, ordered(newLo)
	return true, t.fillPresent(b)
}

// presentWords is the length of the bitmap of n direct entries.
func presentWords(n int) int { return (n + 63) / 64 }

// fillPresent rebuilds the bitmap of the keys present from the groups. It
// is a paged.Vec, not a slice: made afresh at every rebuild, a bitmap of
// 750 KB (6M keys) was faulted in by the writes below, at random, up to
// 190 faults between two spends.
func (t *Table) fillPresent(b Budget) error {
	t.present = paged.Vec[uint64]{}
	if err := t.present.Resize(b, presentWords(t.direct.Len())); err != nil {
		return err
	}
	present := t.present.View()
	for g := range t.words.Len() {
		w := t.words.Get(g)
		if int32(g) != t.nullGroup {
			d := w - t.base
			*present.At(int(d >> 6)) |= 1 << (d & 63)
		}
		if (g+1)%growChunk == 0 {
			if err := b.Spend(growChunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// directToWords moves a direct table's groups into hash slots.
func (t *Table) directToWords(b Budget) error {
	t.layout = layoutWord
	t.direct, t.present, t.base = paged.Vec[int32]{}, paged.Vec[uint64]{}, 0
	n := minSlots
	for 2*(t.groups+1) > n {
		n *= 2
	}
	if err := t.resize(b, n); err != nil {
		return err
	}
	t.minKey, t.maxKey = math.MaxUint64, 0
	for g := range t.words.Len() {
		w := t.words.Get(g)
		if int32(g) == t.nullGroup {
			continue
		}
		t.minKey, t.maxKey = min(t.minKey, ordered(w)), max(t.maxKey, ordered(w))
		t.place(mix64(w), slot{key: w, g: int32(g)})
		if (g+1)%growChunk == 0 {
			if err := b.Spend(growChunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// wordsAreDense reports whether a word table's keys are dense enough to
// move to the direct layout.
func (t *Table) wordsAreDense() bool {
	keys := t.groups
	if t.nullGroup >= 0 {
		keys--
	}
	return keys > 0 && t.maxKey-t.minKey < uint64(denseRatio*keys)
}

// wordsToDirect moves a word table's groups into a direct array covering
// exactly their range.
func (t *Table) wordsToDirect(b Budget) error {
	t.layout = layoutDirect
	if err := t.dropSlots(b); err != nil {
		return err
	}
	t.direct = paged.Vec[int32]{}
	if err := t.direct.Resize(b, int(t.maxKey-t.minKey+1)); err != nil {
		return err
	}
	t.base = ordered(t.minKey)
	for g := range t.words.Len() {
		if w := t.words.Get(g); int32(g) != t.nullGroup {
			t.direct.Set(int(w-t.base), int32(g+1))
		}
		if (g+1)%growChunk == 0 {
			if err := b.Spend(growChunk); err != nil {
				return err
			}
		}
	}
	return t.fillPresent(b)
}

// lookupDirect sets out[i] to the group of words[i], or -1.
func (t *Table) lookupDirect(words []uint64, out []int32) {
	base, n := t.base, uint64(t.direct.Len())
	out = out[:len(words)]
	if one, present := t.direct.One(), t.present.One(); one != nil && present != nil { // the usual case: slices
		one, present = one[:n], present[:presentWords(int(n))]
		for i, w := range words {
			g := int32(0)
			if d := w - base; d < n && present[d>>6]&(1<<(d&63)) != 0 {
				g = one[d]
			}
			out[i] = g - 1
		}
		return
	}
	direct, present := t.direct.View(), t.present.View()
	for i, w := range words {
		g := int32(0)
		if d := w - base; d < n && *present.At(int(d >> 6))&(1<<(d&63)) != 0 {
			g = *direct.At(int(d))
		}
		out[i] = g - 1
	}
}
