package parse

import (
	"github.com/minisql/minisql/sqlerr"
)

// GROUPING SETS, ROLLUP and CUBE. sqlparser reads a GROUP BY list of
// expressions only, so the pre-lexer writes each construct as a call the
// binder recognises, the expressions inside going through the rewriter
// like any other:
//
//	GROUP BY GROUPING SETS ((a, b), a, ())  __msq_gsets(__msq_set(a, b), a, __msq_set())
//	GROUP BY ROLLUP (a, (b, c))             __msq_rollup(a, __msq_set(b, c))
//	GROUP BY CUBE (a, b)                    __msq_cube(a, b)
//	GROUP BY a, b WITH ROLLUP               __msq_rollup(a, b)  (MySQL's form)
//	GROUP BY (a, b), ()                     __msq_set(a, b), __msq_set()
//
// The binder expands the list into the grouping sets (binder/grouping_sets.go).

// The names of the calls the constructs become.
const (
	GroupingSetsMarker = "__msq_gsets"
	RollupMarker       = "__msq_rollup"
	CubeMarker         = "__msq_cube"
	SetMarker          = "__msq_set"
)

// groupEdits are the token edits of the GROUP BY lists of a token range,
// as windowEdits.
type groupEdits struct {
	before  map[int]string
	replace map[int]string
}

// groupingSets finds the GROUP BY lists of toks and plans their edits.
func groupingSets(toks []token) (groupEdits, error) {
	g := groupEdits{before: map[int]string{}, replace: map[int]string{}}
	for i := 0; i+2 < len(toks); i++ {
		if !toks[i].is("group") || !toks[i+1].is("by") {
			continue
		}
		end := groupListEnd(toks, i+2)
		if end == i+2 {
			continue // sqlparser reports the empty list
		}
		marked, err := g.elements(toks, i+2, end, "top")
		if err != nil {
			return g, err
		}
		if end+1 < len(toks) && toks[end].is("with") && toks[end+1].is("rollup") {
			if marked {
				return g, sqlerr.At(toks[end].start, sqlerr.ErrSyntax, "WITH ROLLUP cannot follow GROUPING SETS, ROLLUP or CUBE")
			}
			g.before[i+2] += RollupMarker + "("
			g.replace[end], g.replace[end+1] = ")", ""
		}
	}
	return g, nil
}

// groupListEnd returns the index of the token after the GROUP BY list
// that starts at toks[from]: a clause word, WITH ROLLUP or a parenthesis
// closing an enclosing one, at the list's depth.
func groupListEnd(toks []token, from int) int {
	depth := 0
	for j := from; j < len(toks); j++ {
		t := toks[j]
		switch {
		case t.isChar('('):
			depth++
		case t.isChar(')'):
			if depth == 0 {
				return j
			}
			depth--
		case depth > 0:
		case t.isChar(';'), t.is("with") && j+1 < len(toks) && toks[j+1].is("rollup"):
			return j
		default:
			for _, kw := range groupListEnds {
				if t.is(kw) {
					return j
				}
			}
		}
	}
	return len(toks)
}

// groupListEnds are the words that end a GROUP BY list.
var groupListEnds = []string{"having", "order", "limit", "offset", "window", "qualify", "union", "except", "intersect"}

// elements plans the edits of the comma-separated grouping elements of
// toks[from:end], in context ctx: "top" (the GROUP BY list), "sets" (inside
// GROUPING SETS), "rollup" (inside ROLLUP or CUBE). It reports whether
// any element was a construct of this file.
func (g *groupEdits) elements(toks []token, from, end int, ctx string) (bool, error) {
	marked := false
	start := from
	for _, j := range append(topLevel(toks, from, end), end) {
		if j < end && !toks[j].isChar(',') {
			continue
		}
		m, err := g.element(toks, start, j, ctx)
		if err != nil {
			return false, err
		}
		marked = marked || m
		start = j + 1
	}
	return marked, nil
}

// element plans the edits of one grouping element, toks[from:end].
func (g *groupEdits) element(toks []token, from, end int, ctx string) (bool, error) {
	if from >= end {
		return false, nil // an empty element: sqlparser reports it
	}
	t := toks[from]
	wholeCall := func(open int) bool { // toks[open] is a '(' closed at end-1
		return open < end && toks[open].isChar('(') && matching(toks, open) == end-1
	}
	switch {
	case t.is("grouping") && from+1 < end && toks[from+1].is("sets") && wholeCall(from+2):
		if ctx == "rollup" {
			return false, sqlerr.At(t.start, sqlerr.ErrSyntax, "GROUPING SETS inside ROLLUP or CUBE")
		}
		if from+4 == end {
			return false, sqlerr.At(t.start, sqlerr.ErrSyntax, "GROUPING SETS needs at least one set")
		}
		g.replace[from], g.replace[from+1] = GroupingSetsMarker, ""
		_, err := g.elements(toks, from+3, end-1, "sets")
		return true, err
	case (t.is("rollup") || t.is("cube")) && wholeCall(from+1):
		if ctx == "rollup" {
			return false, sqlerr.At(t.start, sqlerr.ErrSyntax, "ROLLUP or CUBE inside ROLLUP or CUBE")
		}
		g.replace[from] = RollupMarker
		if t.is("cube") {
			g.replace[from] = CubeMarker
		}
		_, err := g.elements(toks, from+2, end-1, "rollup")
		return true, err
	case wholeCall(from) && !toks[from+1].is("select") && !toks[from+1].is("with"):
		// A parenthesised list is one set of keys; at the top, (a) stays
		// an expression, as it is one either way.
		if ctx == "top" && from+2 < end && len(commas(toks, from+1, end-1)) == 0 {
			return false, nil
		}
		g.replace[from] = SetMarker + "("
		return true, nil
	}
	return false, nil
}
