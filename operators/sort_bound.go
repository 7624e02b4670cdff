package operators

import (
	"encoding/binary"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// topKBound tells which rows of a batch come strictly before the k-th row
// of a top-k. The first key of every row is turned into an unsigned
// integer in the key's order (images; a string's first eight bytes) and
// compared with the bound's: most rows are decided by that one comparison.
// Only rows equal to the bound there, NULLs, and decimals too wide for 64
// bits go to the comparator.
type topKBound struct {
	keys    []SortKey
	schema  *arrow.Schema
	kind    types.Kind
	top     arrow.Record // the bound is its last row
	row     int
	slow    bool   // the bound's first key has no image: compare every row
	exact   bool   // equal images mean equal rows (a single numeric key)
	img     uint64 // the bound's image
	scratch []uint64
	cand    []int32
}

// newTopKBound makes the last row of top the bound.
func newTopKBound(keys []SortKey, schema *arrow.Schema, top arrow.Record) topKBound {
	b := topKBound{keys: keys, schema: schema, top: top, row: int(top.NumRows()) - 1}
	b.kind = types.MustFromArrow(schema.Field(keys[0].Col).Type).Kind
	b.exact = len(keys) == 1 && b.kind != types.String
	a := top.Column(keys[0].Col)
	if a.IsNull(b.row) {
		b.slow = true
		return b
	}
	if b.kind == types.String {
		b.img = prefixImage(a.(*array.String).Value(b.row))
		return b
	}
	var img [1]uint64
	b.slow = !images(a, b.kind, []int32{int32(b.row)}, img[:])
	b.img = img[0]
	return b
}

// prefixImage is a string's first eight bytes, zero-padded, big-endian: a
// smaller image means a smaller string, an equal one decides nothing.
func prefixImage[S string | []byte](s S) uint64 {
	var buf [8]byte
	copy(buf[:], s)
	return binary.BigEndian.Uint64(buf[:])
}

// filter returns the rows of rec before the bound, in order. The slice is
// the bound's, valid until the next call.
func (b *topKBound) filter(rec arrow.Record) []int32 {
	n := int(rec.NumRows())
	a := rec.Column(b.keys[0].Col)
	if cap(b.scratch) < n {
		b.scratch = make([]uint64, n)
	}
	img := b.scratch[:n]
	slow := b.slow
	if b.kind == types.String {
		offs, data := vector.StringData(a.(*array.String))
		for i := range img {
			img[i] = prefixImage(data[offs[i]:offs[i+1]])
		}
	} else if !images(a, b.kind, nil, img) {
		slow = true
	}
	var cmp *rowComparator
	before := func(i int) bool { // the comparator's answer
		if cmp == nil {
			cmp = newRowComparator(b.keys, b.schema)
			cmp.addBatch(b.top)
			cmp.addBatch(rec)
		}
		return cmp.compare(1, i, 0, b.row) < 0
	}
	cand := b.cand[:0]
	valid, off := validBits(a)
	bound, desc := b.img, b.keys[0].Desc
	if !slow && valid == nil {
		for i, v := range img {
			if v == bound {
				if !b.exact && before(i) {
					cand = append(cand, int32(i))
				}
				continue
			}
			if (v < bound) != desc {
				cand = append(cand, int32(i))
			}
		}
	} else {
		for i, v := range img {
			switch {
			case slow || !isValid(valid, off, i) || v == bound && !b.exact:
				if before(i) {
					cand = append(cand, int32(i))
				}
			case v != bound && (v < bound) != desc:
				cand = append(cand, int32(i))
			}
		}
	}
	b.cand = cand
	return cand
}
