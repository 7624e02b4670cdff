package parse

import (
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// Named windows. A SELECT may name its windows once,
//
//	SELECT sum(x) OVER w, avg(x) OVER (w ROWS 2 PRECEDING) FROM t
//	WINDOW w AS (PARTITION BY g ORDER BY d)
//
// and refer to them by name. Before the window calls are rewritten, the
// WINDOW clause is cut out of the tokens and every reference replaced by
// the definition's tokens, which keep their own positions: an error in a
// definition points at the definition. A reference in parentheses may add
// an ORDER BY (when the named window has none) and a frame, as in the
// standard. A name is looked up in the WINDOW clauses of the enclosing
// parentheses (a subquery's names are its own), then further out.

// windowDef is a named window: the tokens inside its parentheses.
type windowDef struct {
	name  string
	spec  []token
	depth int // parenthesis depth of its WINDOW clause
	from  int // the enclosing group: tokens [from, to) of the input
	to    int
}

// expandNamedWindows returns toks with WINDOW clauses removed and named
// window references expanded; toks itself when there are none.
func expandNamedWindows(toks []token) ([]token, error) {
	defs, cut, err := windowClauses(toks)
	if err != nil || len(defs) == 0 {
		return toks, err
	}
	out := make([]token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		if cut[i] {
			continue
		}
		t := toks[i]
		if !t.is("over") || i+1 >= len(toks) {
			out = append(out, t)
			continue
		}
		next := toks[i+1]
		switch {
		case next.typ == sqlparser.ID && !cut[i+1]:
			// OVER w
			d, err := lookupWindow(defs, toks, i+1)
			if err != nil {
				return nil, err
			}
			out = append(out, t, synthetic('(', next.start))
			out = append(out, d.spec...)
			out = append(out, synthetic(')', next.end))
			i++
		case next.isChar('(') && i+2 < len(toks) && toks[i+2].typ == sqlparser.ID && !isSpecWord(toks[i+2]):
			// OVER (w ...)
			d, err := lookupWindow(defs, toks, i+2)
			if err != nil {
				return nil, err
			}
			out = append(out, t, next)
			out = append(out, d.spec...)
			i += 2
		default:
			out = append(out, t)
		}
	}
	return out, nil
}

// isSpecWord reports whether t starts a window specification's clause
// rather than naming a window.
func isSpecWord(t token) bool {
	for _, w := range []string{"partition", "order", "rows", "range", "groups"} {
		if t.is(w) {
			return true
		}
	}
	return false
}

func synthetic(c byte, pos int) token {
	return token{typ: int(c), val: string(c), raw: string(c), start: pos, end: pos}
}

// windowClauses finds the WINDOW clauses: their definitions (in order,
// each expanded over the ones before it) and the tokens they span.
func windowClauses(toks []token) ([]windowDef, map[int]bool, error) {
	var defs []windowDef
	cut := map[int]bool{}
	depth := 0
	var opens []int // positions of the open parentheses enclosing i
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.isChar('('):
			depth++
			opens = append(opens, i)
			continue
		case t.isChar(')'):
			depth--
			if len(opens) > 0 {
				opens = opens[:len(opens)-1]
			}
			continue
		case !t.is("window") || i+2 >= len(toks) || toks[i+1].typ != sqlparser.ID || !toks[i+2].is("as"):
			continue
		}
		from, to := 0, len(toks)
		if len(opens) > 0 {
			from = opens[len(opens)-1]
			if end := matching(toks, from); end > 0 {
				to = end
			}
		}
		k := i
		for {
			// name AS ( spec )
			if k+3 >= len(toks) || toks[k+1].typ != sqlparser.ID || !toks[k+2].is("as") || !toks[k+3].isChar('(') {
				return nil, nil, sqlerr.At(toks[min(k+1, len(toks)-1)].start, sqlerr.ErrSyntax, "WINDOW expects name AS (specification)")
			}
			end := matching(toks, k+3)
			if end < 0 {
				return nil, nil, sqlerr.At(toks[k+3].start, sqlerr.ErrSyntax, "WINDOW ( without a closing parenthesis")
			}
			name := strings.ToLower(toks[k+1].val)
			for _, d := range defs {
				if d.name == name && d.from == from {
					return nil, nil, sqlerr.At(toks[k+1].start, sqlerr.ErrSyntax, "window %q is defined twice", toks[k+1].val)
				}
			}
			spec, err := inheritSpec(defs, toks, k+4, end, from, to)
			if err != nil {
				return nil, nil, err
			}
			defs = append(defs, windowDef{name: name, spec: spec, depth: depth, from: from, to: to})
			for j := k; j <= end; j++ {
				cut[j] = true
			}
			if end+1 < len(toks) && toks[end+1].isChar(',') {
				cut[end+1] = true
				k = end + 1
				continue
			}
			i = end
			break
		}
	}
	return defs, cut, nil
}

// inheritSpec is the specification toks[from:to], with a leading window
// name (w AS (v ORDER BY x)) replaced by v's definition.
func inheritSpec(defs []windowDef, toks []token, from, to, scopeFrom, scopeTo int) ([]token, error) {
	spec := toks[from:to]
	if len(spec) == 0 || spec[0].typ != sqlparser.ID || isSpecWord(spec[0]) {
		return spec, nil
	}
	name := strings.ToLower(spec[0].val)
	for i := len(defs) - 1; i >= 0; i-- {
		if defs[i].name == name && defs[i].from <= scopeFrom && scopeTo <= defs[i].to {
			return append(append([]token(nil), defs[i].spec...), spec[1:]...), nil
		}
	}
	return nil, sqlerr.At(spec[0].start, sqlerr.ErrSyntax, "window %q is not defined", spec[0].val)
}

// lookupWindow finds the definition the name at toks[at] refers to: the
// innermost WINDOW clause whose group encloses it.
func lookupWindow(defs []windowDef, toks []token, at int) (windowDef, error) {
	name := strings.ToLower(toks[at].val)
	best, found := windowDef{}, false
	for _, d := range defs {
		if d.name == name && d.from <= at && at < d.to && (!found || d.depth > best.depth) {
			best, found = d, true
		}
	}
	if !found {
		return windowDef{}, sqlerr.At(toks[at].start, sqlerr.ErrSyntax, "window %q is not defined", toks[at].val)
	}
	return best, nil
}
