package parse

import (
	"strconv"
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// DuckDB's star modifiers:
//
//	SELECT * EXCLUDE (a, b) REPLACE (upper(c) AS c) FROM t
//	SELECT t.* EXCLUDE d FROM t
//
// sqlparser's star takes no modifiers, so the pre-lexer turns the item
// into a call the binder expands (binder/star.go):
//
//	__star('t', 'exclude', 2, 'a', 'b', 'replace', 1, upper(c), 'c')
//
// The counts keep a REPLACE expression that is itself a string such as
// 'replace' from being read as a marker.

// StarFunc names the call of a star with modifiers.
const StarFunc = "__star"

// rewriteStarModifiers rewrites every star followed by EXCLUDE or REPLACE;
// it returns toks itself when there is none.
func rewriteStarModifiers(toks []token) ([]token, error) {
	for i := 0; i+1 < len(toks); i++ {
		if !toks[i].isChar('*') || !isStarModifier(toks[i+1]) {
			continue
		}
		start, qual := i, ""
		if i >= 2 && toks[i-1].isChar('.') && isIdent(toks[i-2]) {
			start, qual = i-2, toks[i-2].val
		}
		if start == 0 || !startsItem(toks[start-1]) {
			continue // a product: 2 * exclude
		}
		at := toks[start].start
		out := []token{
			{typ: sqlparser.ID, val: StarFunc, raw: StarFunc, start: at, end: toks[i].end},
			synthetic('(', at), stringToken(qual, at),
		}
		j := i + 1
		seen := map[string]bool{}
		for j < len(toks) && isStarModifier(toks[j]) {
			word := strings.ToUpper(toks[j].val)
			if seen[word] {
				return nil, sqlerr.At(toks[j].start, sqlerr.ErrSyntax, "%s twice after one *", word)
			}
			seen[word] = true
			var part []token
			var err error
			if part, j, err = starModifier(toks, j); err != nil {
				return nil, err
			}
			out = append(out, part...)
		}
		out = append(out, synthetic(')', toks[j-1].end))
		rest := append(out, toks[j:]...)
		toks = append(toks[:start:start], rest...)
		i = start
	}
	return toks, nil
}

// startsItem reports whether a select item may follow t.
func startsItem(t token) bool {
	return t.isChar(',') || t.typ != sqlparser.STRING && (t.is("select") || t.is("distinct") || t.is("all"))
}

func isStarModifier(t token) bool {
	return t.typ != sqlparser.STRING && (t.is("exclude") || t.is("replace")) // REPLACE is a MySQL keyword
}

// starModifier reads the EXCLUDE or REPLACE at toks[j] and returns its
// arguments and the index after it.
func starModifier(toks []token, j int) ([]token, int, error) {
	word := toks[j]
	mode := "exclude"
	if word.is("replace") {
		mode = "replace"
	}
	var items [][]token
	next := j + 1
	switch {
	case next < len(toks) && toks[next].isChar('('):
		end := matching(toks, next)
		if end < 0 {
			return nil, 0, sqlerr.At(toks[next].start, sqlerr.ErrSyntax, "%s ( without a closing parenthesis", strings.ToUpper(mode))
		}
		from := next + 1
		for _, stop := range append(commas(toks, from, end), end) {
			items = append(items, toks[from:stop])
			from = stop + 1
		}
		next = end + 1
	case mode == "exclude" && next < len(toks) && isIdent(toks[next]):
		items = [][]token{toks[next : next+1]}
		next++
	default:
		return nil, 0, sqlerr.At(word.start, sqlerr.ErrSyntax, "%s needs a parenthesised list", strings.ToUpper(mode))
	}
	at := word.start
	out := []token{synthetic(',', at), stringToken(mode, at), synthetic(',', at), numberToken(len(items), at)}
	for _, item := range items {
		if len(item) == 0 {
			return nil, 0, sqlerr.At(at, sqlerr.ErrSyntax, "an empty item in %s", strings.ToUpper(mode))
		}
		if mode == "exclude" {
			if len(item) != 1 || !isIdent(item[0]) {
				return nil, 0, sqlerr.At(item[0].start, sqlerr.ErrSyntax, "EXCLUDE takes column names")
			}
			out = append(out, synthetic(',', item[0].start), stringToken(item[0].val, item[0].start))
			continue
		}
		// REPLACE (expression AS name)
		k := len(item)
		if k < 3 || !item[k-2].is("as") || !isIdent(item[k-1]) {
			return nil, 0, sqlerr.At(item[0].start, sqlerr.ErrSyntax, "REPLACE takes expression AS column items")
		}
		out = append(out, synthetic(',', item[0].start))
		out = append(out, item[:k-2]...)
		out = append(out, synthetic(',', item[k-1].start), stringToken(item[k-1].val, item[k-1].start))
	}
	return out, next, nil
}

func stringToken(s string, pos int) token {
	raw := "'" + escapeQuote(s) + "'"
	return token{typ: sqlparser.STRING, val: s, raw: raw, start: pos, end: pos}
}

func numberToken(n int, pos int) token {
	s := strconv.Itoa(n)
	return token{typ: sqlparser.INTEGRAL, val: s, raw: s, start: pos, end: pos}
}

// escapeQuote doubles the single quotes and the backslashes of s (the
// tokenizer reads MySQL's backslash escapes, see normalizeText).
func escapeQuote(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' || s[i] == '\\' {
			out = append(out, s[i])
		}
		out = append(out, s[i])
	}
	return string(out)
}

// isIdent reports whether t is an identifier: a name, `quoted` or "quoted"
// (the tokenizer reads the last as a string).
func isIdent(t token) bool {
	return t.typ == sqlparser.ID || t.typ == sqlparser.STRING && strings.HasPrefix(t.raw, `"`)
}
