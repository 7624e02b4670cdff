package parse

import (
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// An aggregate's ORDER BY, as DuckDB and PostgreSQL write it:
//
//	string_agg(name, ', ' ORDER BY score DESC, name)
//
// becomes one more argument, the engine's sort key of the items:
//
//	string_agg(name, ', ', __sort_key(score, 'desc', name, 'asc'))
//
// which the binder recognises by its name (expr.SortKeyFunc). The items'
// tokens keep their positions.

// sortKeyFunc is expr.SortKeyFunc (parse does not import expr).
const sortKeyFunc = "__sort_key"

// moveAggOrderBy rewrites every call with an ORDER BY among its arguments;
// it returns toks itself when there is none.
func moveAggOrderBy(toks []token) ([]token, error) {
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].typ != sqlparser.ID || toks[i].is("over") || !toks[i+1].isChar('(') {
			continue
		}
		end := matching(toks, i+1)
		if end < 0 {
			continue // the parser reports the missing parenthesis
		}
		order := -1
		for _, j := range topLevel(toks, i+2, end) {
			if toks[j].is("select") {
				break // a subquery's own ORDER BY
			}
			if toks[j].is("order") && j+1 < end && toks[j+1].is("by") {
				order = j
				break
			}
		}
		if order < 0 {
			continue
		}
		if order == i+2 {
			return nil, sqlerr.At(toks[order].start, sqlerr.ErrSyntax, "ORDER BY without an argument before it")
		}
		items, err := sortKeyItems(toks, order, end)
		if err != nil {
			return nil, err
		}
		out := make([]token, 0, len(toks)+len(items))
		out = append(out, toks[:order]...)
		out = append(out, items...)
		toks = append(out, toks[end:]...)
	}
	return toks, nil
}

// sortKeyItems returns the tokens of ", __sort_key(k1, 'dir', ...)" for
// the ORDER BY of toks[order:end].
func sortKeyItems(toks []token, order, end int) ([]token, error) {
	at := toks[order].start
	out := []token{synthetic(',', at), {typ: sqlparser.ID, val: sortKeyFunc, raw: sortKeyFunc, start: at, end: toks[order+1].end}, synthetic('(', at)}
	from := order + 2
	split := append(commas(toks, from, end), end)
	for n, stop := range split {
		item := toks[from:stop]
		dir, nulls := "asc", ""
		if k := len(item); k >= 2 && item[k-2].is("nulls") && (item[k-1].is("first") || item[k-1].is("last")) {
			nulls = " nulls " + strings.ToLower(item[k-1].val)
			item = item[:k-2]
		}
		if k := len(item); k >= 1 && (item[k-1].is("asc") || item[k-1].is("desc")) {
			dir = strings.ToLower(item[k-1].val)
			item = item[:k-1]
		}
		if len(item) == 0 {
			pos := at
			if stop < len(toks) {
				pos = toks[stop].start
			}
			return nil, sqlerr.At(pos, sqlerr.ErrSyntax, "ORDER BY without an expression")
		}
		if n > 0 {
			out = append(out, synthetic(',', item[0].start))
		}
		out = append(out, item...)
		last := item[len(item)-1].end
		out = append(out, synthetic(',', last), token{typ: sqlparser.STRING, val: dir + nulls, raw: "'" + dir + nulls + "'", start: last, end: last})
		from = stop + 1
	}
	return append(out, synthetic(')', toks[end].start)), nil
}

// commas returns the indexes of the commas at the top level of toks[from:end].
func commas(toks []token, from, end int) []int {
	var out []int
	for _, j := range topLevel(toks, from, end) {
		if toks[j].isChar(',') {
			out = append(out, j)
		}
	}
	return out
}
