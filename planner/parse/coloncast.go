package parse

import (
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// PostgreSQL's and DuckDB's cast operator, x::type. It binds tighter than
// any other operator, unary minus included, so its operand is the primary
// right before it: a literal, a (qualified) column, a parenthesised
// expression, a call, or an earlier cast. The pre-lexer rewrites it to
// CAST(x AS type), which the rewriter then turns into __cast like any
// other.
//
// sqlparser's tokenizer reads "::int" as one token (Vitess's list
// argument "::name"), which is what is looked for here; ":: int", with a
// space, does not tokenize and is reported by lexError.

// keywordCalls are the keywords (not identifiers to the tokenizer) that
// may name a call before a parenthesised argument list: such a call is a
// cast's operand as a whole.
var keywordCalls = map[string]bool{
	"left": true, "right": true, "if": true, "mod": true, "replace": true, "repeat": true,
	"substring": true, "substr": true, "trim": true, "extract": true, "cast": true, "convert": true,
	"date": true, "timestamp": true, "mode": true, "char": true, "ascii": true, "database": true,
	"current_date": true, "current_timestamp": true, "values": false,
}

// rewriteColonCasts rewrites every x::type; toks itself when there is none.
func rewriteColonCasts(toks []token) ([]token, error) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.typ != sqlparser.LIST_ARG || !strings.HasPrefix(t.val, "::") {
			continue
		}
		if len(t.val) == 2 {
			return nil, sqlerr.At(t.start, sqlerr.ErrSyntax, ":: without a type")
		}
		from := castOperand(toks, i)
		if from < 0 {
			return nil, sqlerr.At(t.start, sqlerr.ErrSyntax, ":: without an operand before it")
		}
		// The type: the word after ::, DOUBLE PRECISION's second word, and
		// a parenthesised list (DECIMAL(15,2)).
		typ := []token{{typ: sqlparser.ID, val: t.val[2:], raw: t.raw[2:], start: t.start + 2, end: t.end}}
		next := i + 1
		if strings.EqualFold(t.val, "::double") && next < len(toks) && toks[next].is("precision") {
			typ = append(typ, toks[next])
			next++
		}
		if next < len(toks) && toks[next].isChar('(') {
			end := matching(toks, next)
			if end < 0 {
				return nil, sqlerr.At(toks[next].start, sqlerr.ErrSyntax, "( without a closing parenthesis in a :: cast")
			}
			typ = append(typ, toks[next:end+1]...)
			next = end + 1
		}
		last := typ[len(typ)-1].end
		out := make([]token, 0, len(toks)+4)
		out = append(out, toks[:from]...)
		out = append(out, token{typ: sqlparser.CAST, val: "cast", raw: "cast", start: toks[from].start, end: toks[from].start},
			synthetic('(', toks[from].start))
		out = append(out, toks[from:i]...)
		out = append(out, token{typ: sqlparser.AS, val: "as", raw: "as", start: t.start, end: t.start})
		out = append(out, typ...)
		out = append(out, synthetic(')', last))
		toks = append(out, toks[next:]...)
		i = from // a chained cast's operand is this one
	}
	return toks, nil
}

// castOperand returns the index of the first token of the primary that
// ends right before toks[at], or -1.
func castOperand(toks []token, at int) int {
	j := at - 1
	if j < 0 {
		return -1
	}
	t := toks[j]
	switch {
	case t.isChar(')'):
		open := matchingBack(toks, j)
		if open < 0 {
			return -1
		}
		if open > 0 {
			if p := toks[open-1]; p.typ == sqlparser.ID || p.typ != sqlparser.STRING && keywordCalls[p.val] {
				return qualified(toks, open-1)
			}
		}
		return open
	case t.typ == sqlparser.STRING:
		if j > 0 && (toks[j-1].is("date") || toks[j-1].is("timestamp") || toks[j-1].is("interval")) {
			return j - 1
		}
		return j
	case t.typ == sqlparser.ID:
		return qualified(toks, j)
	case t.typ == sqlparser.INTEGRAL, t.typ == sqlparser.FLOAT, t.typ == sqlparser.NULL,
		t.typ == sqlparser.TRUE, t.typ == sqlparser.FALSE, t.typ == sqlparser.HEXNUM:
		return j
	}
	return -1
}

// qualified extends the name at toks[j] over a qualifier before it (t.x).
func qualified(toks []token, j int) int {
	for j >= 2 && toks[j-1].isChar('.') && toks[j-2].typ == sqlparser.ID {
		j -= 2
	}
	return j
}
