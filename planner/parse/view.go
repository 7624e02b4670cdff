package parse

import (
	"strings"

	"github.com/minisql/minisql/sqlerr"
)

// Views: CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [(columns)] AS
// query, and DROP VIEW [IF EXISTS] name[, ...]. The engine keeps a view's
// query as text and the binder parses and binds it where it is named, so
// a view sees the tables as they are when it is used, as in DuckDB.

// parseCreateView parses a CREATE VIEW; ok is false for any other CREATE.
func parseCreateView(text string, toks []token, st *Statement) (*Statement, bool, error) {
	i := 1
	if i+1 < len(toks) && toks[i].is("or") && toks[i+1].is("replace") {
		st.OrReplace = true
		i += 2
	}
	if i < len(toks) && (toks[i].is("temp") || toks[i].is("temporary")) {
		i++ // every view lives as long as the engine: all are temporary
	}
	if i >= len(toks) || !toks[i].is("view") {
		return nil, false, nil
	}
	i++
	if i+2 < len(toks) && toks[i].is("if") && toks[i+1].is("not") && toks[i+2].is("exists") {
		st.IfNotExists = true
		i += 3
	}
	if i >= len(toks) || !isIdent(toks[i]) {
		return nil, true, sqlerr.At(toks[min(i, len(toks)-1)].start, sqlerr.ErrSyntax, "CREATE VIEW needs a name")
	}
	st.Kind, st.Name = KindCreateView, toks[i].val
	i++
	if i < len(toks) && toks[i].isChar('(') {
		end := matching(toks, i)
		if end < 0 {
			return nil, true, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "( without a closing parenthesis")
		}
		from := i + 1
		for _, stop := range append(commas(toks, from, end), end) {
			if stop != from+1 || !isIdent(toks[from]) {
				return nil, true, sqlerr.At(toks[min(from, end)].start, sqlerr.ErrSyntax, "a view's column list takes names")
			}
			st.Columns = append(st.Columns, toks[from].val)
			from = stop + 1
		}
		i = end + 1
	}
	if i >= len(toks) || !toks[i].is("as") || i+1 >= len(toks) {
		return nil, true, sqlerr.At(toks[min(i, len(toks)-1)].start, sqlerr.ErrSyntax, "CREATE VIEW needs AS and a query")
	}
	q, err := parseQuery(text, toks[i+1:])
	if err != nil {
		return nil, true, err
	}
	st.Query = q
	st.ViewText = strings.TrimSpace(text[toks[i+1].start:])
	return st, true, nil
}

// parseDropView parses DROP VIEW [IF EXISTS] name[, name ...]; ok is false
// for any other DROP.
func parseDropView(toks []token, st *Statement) (*Statement, bool, error) {
	if len(toks) < 2 || !toks[1].is("view") {
		return nil, false, nil
	}
	i := 2
	if i+1 < len(toks) && toks[i].is("if") && toks[i+1].is("exists") {
		st.IfExists = true
		i += 2
	}
	st.Kind = KindDropView
	for {
		if i >= len(toks) || !isIdent(toks[i]) {
			return nil, true, sqlerr.At(toks[min(i, len(toks)-1)].start, sqlerr.ErrSyntax, "DROP VIEW needs a name")
		}
		st.Names = append(st.Names, toks[i].val)
		i++
		if i == len(toks) {
			return st, true, nil
		}
		if !toks[i].isChar(',') {
			return nil, true, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "unexpected %s after DROP VIEW's names", toks[i].val)
		}
		i++
	}
}

// parseDescribe parses DESCRIBE and SUMMARIZE of a table, a view or a
// query (DESCRIBE SELECT ..., SUMMARIZE (SELECT ...)).
func parseDescribe(text string, toks []token, st *Statement) (*Statement, error) {
	word := strings.ToUpper(toks[0].val)
	st.Kind = KindDescribe
	if word == "SUMMARIZE" {
		st.Kind = KindSummarize
	}
	if len(toks) == 2 && isIdent(toks[1]) {
		st.Name = toks[1].val
		return st, nil
	}
	if len(toks) > 1 && (toks[1].is("select") || toks[1].is("with") || toks[1].isChar('(')) {
		q, err := parseQuery(text, toks[1:])
		if err != nil {
			return nil, err
		}
		st.Query = q
		st.ViewText = strings.TrimSpace(text[toks[1].start:])
		return st, nil
	}
	return nil, sqlerr.At(toks[0].start, sqlerr.ErrSyntax, "expected %s table or %s query", word, word)
}
