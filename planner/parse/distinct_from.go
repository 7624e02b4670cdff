package parse

import (
	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// x IS [NOT] DISTINCT FROM y, the comparison that treats NULL as a value.
// sqlparser has no such operator; as for ILIKE (ilike.go), the pre-lexer
// borrows LIKE's syntax, which has a comparison's precedence and an ESCAPE
// slot: x IS NOT DISTINCT FROM y becomes x LIKE y ESCAPE
// '__msq_distinct', and IS DISTINCT FROM becomes NOT LIKE. The binder
// reads the marker.

// DistinctMarker is the ESCAPE text that marks a LIKE written as IS [NOT]
// DISTINCT FROM.
const DistinctMarker = "__msq_distinct"

// rewriteDistinctFrom rewrites every IS [NOT] DISTINCT FROM; toks itself
// when there is none.
func rewriteDistinctFrom(toks []token) ([]token, error) {
	for i := 0; i+2 < len(toks); i++ {
		if !toks[i].is("is") {
			continue
		}
		k, not := i+1, false
		if toks[k].is("not") {
			k, not = k+1, true
		}
		if k+1 >= len(toks) || !toks[k].is("distinct") || !toks[k+1].is("from") {
			continue
		}
		from := k + 1
		end := operandEnd(toks, from)
		if end == from+1 {
			return nil, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "IS DISTINCT FROM without an operand after it")
		}
		at := toks[i].start
		var op []token
		if !not { // IS DISTINCT FROM: not null-safe equal
			op = append(op, token{typ: sqlparser.NOT, val: "not", raw: "not", start: at, end: at})
		}
		op = append(op, token{typ: sqlparser.LIKE, val: "like", raw: "like", start: at, end: toks[from].end})
		marker := []token{
			{typ: sqlparser.ESCAPE, val: "escape", raw: "escape", start: toks[end-1].end, end: toks[end-1].end},
			stringToken(DistinctMarker, toks[end-1].end),
		}
		out := make([]token, 0, len(toks)+3)
		out = append(out, toks[:i]...)
		out = append(out, op...)
		out = append(out, toks[from+1:end]...)
		out = append(out, marker...)
		toks = append(out, toks[end:]...)
	}
	return toks, nil
}
