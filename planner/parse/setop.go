package parse

import (
	"strings"

	"github.com/minisql/minisql/sqlerr"
)

// EXCEPT [ALL|DISTINCT] and INTERSECT [ALL|DISTINCT]. sqlparser knows only
// UNION [ALL|DISTINCT], so the pre-lexer writes UNION DISTINCT (UNION ALL
// for the ALL forms, which keeps the ALL where the binder already reads
// it) instead and marks the right operand's first SELECT with a comment
// naming the operation, which sqlparser keeps on that Select; the binder
// reads it (SetOpMarker).

// SetOpMarker returns the comment that marks the right operand of an
// EXCEPT or INTERSECT.
func SetOpMarker(op string) string { return "/*__msq_" + op + "*/" }

// setOps finds the EXCEPT and INTERSECT of toks: the token after which
// each marker goes (its right operand's SELECT), by index. (sqlparser
// reads all set operations left to right; the binder then gives
// INTERSECT its higher precedence.)
func setOps(toks []token) (map[int]string, error) {
	var marks map[int]string
	for i := range toks {
		t := &toks[i]
		if !t.is("except") && !t.is("intersect") {
			continue
		}
		op := strings.ToLower(t.val)
		j := i + 1
		if j < len(toks) && (toks[j].is("all") || toks[j].is("distinct")) {
			j++
		}
		for j < len(toks) && toks[j].isChar('(') {
			j++
		}
		if j >= len(toks) || !toks[j].is("select") {
			return nil, sqlerr.At(t.start, sqlerr.ErrNotSupported, "%s of anything but a SELECT", strings.ToUpper(op))
		}
		if marks == nil {
			marks = map[int]string{}
		}
		marks[j] = SetOpMarker(op)
	}
	return marks, nil
}
