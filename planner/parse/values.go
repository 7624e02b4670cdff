package parse

import (
	"fmt"

	"github.com/minisql/minisql/sqlerr"
)

// rewriteValues turns a VALUES list in FROM, `(VALUES (1, 'a'), (2, 'b'))
// [AS] t [(x, y)]`, into the UNION ALL of one-row SELECTs sqlparser can
// read; the columns are named col0, col1, ... as in DuckDB unless an alias
// list renames them. toks[i] is the '(' before VALUES; it returns the
// index of the matching ')', which it leaves to the caller to emit (with
// the alias list after it, if any, as for any derived table).
func (r *rewriter) rewriteValues(i int) (int, error) {
	toks := r.toks
	closeIdx := matching(toks, i)
	if closeIdx < 0 {
		return 0, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "VALUES list without a closing parenthesis")
	}
	r.w.emit("(", toks[i].start)
	width := -1
	j := i + 2 // the first row's '('
	for row := 0; ; row++ {
		if j >= closeIdx || !toks[j].isChar('(') {
			return 0, sqlerr.At(toks[min(j, closeIdx)].start, sqlerr.ErrSyntax, "expected a parenthesized row in VALUES")
		}
		end := matching(toks, j)
		if end < 0 || end > closeIdx {
			return 0, sqlerr.At(toks[j].start, sqlerr.ErrSyntax, "VALUES row without a closing parenthesis")
		}
		items := splitTopLevel(toks, j+1, end)
		if width < 0 {
			width = len(items)
		} else if len(items) != width {
			return 0, sqlerr.At(toks[j].start, sqlerr.ErrSyntax, "VALUES rows must all have %d values, this one has %d", width, len(items))
		}
		if row > 0 {
			r.w.emit("union all", toks[j].start)
		}
		r.w.emit("select", toks[j].start)
		for k, it := range items {
			if it[0] == it[1] {
				return 0, sqlerr.At(toks[j].start, sqlerr.ErrSyntax, "empty value in VALUES")
			}
			sub := &rewriter{src: r.src, toks: toks[it[0]:it[1]], aliases: r.aliases}
			if err := sub.run(); err != nil {
				return 0, err
			}
			r.absorb(sub)
			sep := ""
			if k < len(items)-1 {
				sep = ","
			}
			if row == 0 {
				r.w.emit(fmt.Sprintf("as col%d%s", k, sep), toks[it[1]-1].end)
			} else if sep != "" {
				r.w.emit(sep, toks[it[1]].start)
			}
		}
		j = end + 1
		if j == closeIdx {
			break
		}
		if !toks[j].isChar(',') {
			return 0, sqlerr.At(toks[j].start, sqlerr.ErrSyntax, "expected , or ) after a VALUES row")
		}
		j++
	}
	return closeIdx, nil
}

// splitTopLevel returns the [start, end) token ranges of the
// comma-separated items of toks[from:to] at parenthesis depth zero.
func splitTopLevel(toks []token, from, to int) [][2]int {
	var out [][2]int
	depth, start := 0, from
	for k := from; k < to; k++ {
		switch {
		case toks[k].isChar('('):
			depth++
		case toks[k].isChar(')'):
			depth--
		case toks[k].isChar(',') && depth == 0:
			out = append(out, [2]int{start, k})
			start = k + 1
		}
	}
	return append(out, [2]int{start, to})
}
