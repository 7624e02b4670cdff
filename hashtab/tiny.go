package hashtab

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/vector"
)

// The tiny index sits in front of a pair table whose two key columns hold
// flags: VARCHARs of at most one ASCII byte, or BOOLEANs (Q1's
// l_returnflag and l_linestatus). Each value codes into fewer than
// tinyDomain numbers, the two codes make one index into an array of
// group+1, and a row's group is one load: no hashing, no probing, and no
// branch that depends on which group the row is in (with four groups met
// at random, the slot loop's exit mispredicted on most rows).
//
// The slots are kept up to date as well, so Find works as for any pair
// table, and the first value that does not code (a longer string) just
// drops the index.

const (
	tinyDomain  = 130 // a column's codes: "" 0, byte b (< 128) 1+b, NULL 129
	tinyNull    = tinyDomain - 1
	tinyMaxByte = 127
)

// tinyKinds reports whether both key columns may code: both VARCHAR or
// BOOLEAN.
func tinyKinds(t *Table) bool {
	for _, kt := range t.keyTypes {
		if _, ok := kt.Arrow().(*arrow.StringType); !ok && kt.Arrow().ID() != arrow.BOOL {
			return false
		}
	}
	return true
}

// insertTiny is FindOrInsert through the tiny index. It reports false,
// having changed nothing, when a value of the batch does not code; the
// caller then drops the index.
func (t *Table) insertTiny(b Budget, cols []arrow.Array, out []int32) (bool, error) {
	codes := t.scratch.resizeCodes(len(out))
	if !tinyFlagPair(codes, cols[0], cols[1]) {
		clear(codes)
		for _, c := range cols[:2] {
			if !appendTinyCodes(codes, c) {
				return false, nil
			}
		}
	}
	tiny := t.tiny
	for i, k := range codes {
		g := tiny[k] - 1
		if g < 0 {
			var err error
			if g, err = t.insertTinyKey(b, cols, k); err != nil {
				return false, err
			}
		}
		out[i] = g
	}
	return true, nil
}

// insertTinyKey makes the group of the key of code k, in the slots and in
// the index.
func (t *Table) insertTinyKey(b Budget, cols []arrow.Array, k uint32) (int32, error) {
	w := [1]uint64{tinyWord(cols[0], k/tinyDomain)<<32 | tinyWord(cols[1], k%tinyDomain)}
	one := [1]int32{}
	if err := t.insertWordRows(b, w[:], one[:], nil); err != nil {
		return 0, err
	}
	t.tiny[k] = one[0] + 1
	return one[0], nil
}

// FindOrInsertSel is FindOrInsert for the rows sel selects of cols
// (out[i] for row sel[i]), when the table can read them in place: only
// the tiny index can, whose codes cost less over every row than copying
// the selected ones. It reports false, having done nothing, otherwise.
func (t *Table) FindOrInsertSel(b Budget, cols []arrow.Array, sel []int32, out []int32) (bool, error) {
	if t.layout != layoutPair || t.tiny == nil {
		return false, nil
	}
	n := cols[0].Len()
	if err := t.words.Reserve(b, len(sel)+1); err != nil {
		return false, err
	}
	codes := t.scratch.resizeCodes(n)
	if !tinyFlagPair(codes, cols[0], cols[1]) {
		return false, nil
	}
	tiny := t.tiny
	out = out[:len(sel)]
	for i, r := range sel {
		k := codes[r]
		g := tiny[k] - 1
		if g < 0 {
			var err error
			if g, err = t.insertTinyKey(b, cols, k); err != nil {
				return false, err
			}
		}
		out[i] = g
	}
	return true, nil
}

// tinyWord is the pair layout's half for code k of a column like c.
func tinyWord(c arrow.Array, k uint32) uint64 {
	switch {
	case k == tinyNull:
		return pairNull
	case c.DataType().ID() == arrow.BOOL:
		return uint64(k)
	case k == 0:
		return 0 // the empty string: length 0, no bytes
	}
	return 1<<24 | uint64(k-1)
}

// appendTinyCodes sets codes[i] to codes[i]*tinyDomain plus the code of
// row i of c, reporting false at the first value that does not code.
func appendTinyCodes(codes []uint32, c arrow.Array) bool {
	switch a := c.(type) {
	case *array.String:
		if a.NullN() == 0 {
			return tinyStrings(codes, a)
		}
		for i := range codes {
			k := uint32(tinyNull)
			if a.IsValid(i) {
				s := vector.StringAt(a, i)
				if len(s) > 1 || len(s) == 1 && s[0] > tinyMaxByte {
					return false
				}
				if len(s) == 1 {
					k = 1 + uint32(s[0])
				} else {
					k = 0
				}
			}
			codes[i] = codes[i]*tinyDomain + k
		}
		return true
	case *array.Boolean:
		for i := range codes {
			k := uint32(tinyNull)
			if a.IsValid(i) {
				k = uint32(b2u(a.Value(i)))
			}
			codes[i] = codes[i]*tinyDomain + k
		}
		return true
	}
	return false
}

// tinyFlagPair codes two VARCHAR columns without NULLs in one pass, Q1's
// case; it reports false when they are something else or a value does not
// code. The code of a value is its length (0 or 1) times one plus its
// byte, so an empty string needs no branch: it reads the nearest byte,
// whatever it is, and multiplies it by 0. Each row's end offset is the
// next row's start, so one load per column gives both.
func tinyFlagPair(codes []uint32, ca, cb arrow.Array) bool {
	a, ok := ca.(*array.String)
	b, ok2 := cb.(*array.String)
	if !ok || !ok2 || a.NullN() > 0 || b.NullN() > 0 {
		return false
	}
	offsA, dataA := vector.StringData(a)
	offsB, dataB := vector.StringData(b)
	n := len(codes)
	if len(dataA) == 0 || len(dataB) == 0 || len(offsA) < n+1 || len(offsB) < n+1 {
		return false
	}
	if offsA[n]-offsA[0] == int32(n) && offsB[n]-offsB[0] == int32(n) &&
		tinyBytePair(codes, offsA[:n+1], offsB[:n+1], dataA[offsA[0]:][:n], dataB[offsB[0]:][:n]) {
		return true
	}
	lastA, lastB := int32(len(dataA)-1), int32(len(dataB)-1)
	loA, loB := offsA[0], offsB[0]
	offsA, offsB = offsA[1:n+1], offsB[1:n+1]
	var lens, bytes uint32
	for i := range codes {
		hiA, hiB := offsA[i], offsB[i]
		lA, lB := uint32(hiA-loA), uint32(hiB-loB)
		vA, vB := uint32(dataA[min(loA, lastA)])*lA, uint32(dataB[min(loB, lastB)])*lB
		lens |= lA | lB
		bytes |= vA | vB
		codes[i] = (lA+vA)*tinyDomain + lB + vB
		loA, loB = hiA, hiB
	}
	return lens <= 1 && bytes <= tinyMaxByte
}

// tinyBytePairGo is tinyFlagPair for two columns that may hold one byte
// a value, given their offsets and the bytes the values would then be: it
// codes each row from its byte and checks, in the same pass, that every
// row is one byte long (offs[i] = offs[0] + i) and ASCII. Two passes, one
// checking the offsets and one coding, cost Q1 1.5 ns a row; the codes of
// a pass that fails are thrown away. tinyBytePair runs it where there is
// no vector unit, and on the rows after the last whole eight.
func tinyBytePairGo(codes []uint32, offsA, offsB []int32, a, b []byte) bool {
	n := len(codes)
	a, b, offsA, offsB = a[:n], b[:n], offsA[:n+1], offsB[:n+1]
	baseA, baseB := offsA[0], offsB[0]
	var bytes byte
	var diff int32
	for i := range codes {
		diff |= (offsA[i+1] - baseA - int32(i) - 1) | (offsB[i+1] - baseB - int32(i) - 1)
		bytes |= a[i] | b[i]
		codes[i] = (1+uint32(a[i]))*tinyDomain + 1 + uint32(b[i])
	}
	return diff == 0 && bytes <= tinyMaxByte
}

// tinyStrings is appendTinyCodes for a VARCHAR column without NULLs: the
// code is the length (0 or 1) times one plus the byte, so an empty string
// needs no branch (it reads the nearest byte, whatever it is, and
// multiplies it by 0).
func tinyStrings(codes []uint32, a *array.String) bool {
	offs, data := vector.StringData(a)
	offs = offs[:len(codes)+1]
	if len(data) == 0 {
		for i := range codes {
			if offs[i+1] != offs[i] {
				return false
			}
			codes[i] *= tinyDomain
		}
		return true
	}
	last := int32(len(data) - 1)
	bad := uint32(0)
	for i := range codes {
		lo := offs[i]
		l := uint32(offs[i+1] - lo)
		v := uint32(data[min(lo, last)])
		bad |= l &^ 1     // any length above 1
		bad |= v * l >> 7 // a non-ASCII byte that is really there
		codes[i] = codes[i]*tinyDomain + l*(1+v)
	}
	return bad == 0
}
