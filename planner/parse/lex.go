// Package parse is minisql's SQL front end: a small pre-lexer built on
// sqlparser's own tokenizer (so it is quote- and comment-aware) that turns
// the DuckDB-flavoured SQL users write into the MySQL dialect sqlparser
// understands, and maps every position back to the user's text.
//
// It rewrites: DATE 'x' literals, CAST(x AS any-type), EXTRACT(part FROM
// x), TRIM([BOTH|LEADING|TRAILING] [c] FROM x), "quoted" identifiers, ||
// (concatenation), NULLS FIRST|LAST, a derived table's column-alias list,
// BOOLEAN and other type names in CREATE TABLE, window calls (f(x) OVER
// (...), see window.go), FULL JOIN (a marked LEFT JOIN, see fulljoin.go),
// QUALIFY (an item of the select list, see qualify.go), GROUPING SETS,
// ROLLUP and CUBE (marker calls, see groupingsets.go), an aggregate's
// ORDER BY (agg_order.go), a star's EXCLUDE and REPLACE (star.go), x::type
// (coloncast.go), IS [NOT] DISTINCT FROM (distinct_from.go), FULL JOIN
// and NATURAL FULL JOIN (fulljoin.go).
// It splits off what sqlparser cannot parse at all: WITH (CTEs), CREATE
// TABLE ... AS, CREATE VIEW, EXPLAIN [ANALYZE], DESCRIBE. And it names
// what minisql does not support (a window frame's EXCLUDE)
// instead of reporting a syntax error.
package parse

import (
	"sort"
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// token is one lexical token with its byte range in the original text.
type token struct {
	typ        int
	val        string // unquoted value for identifiers and strings
	start, end int
	raw        string // the text to hand sqlparser (backslashes escaped)
}

// text returns the token's text as sqlparser must see it.
func (t token) text(string) string { return t.raw }

func (t token) is(word string) bool {
	return t.typ != sqlparser.STRING && strings.EqualFold(t.val, word)
}

func (t token) isChar(c byte) bool { return t.typ == int(c) }

// lex tokenizes src, dropping comments. Token values of keywords are their
// lower-case text; token positions are offsets in src.
//
// sqlparser's tokenizer reads MySQL backslash escapes in quoted strings;
// in standard SQL (and DuckDB) a backslash is an ordinary character. So
// the text is tokenized with every backslash inside quotes doubled (and
// DuckDB's // and ** operators spelled as MySQL's, see normalizeText), and
// positions are mapped back.
func lex(src string) (toks []token, err error) {
	esc, inserted := normalizeText(src)
	orig := func(p int) int { return p - sort.SearchInts(inserted, p) }
	tk := sqlparser.NewStringTokenizer(esc)
	before := 0
	defer func() {
		// The tokenizer is a third-party library: a panic on some input is
		// its bug, reported as one, not a crash of the caller.
		if r := recover(); r != nil {
			pos := min(orig(skipSpace(esc, max(before-1, 0))), len(src))
			toks, err = nil, sqlerr.At(pos, sqlerr.ErrInternal, "the SQL tokenizer failed here: %v", r)
		}
	}()
	for {
		before = tk.Position
		typ, val := tk.Scan()
		if typ == 0 {
			return toks, nil
		}
		// Position is one past the tokenizer's look-ahead character, so a
		// token ends at Position-1 and the next one starts at or after it.
		start := skipSpace(esc, max(before-1, 0))
		end := min(tk.Position-1, len(esc))
		if typ == sqlparser.LEX_ERROR && len(val) == 1 && strings.IndexByte("[]{}:", val[0]) >= 0 {
			// Lists and structs, which only file calls may hold
			// (checkBrackets); the tokenizer has consumed the byte.
			typ = int(val[0])
		} else if typ == sqlparser.LEX_ERROR {
			return nil, lexError(src, orig(start))
		}
		if typ == sqlparser.COMMENT {
			continue
		}
		t := token{typ: typ, start: orig(start), end: orig(end), raw: esc[start:end]}
		t.val = string(val)
		if t.val == "" || typ != sqlparser.ID && typ != sqlparser.STRING {
			t.val = strings.ToLower(src[t.start:t.end])
		}
		toks = append(toks, t)
	}
}

// normalizeText prepares src for sqlparser's tokenizer and returns the new
// text with the (new) offsets of the inserted characters, ascending:
//   - backslashes inside quoted strings and identifiers are doubled;
//   - /*! becomes /* ! (sqlparser would run it as MySQL's executable
//     comment, and panics on /*!*/);
//   - DuckDB's integer division a // b becomes a DIV b: the tokenizer
//     reads // as the start of a comment, which silently dropped the rest
//     of the line (SELECT 7//2 returned 7);
//   - DuckDB's power operator a ** b becomes a ^ b, which the binder reads
//     as power (sqlparser parses ^ with the precedence DuckDB gives it).
func normalizeText(src string) (string, []int) {
	if !strings.ContainsAny(src, "\\/*") {
		return src, nil
	}
	var b strings.Builder
	var inserted []int
	insert := func(c byte) {
		inserted = append(inserted, b.Len())
		b.WriteByte(c)
	}
	var quote byte // the open quote, 0 outside quotes
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case quote != 0:
			if c == '\\' {
				insert('\\')
			} else if c == quote {
				if i+1 < len(src) && src[i+1] == quote { // doubled quote
					b.WriteByte(c)
					i++
				} else {
					quote = 0
				}
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '-' && i+1 < len(src) && src[i+1] == '-', c == '#':
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			b.WriteString(src[i : i+end])
			i += end - 1
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				end = len(src) - i - 2
			} else {
				end += 2
			}
			b.WriteString("/*")
			if i+2 < len(src) && src[i+2] == '!' {
				insert(' ')
			}
			b.WriteString(src[i+2 : i+2+end])
			i += 1 + end
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			// " DIV ": D and I stand where the two slashes stood, so the
			// token maps back onto them.
			insert(' ')
			b.WriteString("DI")
			insert('V')
			insert(' ')
			i++
			continue
		case c == '*' && i+1 < len(src) && src[i+1] == '*':
			b.WriteString("^ ")
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), inserted
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
		return sqlerr.At(pos, sqlerr.ErrSyntax, ":: must be followed directly by a type name, as in x::INTEGER")
	case strings.HasPrefix(rest, "["):
		return listError(src, pos)
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
func FindIdent(text, name string) int { return NewLocator(text).IdentFrom(name, 0) }

// FindIdentFrom is FindIdent looking only at tokens at or after offset
// from; if there is none there, it falls back to the whole text.
func FindIdentFrom(text, name string, from int) int { return NewLocator(text).IdentFrom(name, from) }

// FindClause returns the offset of a clause keyword (such as "where" or
// "order") outside any parentheses, or 0 when it has none.
func FindClause(text, keyword string) int { return NewLocator(text).Clause(keyword) }

// FindLastClause is FindClause for the last occurrence.
func FindLastClause(text, keyword string) int { return NewLocator(text).LastClause(keyword) }

// Locator answers the Find questions about one text, lexing it once: the
// binder asks for a clause's position for every SELECT it binds, and
// lexing the whole statement each time made a long UNION quadratic.
type Locator struct {
	toks []token
	ok   bool // the text lexed; otherwise every answer is "not found"
	// answers of Clause and LastClause, which depend only on the keyword
	first, last map[string]int
}

// NewLocator lexes text.
func NewLocator(text string) *Locator {
	toks, err := lex(text)
	return &Locator{toks: toks, ok: err == nil}
}

// IdentFrom is FindIdentFrom over the locator's text.
func (l *Locator) IdentFrom(name string, from int) int {
	if !l.ok {
		return -1
	}
	first := -1
	for _, t := range l.toks {
		if t.typ != sqlparser.STRING && strings.EqualFold(t.val, name) {
			if t.start >= from {
				return t.start
			}
			if first < 0 {
				first = t.start
			}
		}
	}
	return first
}

// Clause is FindClause over the locator's text.
func (l *Locator) Clause(keyword string) int {
	if p, ok := l.first[keyword]; ok {
		return p
	}
	p := l.clause(keyword)
	if l.first == nil {
		l.first = map[string]int{}
	}
	l.first[keyword] = p
	return p
}

func (l *Locator) clause(keyword string) int {
	if !l.ok {
		return 0
	}
	depth := 0
	for _, t := range l.toks {
		switch {
		case t.isChar('('):
			depth++
		case t.isChar(')'):
			depth--
		case depth == 0 && t.is(keyword):
			return t.start
		}
	}
	return 0
}

// LastClause is FindLastClause over the locator's text.
func (l *Locator) LastClause(keyword string) int {
	if p, ok := l.last[keyword]; ok {
		return p
	}
	p := l.lastClause(keyword)
	if l.last == nil {
		l.last = map[string]int{}
	}
	l.last[keyword] = p
	return p
}

func (l *Locator) lastClause(keyword string) int {
	if !l.ok {
		return 0
	}
	depth, last := 0, 0
	for _, t := range l.toks {
		switch {
		case t.isChar('('):
			depth++
		case t.isChar(')'):
			depth--
		case depth == 0 && t.is(keyword):
			last = t.start
		}
	}
	return last
}
