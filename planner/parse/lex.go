// Package parse is minisql's SQL front end: a small pre-lexer built on
// sqlparser's own tokenizer (so it is quote- and comment-aware) that turns
// the DuckDB-flavoured SQL users write into the MySQL dialect sqlparser
// understands, and maps every position back to the user's text.
//
// It rewrites: DATE 'x' literals, CAST(x AS any-type), EXTRACT(part FROM
// x), TRIM([BOTH|LEADING|TRAILING] [c] FROM x), "quoted" identifiers, ||
// (concatenation), NULLS FIRST|LAST, a derived table's column-alias list,
// BOOLEAN and other type names in CREATE TABLE. It splits off what sqlparser
// cannot parse at all: WITH (CTEs), CREATE TABLE ... AS, EXPLAIN [ANALYZE],
// DESCRIBE. And it names what minisql does not support (window functions,
// FULL JOIN, INTERSECT, EXCEPT, ::) instead of reporting a syntax error.
package parse

import (
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// token is one lexical token with its byte range in the original text.
type token struct {
	typ        int
	val        string // unquoted value for identifiers and strings
	start, end int
}

// text returns the token's source text.
func (t token) text(src string) string { return src[t.start:t.end] }

func (t token) is(word string) bool {
	return t.typ != sqlparser.STRING && strings.EqualFold(t.val, word)
}

func (t token) isChar(c byte) bool { return t.typ == int(c) }

// lex tokenizes src, dropping comments. Token values of keywords are their
// lower-case text.
func lex(src string) ([]token, error) {
	tk := sqlparser.NewStringTokenizer(src)
	var toks []token
	for {
		before := tk.Position
		typ, val := tk.Scan()
		if typ == 0 {
			return toks, nil
		}
		// Position is one past the tokenizer's look-ahead character, so a
		// token ends at Position-1 and the next one starts at or after it.
		start := skipSpace(src, max(before-1, 0))
		end := min(tk.Position-1, len(src))
		if typ == sqlparser.LEX_ERROR {
			return nil, lexError(src, start)
		}
		if typ == sqlparser.COMMENT {
			continue
		}
		v := string(val)
		if v == "" || typ != sqlparser.ID && typ != sqlparser.STRING {
			v = strings.ToLower(src[start:end])
		}
		toks = append(toks, token{typ: typ, val: v, start: start, end: end})
	}
}

func skipSpace(src string, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

func lexError(src string, pos int) error {
	rest := src[pos:]
	switch {
	case strings.HasPrefix(rest, "::"):
		return sqlerr.At(pos, sqlerr.ErrNotSupported, ":: casts (use CAST(x AS type))")
	case strings.HasPrefix(rest, "'") || strings.HasPrefix(rest, "\"") || strings.HasPrefix(rest, "`"):
		return sqlerr.At(pos, sqlerr.ErrSyntax, "unterminated quoted text")
	}
	end := pos + 1
	for end < len(src) && end < pos+12 && src[end] != ' ' && src[end] != '\n' {
		end++
	}
	return sqlerr.At(pos, sqlerr.ErrSyntax, "unexpected %q", src[pos:min(end, len(src))])
}

// Split splits a script into statements at top-level semicolons, keeping
// each statement's offset in the script. Empty statements are dropped.
func Split(src string) ([]Piece, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	var out []Piece
	start := -1
	for _, t := range toks {
		if t.isChar(';') {
			if start >= 0 {
				out = append(out, Piece{Text: src[start:t.start], Offset: start})
			}
			start = -1
			continue
		}
		if start < 0 {
			start = t.start
		}
	}
	if start >= 0 {
		out = append(out, Piece{Text: strings.TrimRight(src[start:], " \t\r\n"), Offset: start})
	}
	return out, nil
}

// Piece is one statement of a script.
type Piece struct {
	Text   string
	Offset int // byte offset of Text in the script
}

// FindIdent returns the offset of the first identifier or keyword token of
// text equal (case-insensitively) to name, or -1. Binder errors use it to
// point at the name they could not resolve.
func FindIdent(text, name string) int {
	toks, err := lex(text)
	if err != nil {
		return -1
	}
	for _, t := range toks {
		if t.typ != sqlparser.STRING && strings.EqualFold(t.val, name) {
			return t.start
		}
	}
	return -1
}
