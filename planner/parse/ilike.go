package parse

import (
	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// ILIKE. sqlparser knows LIKE [ESCAPE e] only, so x [NOT] ILIKE p becomes
// x [NOT] LIKE p ESCAPE '__msq_ilike', which the binder reads as a
// case-insensitive LIKE (IlikeMarker). The pattern ends where an operand
// of LIKE must: at a comparison, AND, OR, a closing parenthesis, a comma
// or a clause keyword.

// IlikeMarker is the ESCAPE text that marks a LIKE written as ILIKE.
const IlikeMarker = "__msq_ilike"

// ilikeEnds are the words that end a LIKE pattern.
var ilikeEnds = map[string]bool{
	"and": true, "or": true, "not": true, "is": true, "between": true, "in": true, "like": true, "ilike": true,
	"then": true, "else": true, "when": true, "end": true, "from": true, "where": true, "group": true,
	"having": true, "order": true, "limit": true, "offset": true, "union": true, "except": true,
	"intersect": true, "as": true, "asc": true, "desc": true, "on": true, "join": true, "inner": true,
	"left": true, "right": true, "cross": true, "full": true, "natural": true, "using": true, "nulls": true,
	"over": true, "filter": true, "escape": true, "regexp": true,
}

// ilikes finds the ILIKEs of toks and returns where each pattern ends
// (the index before which the ESCAPE marker goes).
func ilikes(toks []token) (map[int]bool, error) {
	var ends map[int]bool
	for i := range toks {
		if !toks[i].is("ilike") || toks[i].typ == sqlparser.STRING {
			continue
		}
		end := operandEnd(toks, i)
		if end < len(toks) && toks[end].is("escape") {
			return nil, sqlerr.At(toks[i].start, sqlerr.ErrNotSupported, "ILIKE with ESCAPE")
		}
		if end == i+1 {
			return nil, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "ILIKE without a pattern")
		}
		if ends == nil {
			ends = map[int]bool{}
		}
		ends[end] = true
	}
	return ends, nil
}

// operandEnd returns the index of the token that ends the right operand of
// the comparison operator at toks[i] (len(toks) when the text does).
func operandEnd(toks []token, i int) int {
	depth := 0
	for j := i + 1; j < len(toks); j++ {
		t := toks[j]
		switch {
		case t.isChar('('):
			depth++
		case t.isChar(')'):
			if depth == 0 {
				return j
			}
			depth--
		case depth > 0:
		case j > i+1 && (t.isChar(',') || t.isChar(';') || t.isChar('=') || t.isChar('<') || t.isChar('>') ||
			t.typ == sqlparser.LE || t.typ == sqlparser.GE || t.typ == sqlparser.NE || t.typ == sqlparser.NULL_SAFE_EQUAL ||
			t.typ != sqlparser.STRING && ilikeEnds[t.val]):
			return j
		}
	}
	return len(toks)
}
