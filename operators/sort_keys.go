package operators

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// Normalized sort keys. Every row's ORDER BY keys are packed, most
// significant first, into a record of a few uint64 words whose order as
// unsigned integers is the order the keys define, direction and NULL
// placement included. The low bits of the last word hold the row's id
// (see rowSet), so records are unique, sorting them keeps ties in input
// order, and the sorted records say where each row is.
//
// The encoding is planned from the data once the whole input is known:
// each numeric column is reduced to the range of its own values (a date
// column spans 12 bits, not 64), a NULL takes one code just outside that
// range instead of a bit of its own, and a column whose values are all
// equal takes no bits at all. Strings lose the prefix every value shares
// and are encoded byte by byte; a column whose strings are too long to
// encode whole is cut after a prefix, and keys from it on are left
// undecided: each run of records with equal words is sorted again, on the
// bytes that follow (sort_rows.go).

const (
	// exactStringBytes is the longest string (after the shared prefix)
	// encoded whole: longer ones would make every record wide.
	exactStringBytes = 16
	// stringPrefixBytes is how much of a longer string is encoded.
	stringPrefixBytes = 16
	signBit           = uint64(1) << 63
)

// keyField is the plan for one key column: statistics gathered over the
// input, then the bits its code takes in a record.
type keyField struct {
	col              int
	kind             types.Kind
	desc, nullsFirst bool

	hasNulls bool
	any      bool   // at least one non-NULL value
	lo, hi   uint64 // numerics: range of the order-preserving images of the values
	wide     bool   // decimals beyond int64: 128-bit images, not reduced

	from           int    // strings: bytes every value is known to share, not looked at
	first          []byte // strings: a value, to measure the shared prefix
	skip           int    // strings: length of the prefix every value shares after from
	minLen, maxLen int    // strings: length range after from, shared prefix included
	nbytes         int    // strings: bytes encoded after the shared prefix
	lenLo, lenHi   int    // strings: range of the encoded (clipped) lengths
	exact          bool   // the code decides this key completely

	nullBit bool // a separate NULL bit precedes the value bits
	width   int  // bits of the value part
	pos     int  // first bit of the field, counted from the top of word 0
}

// keyLayout is the plan for a whole record.
type keyLayout struct {
	fields  []keyField // the encoded keys, a prefix of all keys
	words   int        // words per record
	tieKey  int        // keys from this one on are left undecided by equal codes (len(keys): none)
	idBits  int        // low bits of the last word holding the row id
	keyEnd  int        // first byte of a record that holds row-id bits only
	leadPos int        // first bit of the set's lead code, if it has one
}

// bitsFor is the number of bits needed to write x.
func bitsFor(x uint64) int { return 64 - bits.LeadingZeros64(x) }

// floatImage maps a double onto uint64 in DuckDB's order: -0 equal to +0,
// NaN after +Inf (as the comparison operators have it).
func floatImage(f float64) uint64 {
	if f != f {
		return math.MaxUint64 // +Inf's image is 0xFFF0...: no other value's is all ones
	}
	if f == 0 {
		f = 0 // -0 becomes +0
	}
	b := math.Float64bits(f)
	if b&signBit != 0 {
		return ^b
	}
	return b | signBit
}

// images writes the order-preserving uint64 image of each value of a
// numeric array, or of its rows listed in rows (nil: all), to dst (NULL
// rows get whatever their slot holds). It reports false for a decimal that
// does not fit in an int64.
func images(a arrow.Array, kind types.Kind, rows []int32, dst []uint64) bool {
	switch kind {
	case types.Int64, types.Timestamp:
		vals := vector.Int64View(a)
		if rows == nil {
			for i, v := range vals {
				dst[i] = uint64(v) ^ signBit
			}
		}
		for j, r := range rows {
			dst[j] = uint64(vals[r]) ^ signBit
		}
	case types.Date:
		vals := a.(*array.Date32).Date32Values()
		if rows == nil {
			for i, v := range vals {
				dst[i] = uint64(int64(v)) ^ signBit
			}
		}
		for j, r := range rows {
			dst[j] = uint64(int64(vals[r])) ^ signBit
		}
	case types.Float64:
		vals := a.(*array.Float64).Float64Values()
		if rows == nil {
			for i, v := range vals {
				dst[i] = floatImage(v)
			}
		}
		for j, r := range rows {
			dst[j] = floatImage(vals[r])
		}
	case types.Decimal:
		vals := a.(*array.Decimal128).Values()
		ok := true
		for j := range dst {
			v := vals[j]
			if rows != nil {
				v = vals[rows[j]]
			}
			lo := v.LowBits()
			ok = ok && v.HighBits() == int64(lo)>>63
			dst[j] = lo ^ signBit
		}
		return ok
	case types.Bool:
		b := a.(*array.Boolean)
		for j := range dst {
			r := j
			if rows != nil {
				r = int(rows[j])
			}
			dst[j] = 0
			if b.Value(r) {
				dst[j] = 1
			}
		}
	}
	return true
}

// validBits returns a's validity bitmap and offset, or nil when a has no
// NULLs.
func validBits(a arrow.Array) ([]byte, int) {
	if a.NullN() == 0 {
		return nil, 0
	}
	return a.NullBitmapBytes(), a.Data().Offset()
}

func isValid(valid []byte, off, i int) bool {
	return valid == nil || bitutil.BitIsSet(valid, off+i)
}

// observe adds one group's values of the field's column to its
// statistics. scratch holds at least g.len() words.
func (f *keyField) observe(g *rowGroup, scratch []uint64) {
	a := g.rec.Column(f.col)
	n := g.len()
	valid, off := validBits(a)
	if valid != nil {
		f.hasNulls = true // perhaps not among the chosen rows: a wasted code at most
		if a.NullN() == a.Len() {
			return
		}
	}
	if f.kind == types.String {
		f.observeStrings(a.(*array.String), g, valid, off)
		return
	}
	img := scratch[:n]
	if !images(a, f.kind, g.rows, img) {
		f.wide = true
	}
	for j, v := range img {
		if !isValid(valid, off, g.row(j)) {
			continue
		}
		if !f.any {
			f.lo, f.hi, f.any = v, v, true
		}
		f.lo, f.hi = min(f.lo, v), max(f.hi, v)
	}
}

func (f *keyField) observeStrings(a *array.String, g *rowGroup, valid []byte, off int) {
	offs, data := vector.StringData(a)
	for j := 0; j < g.len(); j++ {
		i := g.row(j)
		if !isValid(valid, off, i) {
			continue
		}
		s := data[offs[i]:offs[i+1]]
		s = s[min(f.from, len(s)):]
		if !f.any {
			f.any, f.first, f.skip = true, s, len(s)
			f.minLen, f.maxLen = len(s), len(s)
		}
		f.minLen, f.maxLen = min(f.minLen, len(s)), max(f.maxLen, len(s))
		f.skip = sharedPrefix(f.first, s, f.skip)
	}
}

// sharedPrefix is the length of the common prefix of a and b, up to n.
func sharedPrefix(a, b []byte, n int) int {
	n = min(n, len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 { // eight bytes at a time: shared prefixes are long
		if x := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]); x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// plan sets the field's bit widths once every batch was observed.
func (f *keyField) plan() {
	f.exact = true
	if !f.any { // every value NULL (or no rows): the column cannot order anything
		return
	}
	switch {
	case f.kind == types.String:
		rest := f.maxLen - f.skip
		f.exact = rest <= exactStringBytes
		f.nbytes = min(rest, stringPrefixBytes)
		if f.exact {
			f.nbytes = rest
		}
		// A length above nbytes is clipped to nbytes+1: it then says only
		// "longer than the prefix", which is all the order needs.
		f.lenLo = min(f.minLen-f.skip, f.nbytes+1)
		f.lenHi = min(f.maxLen-f.skip, f.nbytes+1)
		f.nullBit = f.hasNulls
		f.width = 8*f.nbytes + bitsFor(uint64(f.lenHi-f.lenLo))
	case f.wide:
		f.nullBit = f.hasNulls
		f.width = 128
	case f.hasNulls && f.hi-f.lo == math.MaxUint64:
		f.nullBit = true
		f.width = 64
	case f.hasNulls:
		// NULL is folded into the code: 0 before the values or one past them.
		f.width = bitsFor(f.hi - f.lo + 1)
	default:
		f.width = bitsFor(f.hi - f.lo)
	}
}

// bitsUsed is the field's total width.
func (f *keyField) bitsUsed() int {
	if f.nullBit {
		return f.width + 1
	}
	return f.width
}

// planLayout gathers statistics over the rows of set and lays the keys
// out. When the first key is a string, every value is known to begin with
// the same from bytes (a run of ties being sorted again). It spends one
// unit per value observed.
func planLayout(t *Task, keys []SortKey, schema *arrow.Schema, set *rowSet, from int) (*keyLayout, error) {
	var scratch []uint64
	l := &keyLayout{tieKey: len(keys)}
	total := set.leadBits
	for k, key := range keys {
		f := keyField{col: key.Col, kind: types.MustFromArrow(schema.Field(key.Col).Type).Kind, desc: key.Desc, nullsFirst: key.NullsFirst}
		if k == 0 {
			f.from = from
		}
		err := set.groups(func(g *rowGroup) error {
			n := g.len()
			if cap(scratch) < n {
				scratch = make([]uint64, n)
			}
			f.observe(g, scratch)
			return t.Spend(n)
		})
		if err != nil {
			return nil, err
		}
		f.plan()
		l.fields = append(l.fields, f)
		total += f.bitsUsed()
		if !f.exact {
			// Equal codes may hide different strings: from this key on,
			// ties are sorted again.
			l.tieKey = k
			break
		}
	}
	l.idBits = set.idBits()
	total += l.idBits
	l.words = max((total+63)/64, 1)
	pos := l.words*64 - total // right-aligned: the id ends the last word
	l.leadPos = pos
	pos += set.leadBits
	for i := range l.fields {
		l.fields[i].pos = pos
		pos += l.fields[i].bitsUsed()
	}
	l.keyEnd = (l.words*64 - l.idBits + 7) / 8
	return l, nil
}
