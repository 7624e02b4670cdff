// Package hashtab is the hash table under GROUP BY, DISTINCT and hash
// joins: it maps the key of every row of a batch to a dense group number.
//
// Four key layouts, chosen from the key types and the values seen:
//
//   - direct: a single BIGINT or DATE key with dense values indexes an
//     array by value (direct.go);
//   - word: a single BIGINT or DATE key, stored as an int64;
//   - pair: two BIGINT, DATE, short VARCHAR or BOOLEAN columns whose
//     values code into 32 bits each, packed into one uint64 (pair.go);
//     when both are one-byte flags, an array indexed by the two values
//     finds the group before any hashing (tiny.go);
//   - bytes: anything else, serialised into a byte arena (encode.go).
//
// The last three share one open-addressing (linear probing) slot array.
// A slot holds a 64-bit word next to its group number: the key itself in
// the word and pair layouts, the key's hash in the bytes layout. A probe
// that hits therefore touches one cache line for an integer key and does
// not look at another key's bytes unless the full hashes agree. A byte
// per slot, in an array of its own, holds 7 bits of the hash (0: empty):
// a probe for an absent key, the common case when a join's build side was
// filtered hard, mostly reads only that array, a sixteenth of the slots'
// size. A pair table whose values stop fitting becomes a bytes table
// (convert.go).
package hashtab

import (
	"hash/maphash"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/types"
)

// Budget is the cooperative budget of the task that uses the table; long
// loops (growth, layout conversion) spend it in chunks.
type Budget interface {
	Spend(units int) error
}

// growChunk is the number of groups re-inserted between two budget spends
// while the table grows or changes layout.
const growChunk = 4096

// minSlots is the size of a new table's slot array.
const minSlots = 1024

// layout is how keys are stored; see the package comment.
type layout uint8

const (
	layoutDirect layout = iota
	layoutWord
	layoutPair
	layoutBytes
)

// slot is one entry of the open-addressing array. 16 bytes, so four share
// a cache line and none straddles two. It is in use when its tag is not 0.
type slot struct {
	key uint64 // word/pair: the key; bytes: the key's hash
	g   int32  // the group
	_   uint32
}

// tagOf is the tag of a slot holding a key of hash h: low bits (the slot
// position comes from the high ones), never 0.
func tagOf(h uint64) uint8 { return uint8(h) | 0x80 }

// Table maps keys to dense group numbers 0, 1, 2, ... in insertion order.
// It is not safe for concurrent use, except that a table no longer being
// inserted into may be probed by several goroutines (see Probe).
type Table struct {
	keyTypes []types.T
	layout   layout
	seed     maphash.Seed
	groups   int

	slots []slot
	tags  []uint8  // per slot: 0 if empty, else tagOf(hash)
	shift uint     // 64 - log2(len(slots))
	smap  *mapping // the slots' and tags' memory when mapped (slots.go), or nil

	words     paged.Vec[uint64] // direct/word/pair: key of each group
	nullGroup int32             // direct/word: group of the NULL key (kept out of the slots), or -1

	direct  paged.Vec[int32]  // direct: group+1 of key base+i at i; 0 = absent
	present paged.Vec[uint64] // direct: bit i set when direct[i] is not 0
	base    uint64            // direct: the key at direct[0]

	minKey, maxKey uint64 // word/pair: range of the keys, in ordered() form

	tiny []int32 // pair: group+1 by the codes of both columns, or nil (tiny.go)

	arena  keyArena // bytes: serialised keys
	fixedW int      // bytes: width of every key when all columns are fixed-width, else 0

	scratch Probe // FindOrInsert's per-batch scratch
}

// New returns an empty table for keys of the given types.
func New(keyTypes []types.T) *Table {
	t := &Table{keyTypes: keyTypes, seed: maphash.MakeSeed(), nullGroup: -1, minKey: math.MaxUint64}
	switch {
	case len(keyTypes) == 1 && isIntKind(keyTypes[0]):
		t.layout = layoutDirect // no slots until the keys prove sparse
		return t
	case len(keyTypes) == 2 && pairKind(keyTypes[0]) && pairKind(keyTypes[1]):
		t.layout = layoutPair
		if tinyKinds(t) {
			t.tiny = make([]int32, tinyDomain*tinyDomain)
		}
	default:
		t.initBytes()
	}
	_ = t.resize(nil, minSlots) // no budget, no error
	return t
}

// isIntKind reports whether values of t are integers held in an int64 word.
func isIntKind(t types.T) bool {
	return t.Kind == types.Int64 || t.Kind == types.Date || t.Kind == types.Timestamp
}

func (t *Table) initBytes() {
	t.layout = layoutBytes
	t.fixedW = 0
	w := 0
	for _, kt := range t.keyTypes {
		fw := fixedWidth(kt)
		if fw < 0 {
			w = 0
			break
		}
		w += 1 + fw
	}
	t.fixedW = w
	t.arena = newKeyArena(w)
}

// Len is the number of groups.
func (t *Table) Len() int { return t.groups }

// Bytes estimates the memory the table holds.
func (t *Table) Bytes() int64 {
	return int64(len(t.slots))*17 + t.words.Bytes() + t.direct.Bytes() + t.present.Bytes() + t.arena.size() +
		int64(len(t.tiny))*4 + t.scratch.bytes()
}

// resize replaces the slot array with an empty one of n slots, faulted in
// (paged.Prefault) before groups are placed at random into it.
func (t *Table) resize(b Budget, n int) error {
	s, err := newSlotMemory(b, n)
	if err != nil {
		return err
	}
	t.slots, t.tags, t.smap = s.slots, s.tags, s.m
	t.shift = uint(64 - log2(n))
	return nil
}

// Release gives the table's mapped slot array back to the engine's pool it
// came from, when the pool has room, for the next query's tables to take
// faulted in (osmem.Pool). The table must not be used after. Without it,
// or with the pool full, the array is unmapped once the table is
// unreachable.
func (t *Table) Release() {
	if t.smap != nil {
		t.smap.keep()
	}
	t.slots, t.tags, t.smap = nil, nil, nil
}

// dropSlots leaves the table without slots, giving mapped ones back.
func (t *Table) dropSlots(b Budget) error {
	s := slotMemory{slots: t.slots, tags: t.tags, m: t.smap}
	t.slots, t.tags, t.smap, t.shift = nil, nil, nil, 0
	return s.free(b)
}

// place puts s, of hash h and known to be absent, in the first free slot
// from its home.
func (t *Table) place(h uint64, s slot) {
	mask := len(t.slots) - 1
	p := int(h>>t.shift) & mask
	for t.tags[p] != 0 {
		p = (p + 1) & mask
	}
	t.tags[p] = tagOf(h)
	t.slots[p] = s
}

func log2(n int) int {
	k := 0
	for 1<<k < n {
		k++
	}
	return k
}

// mix64 is a 64-bit finaliser (from SplitMix64): good avalanche for keys
// that are dense integers.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hashOf is the hash a slot's key word was placed by.
func (t *Table) hashOf(key uint64) uint64 {
	if t.layout == layoutBytes {
		return key
	}
	return mix64(key)
}

// needGrow keeps the load factor at most 1/2 (linear probing degrades
// quickly above that).
func (t *Table) needGrow() bool { return 2*(t.groups+1) > len(t.slots) }

// grow doubles the slot array and moves every slot, spending budget. The
// slots carry their hash (or key), so no key is read again.
func (t *Table) grow(b Budget) error {
	old, oldTags, oldMap := t.slots, t.tags, t.smap
	if err := t.resize(b, len(old)*2); err != nil {
		return err
	}
	moved := 0
	for i, s := range old {
		if oldTags[i] == 0 {
			continue
		}
		t.place(t.hashOf(s.key), s)
		if moved++; moved%growChunk == 0 {
			if err := b.Spend(growChunk); err != nil {
				return err
			}
		}
	}
	if oldMap != nil {
		return oldMap.release(b)
	}
	return nil
}

// FindOrInsert sets out[i] to the group of row i of the key columns,
// creating groups for new keys. NULL is a key like any other (GROUP BY and
// DISTINCT semantics). It returns the number of new groups. An error is
// the budget's, returned mid-rehash so that cancellation is prompt; the
// table is then unusable (some groups are not in the slots) and must be
// dropped.
func (t *Table) FindOrInsert(b Budget, cols []arrow.Array, out []int32) (int, error) {
	n := cols[0].Len()
	before := t.groups
	var err error
	if t.layout != layoutBytes {
		// At most n new groups, and the NULL group: appends below never move words.
		if err = t.words.Reserve(b, n+1); err != nil {
			return 0, err
		}
	}
	switch t.layout {
	case layoutDirect:
		err = t.insertDirect(b, t.scratch.intWords(cols[0], n), out[:n], t.scratch.skip)
	case layoutWord:
		err = t.insertWordRows(b, t.scratch.intWords(cols[0], n), out[:n], t.scratch.skip)
	case layoutPair:
		if t.tiny != nil {
			var ok bool
			if ok, err = t.insertTiny(b, cols, out[:n]); err != nil || ok {
				break
			}
			t.tiny = nil // a value that does not code: the slots hold every group
		}
		if !t.scratch.packPairs(cols, n, true) {
			if err = t.convertToBytes(b); err != nil {
				return 0, err
			}
			err = t.insertBytesPieces(b, cols, out[:n])
			break
		}
		err = t.insertPairs(b, out[:n])
	default:
		err = t.insertBytesPieces(b, cols, out[:n])
	}
	if err != nil {
		return 0, err
	}
	return t.groups - before, nil
}

// Find sets out[i] to the group of row i, or -1 when the key is absent or
// has a NULL (join semantics: NULL matches nothing). It only reads the
// table; p holds the caller's scratch.
func (t *Table) Find(p *Probe, cols []arrow.Array, out []int32) {
	n := cols[0].Len()
	out = out[:n]
	switch t.layout {
	case layoutDirect:
		t.findDirect(p, cols[0], out)
	case layoutWord:
		t.findWords(p, cols[0], out)
	case layoutPair:
		t.findPairs(p, cols, out)
	default:
		t.findBytes(p, cols, out)
	}
}

// Probe is the scratch space of one prober. A Table that is no longer
// growing may be probed by several goroutines at once, each with its own
// Probe (parallel hash-join workers share one build table).
type Probe struct {
	words   []uint64 // word/pair: key word of each row
	codes   []uint32 // tiny: code of each row
	skip    []int32  // rows that cannot match (NULL, or a value the layout cannot hold)
	enc     encoder
	rowHash []uint64
}

// bytes is the memory the scratch holds.
func (p *Probe) bytes() int64 {
	return int64(cap(p.words))*8 + int64(cap(p.codes))*4 + int64(cap(p.skip))*4 + int64(cap(p.rowHash))*8 + p.enc.bytes()
}

// resizeCodes returns p.codes with length n, reusing its storage.
func (p *Probe) resizeCodes(n int) []uint32 {
	if cap(p.codes) < n {
		p.codes = make([]uint32, n)
	}
	p.codes = p.codes[:n]
	return p.codes
}

// resizeWords returns p.words with length n, reusing its storage.
func (p *Probe) resizeWords(n int) []uint64 {
	if cap(p.words) < n {
		p.words = make([]uint64, n)
	}
	p.words = p.words[:n]
	return p.words
}
