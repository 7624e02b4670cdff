package hashtab

import (
	"hash/maphash"
	"runtime"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// The bytes layout: keys serialised by the encoder into an arena, their
// 64-bit hash kept in the slot. Two different keys share a slot's hash
// with probability 2^-64 per comparison, so a probe reads another key's
// bytes almost only when it is about to match it. When every key column
// is fixed-width every key has the same width and group g's key sits at
// a computed place, with no offset array to read (arena.go).

// keyBytes returns group g's serialised key.
func (t *Table) keyBytes(g int32) []byte { return t.arena.key(g) }

// appendKey stores the key of a new group.
func (t *Table) appendKey(b Budget, key []byte) error { return t.arena.add(b, key) }

// hashRows hashes the n encoded rows of enc into dst (reallocated as needed).
func hashRows(seed maphash.Seed, enc *encoder, dst []uint64, n int) []uint64 {
	if cap(dst) < n {
		dst = make([]uint64, n)
	}
	dst = dst[:n]
	for i := range dst {
		dst[i] = maphash.Bytes(seed, enc.row(i))
	}
	return dst
}

// bytesPiece is how many rows the bytes layout encodes, hashes and
// inserts between two spends, and bytesRowUnits what a row spends. A
// whole batch went 1-4 ms between two checks when the table was new: its
// scratch (encoded rows, offsets, hashes) was fresh memory, 77-270 faults
// in q04's and q22's first batch. A piece's scratch is reused by the next,
// and a row spends as a cache-missing row of a join does (operators'
// missUnits), so that a piece ends with a check at the default quantum.
const (
	bytesPiece    = 512
	bytesRowUnits = 8
)

// insertBytesPieces is insertBytes a piece of the batch at a time.
func (t *Table) insertBytesPieces(b Budget, cols []arrow.Array, out []int32) error {
	n := len(out)
	if n <= bytesPiece {
		return t.insertBytes(b, cols, out)
	}
	piece := make([]arrow.Array, len(cols))
	for lo := 0; lo < n; lo += bytesPiece {
		hi := min(n, lo+bytesPiece)
		for i, c := range cols {
			piece[i] = array.NewSlice(c, int64(lo), int64(hi))
		}
		err := t.insertBytes(b, piece, out[lo:hi])
		for _, c := range piece {
			c.Release()
		}
		if err == nil && b != nil {
			err = b.Spend((hi - lo) * bytesRowUnits)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// insertBytes is FindOrInsert for the bytes layout.
func (t *Table) insertBytes(b Budget, cols []arrow.Array, out []int32) error {
	defer runtime.KeepAlive(t) // its slots may be mapped (slots.go)
	s := &t.scratch
	n := len(out)
	s.enc.encode(cols, t.keyTypes, n)
	s.rowHash = hashRows(t.seed, &s.enc, s.rowHash, n)
	slots, tags, shift, mask := t.slots, t.tags, t.shift, len(t.slots)-1
	prevG, prevH := int32(-1), uint64(0)
	var prevKey []byte
	for i, h := range s.rowHash {
		key := s.enc.row(i)
		if h == prevH && prevG >= 0 && string(key) == string(prevKey) {
			out[i] = prevG
			continue
		}
		if t.needGrow() {
			if err := t.grow(b); err != nil {
				return err
			}
			slots, tags, shift, mask = t.slots, t.tags, t.shift, len(t.slots)-1
		}
		tag := tagOf(h)
		p := int(h>>shift) & mask
		for {
			tg := tags[p]
			if tg == 0 {
				if err := t.appendKey(b, key); err != nil {
					return err
				}
				g := int32(t.groups)
				t.groups++
				tags[p], slots[p] = tag, slot{key: h, g: g}
				prevG = g
				break
			}
			if tg == tag && slots[p].key == h && string(t.keyBytes(slots[p].g)) == string(key) {
				prevG = slots[p].g
				break
			}
			p = (p + 1) & mask
		}
		prevH, prevKey = h, key
		out[i] = prevG
	}
	return nil
}

// findBytes is Find for the bytes layout.
func (t *Table) findBytes(p *Probe, cols []arrow.Array, out []int32) {
	defer runtime.KeepAlive(t) // its slots may be mapped (slots.go)
	n := len(out)
	p.enc.encode(cols, t.keyTypes, n)
	p.rowHash = hashRows(t.seed, &p.enc, p.rowHash, n)
	slots, tags, shift, mask := t.slots, t.tags, t.shift, len(t.slots)-1
	prevG, prevH := int32(-1), uint64(0)
	var prevKey []byte
	for i, h := range p.rowHash {
		key := p.enc.row(i)
		if h == prevH && i > 0 && string(key) == string(prevKey) {
			out[i] = prevG
			continue
		}
		g := int32(-1)
		tag := tagOf(h)
		for pos := int(h>>shift) & mask; ; pos = (pos + 1) & mask {
			tg := tags[pos]
			if tg == tag && slots[pos].key == h && string(t.keyBytes(slots[pos].g)) == string(key) {
				g = slots[pos].g
				break
			}
			if tg == 0 {
				break
			}
		}
		prevG, prevH, prevKey = g, h, key
		out[i] = g
	}
	// NULL matches nothing; rows with one are rare enough to look up
	// anyway and overwrite.
	for _, c := range cols {
		if c.NullN() == 0 {
			continue
		}
		if _, allNull := c.(*array.Null); allNull {
			for i := range out {
				out[i] = -1
			}
			return
		}
		for i := range out {
			if c.IsNull(i) {
				out[i] = -1
			}
		}
	}
}
