// Package hashtab is the hash table under GROUP BY, DISTINCT and hash
// joins: it maps the key of every row of a batch to a dense group number.
//
// Two layouts share one open-addressing probe: a single BIGINT or DATE key
// is stored as int64 and hashed with a multiplicative mixer; any other key
// (several columns, strings, decimals, ...) is serialised into a byte arena
// and hashed with maphash. Slots hold group numbers; keys and hashes live in
// per-group arrays, so growing the table never rehashes key bytes.
package hashtab

import (
	"hash/maphash"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/types"
)

// Budget is the cooperative budget of the task that uses the table; long
// loops (growth, key materialisation) spend it in chunks.
type Budget interface {
	Spend(units int) error
}

// growChunk is the number of groups re-inserted between two budget spends
// while the table grows.
const growChunk = 4096

// Table maps keys to dense group numbers 0, 1, 2, ... in insertion order.
// It is not safe for concurrent use.
type Table struct {
	keyTypes []types.T
	intKey   bool // single BIGINT or DATE key
	seed     maphash.Seed

	slots  []int32 // group+1; 0 = empty
	shift  uint    // 64 - log2(len(slots))
	hashes []uint64

	ints      []int64 // intKey: key of each group
	nullGroup int32   // intKey: group of the NULL key, or -1

	arena   []byte  // serialised keys
	keyOffs []int64 // group g's key is arena[keyOffs[g]:keyOffs[g+1]]

	enc     encoder
	rowHash []uint64
}

// New returns an empty table for keys of the given types.
func New(keyTypes []types.T) *Table {
	t := &Table{
		keyTypes:  keyTypes,
		seed:      maphash.MakeSeed(),
		nullGroup: -1,
		keyOffs:   []int64{0},
	}
	t.intKey = len(keyTypes) == 1 && (keyTypes[0].Kind == types.Int64 || keyTypes[0].Kind == types.Date)
	t.resize(1024)
	return t
}

// Len is the number of groups.
func (t *Table) Len() int { return len(t.hashes) }

// Bytes estimates the memory the table holds.
func (t *Table) Bytes() int64 {
	return int64(len(t.slots)*4 + cap(t.hashes)*8 + cap(t.ints)*8 + cap(t.arena) + cap(t.keyOffs)*8)
}

func (t *Table) resize(n int) {
	t.slots = make([]int32, n)
	t.shift = uint(64 - log2(n))
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

// grow doubles the slot array and re-inserts every group, spending budget.
func (t *Table) grow(b Budget) error {
	t.resize(len(t.slots) * 2)
	mask := len(t.slots) - 1
	for g, h := range t.hashes {
		if int32(g) == t.nullGroup {
			continue // the NULL key lives outside the slots
		}
		p := int(h>>t.shift) & mask
		for t.slots[p] != 0 {
			p = (p + 1) & mask
		}
		t.slots[p] = int32(g + 1)
		if (g+1)%growChunk == 0 {
			if err := b.Spend(growChunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// needGrow keeps the load factor at most 1/2.
func (t *Table) needGrow() bool { return 2*(len(t.hashes)+1) > len(t.slots) }

// FindOrInsert sets out[i] to the group of row i of the key columns,
// creating groups for new keys. NULL is a key like any other (GROUP BY and
// DISTINCT semantics). It returns the number of new groups. An error is
// the budget's, returned mid-rehash so that cancellation is prompt; the
// table is then unusable (some groups are not in the slots) and must be
// dropped.
func (t *Table) FindOrInsert(b Budget, cols []arrow.Array, out []int32) (int, error) {
	n := cols[0].Len()
	before := t.Len()
	if t.intKey {
		if err := t.insertInts(b, cols[0], out[:n]); err != nil {
			return 0, err
		}
		return t.Len() - before, nil
	}
	t.enc.encode(cols, t.keyTypes, n)
	t.rowHash = hashRows(t.seed, &t.enc, t.rowHash, n)
	mask := len(t.slots) - 1
	for i := 0; i < n; i++ {
		if t.needGrow() {
			if err := t.grow(b); err != nil {
				return 0, err
			}
			mask = len(t.slots) - 1
		}
		key := t.enc.buf[t.enc.offs[i]:t.enc.offs[i+1]]
		h := t.rowHash[i]
		p := int(h>>t.shift) & mask
		for {
			s := t.slots[p]
			if s == 0 {
				g := int32(len(t.hashes))
				t.hashes = append(t.hashes, h)
				t.arena = append(t.arena, key...)
				t.keyOffs = append(t.keyOffs, int64(len(t.arena)))
				t.slots[p] = g + 1
				out[i] = g
				break
			}
			g := s - 1
			if t.hashes[g] == h && string(t.arena[t.keyOffs[g]:t.keyOffs[g+1]]) == string(key) {
				out[i] = g
				break
			}
			p = (p + 1) & mask
		}
	}
	return t.Len() - before, nil
}

// hashRows hashes the n encoded rows of enc into dst (reallocated as needed).
func hashRows(seed maphash.Seed, enc *encoder, dst []uint64, n int) []uint64 {
	if cap(dst) < n {
		dst = make([]uint64, n)
	}
	dst = dst[:n]
	for i := 0; i < n; i++ {
		dst[i] = maphash.Bytes(seed, enc.buf[enc.offs[i]:enc.offs[i+1]])
	}
	return dst
}

func intValues(c arrow.Array) []int64 {
	switch a := c.(type) {
	case *array.Int64:
		return a.Int64Values()
	case *array.Date32:
		v := a.Date32Values()
		out := make([]int64, len(v))
		for i, d := range v {
			out[i] = int64(d)
		}
		return out
	}
	return nil
}

func (t *Table) insertInts(b Budget, c arrow.Array, out []int32) error {
	keys := intValues(c)
	hasNulls := c.NullN() > 0
	mask := len(t.slots) - 1
	for i, k := range keys {
		if hasNulls && c.IsNull(i) {
			if t.nullGroup < 0 {
				t.nullGroup = int32(len(t.hashes))
				t.hashes = append(t.hashes, 0)
				t.ints = append(t.ints, 0)
			}
			out[i] = t.nullGroup
			continue
		}
		if t.needGrow() {
			if err := t.grow(b); err != nil {
				return err
			}
			mask = len(t.slots) - 1
		}
		h := mix64(uint64(k))
		p := int(h>>t.shift) & mask
		for {
			s := t.slots[p]
			if s == 0 {
				g := int32(len(t.hashes))
				t.hashes = append(t.hashes, h)
				t.ints = append(t.ints, k)
				t.slots[p] = g + 1
				out[i] = g
				break
			}
			g := s - 1
			if t.ints[g] == k {
				out[i] = g
				break
			}
			p = (p + 1) & mask
		}
	}
	return nil
}

// Probe is the scratch space of one prober. A Table that is no longer
// growing may be probed by several goroutines at once, each with its own
// Probe (parallel hash-join workers share one build table).
type Probe struct {
	enc     encoder
	rowHash []uint64
}

// Find sets out[i] to the group of row i, or -1 when the key is absent or
// has a NULL (join semantics: NULL matches nothing). It only reads the
// table; p holds the caller's scratch.
func (t *Table) Find(p *Probe, cols []arrow.Array, out []int32) {
	n := cols[0].Len()
	mask := len(t.slots) - 1
	if t.intKey {
		c := cols[0]
		hasNulls := c.NullN() > 0
		for i, k := range intValues(c) {
			out[i] = -1
			if hasNulls && c.IsNull(i) {
				continue
			}
			p := int(mix64(uint64(k))>>t.shift) & mask
			for s := t.slots[p]; s != 0; s = t.slots[p] {
				if g := s - 1; t.ints[g] == k {
					out[i] = g
					break
				}
				p = (p + 1) & mask
			}
		}
		return
	}
	p.enc.encode(cols, t.keyTypes, n)
	p.rowHash = hashRows(t.seed, &p.enc, p.rowHash, n)
	checkNulls := false
	for _, c := range cols {
		checkNulls = checkNulls || c.NullN() > 0
	}
	for i := 0; i < n; i++ {
		out[i] = -1
		if checkNulls && anyNull(cols, i) {
			continue
		}
		key := p.enc.buf[p.enc.offs[i]:p.enc.offs[i+1]]
		h := p.rowHash[i]
		pos := int(h>>t.shift) & mask
		for s := t.slots[pos]; s != 0; s = t.slots[pos] {
			g := s - 1
			if t.hashes[g] == h && string(t.arena[t.keyOffs[g]:t.keyOffs[g+1]]) == string(key) {
				out[i] = g
				break
			}
			pos = (pos + 1) & mask
		}
	}
}
