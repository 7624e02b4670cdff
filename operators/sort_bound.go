package operators

import (
	"encoding/binary"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// First-key codes. Where rows are compared one pair at a time against
// rows of other batches (top-k's bound, the merge of sorted streams),
// there is no whole input to plan normalized keys from. Instead each row's
// first key becomes a fixed uint64 code in the key's order: the value's
// image (images), or a string's first eight bytes, inverted for DESC, with
// NULL at 0 or at the top. A smaller code means an earlier row; only equal
// codes need the comparator: NULLs, strings sharing eight bytes, and
// values that tie on the first key.

// firstKeyCodes writes the code of each row of a, the first key's column,
// to dst. It reports false when some value has no code (a decimal beyond
// 64 bits): the caller compares every row then.
func firstKeyCodes(a arrow.Array, kind types.Kind, key SortKey, dst []uint64) bool {
	if kind == types.String {
		offs, data := vector.StringData(a.(*array.String))
		for i := range dst {
			dst[i] = prefixImage(data[offs[i]:offs[i+1]])
		}
	} else if !images(a, kind, nil, dst) {
		return false
	}
	if key.Desc {
		for i, c := range dst {
			dst[i] = ^c
		}
	}
	if valid, off := validBits(a); valid != nil {
		null := uint64(math.MaxUint64)
		if key.NullsFirst {
			null = 0
		}
		for i := range dst {
			if !isValid(valid, off, i) {
				dst[i] = null
			}
		}
	}
	return true
}

// codesDecide reports whether equal codes of two rows of kind mean equal
// first keys: a numeric key without NULLs in either batch.
func codesDecide(kind types.Kind, a, b arrow.Array) bool {
	return kind != types.String && a.NullN() == 0 && b.NullN() == 0
}

// prefixImage is a string's first eight bytes, zero-padded, big-endian: a
// smaller image means a smaller string, an equal one decides nothing.
func prefixImage[S string | []byte](s S) uint64 {
	var buf [8]byte
	copy(buf[:], s)
	return binary.BigEndian.Uint64(buf[:])
}

// topKBound tells which rows of a batch come strictly before the k-th row
// of a top-k, the last row of its top rows: by first-key code in a tight
// loop, and by the comparator only when the codes are equal.
type topKBound struct {
	keys    []SortKey
	schema  *arrow.Schema
	kind    types.Kind
	top     arrow.Record // the bound is its last row
	row     int
	slow    bool   // the bound has no code: compare every row
	code    uint64 // the bound's code
	scratch []uint64
	cand    []int32
}

// newTopKBound makes the last row of top the bound.
func newTopKBound(keys []SortKey, schema *arrow.Schema, top arrow.Record) topKBound {
	b := topKBound{keys: keys, schema: schema, top: top, row: int(top.NumRows()) - 1}
	b.kind = types.MustFromArrow(schema.Field(keys[0].Col).Type).Kind
	last := array.NewSlice(top.Column(keys[0].Col), int64(b.row), int64(b.row+1))
	defer last.Release()
	var code [1]uint64
	b.slow = !firstKeyCodes(last, b.kind, keys[0], code[:])
	b.code = code[0]
	return b
}

// filter returns the rows of rec before the bound, in order. The slice is
// the bound's, valid until the next call.
func (b *topKBound) filter(rec arrow.Record) []int32 {
	n := int(rec.NumRows())
	a := rec.Column(b.keys[0].Col)
	if cap(b.scratch) < n {
		b.scratch = make([]uint64, n)
	}
	codes := b.scratch[:n]
	slow := b.slow || !firstKeyCodes(a, b.kind, b.keys[0], codes)
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
	switch {
	case slow:
		for i := range codes {
			if before(i) {
				cand = append(cand, int32(i))
			}
		}
	case len(b.keys) == 1 && codesDecide(b.kind, a, b.top.Column(b.keys[0].Col)):
		for i, c := range codes { // a tie with the bound loses: strictly before only
			if c < b.code {
				cand = append(cand, int32(i))
			}
		}
	default:
		for i, c := range codes {
			if c < b.code || c == b.code && before(i) {
				cand = append(cand, int32(i))
			}
		}
	}
	b.cand = cand
	return cand
}
