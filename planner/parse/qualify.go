package parse

import (
	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// QUALIFY filters a SELECT's rows after its window functions, as WHERE
// does before them and HAVING after its aggregates (DuckDB, Snowflake):
//
//	SELECT * FROM t QUALIFY row_number() OVER (PARTITION BY g ORDER BY x) = 1
//
// sqlparser has no such clause, so its condition's tokens move to the end
// of the select list as one more item, __qualify(condition), which the
// binder takes out again and applies after the windows. The tokens keep
// their positions, so errors point into the QUALIFY clause.

// QualifyFunc names the select item that carries a QUALIFY condition.
const QualifyFunc = "__qualify"

// qualifyEnds are the words that end a QUALIFY condition at its depth.
var qualifyEnds = []string{"order", "limit", "offset", "union", "except", "intersect", "window"}

// moveQualify returns toks with every QUALIFY clause moved into its
// SELECT's list; toks itself when there is none.
func moveQualify(toks []token) ([]token, error) {
	for {
		q := -1
		for i, t := range toks {
			if t.typ == sqlparser.ID && t.is("qualify") {
				q = i
				break
			}
		}
		if q < 0 {
			return toks, nil
		}
		var err error
		if toks, err = moveOneQualify(toks, q); err != nil {
			return nil, err
		}
	}
}

// moveOneQualify moves the QUALIFY clause at toks[q].
func moveOneQualify(toks []token, q int) ([]token, error) {
	sel := selectBefore(toks, q)
	if sel < 0 {
		return nil, sqlerr.At(toks[q].start, sqlerr.ErrSyntax, "QUALIFY outside a SELECT")
	}
	// The select list ends at the SELECT's FROM, or at QUALIFY itself.
	listEnd := q
	for i, depth := sel+1, 0; i < q; i++ {
		if depth == 0 && toks[i].is("from") {
			listEnd = i
			break
		}
		depth += parenStep(toks[i])
	}
	end := len(toks)
	for i, depth := q+1, 0; i < len(toks); i++ {
		t := toks[i]
		if depth == 0 && (t.isChar(')') || t.isChar(';') || isAnyWord(t, qualifyEnds)) {
			end = i
			break
		}
		depth += parenStep(t)
	}
	if end == q+1 {
		return nil, sqlerr.At(toks[q].start, sqlerr.ErrSyntax, "QUALIFY without a condition")
	}
	cond := toks[q+1 : end]
	at := toks[q].start
	out := make([]token, 0, len(toks)+4)
	out = append(out, toks[:listEnd]...)
	out = append(out, synthetic(',', at),
		token{typ: sqlparser.ID, val: QualifyFunc, raw: QualifyFunc, start: at, end: toks[q].end},
		synthetic('(', at))
	out = append(out, cond...)
	out = append(out, synthetic(')', toks[end-1].end))
	out = append(out, toks[listEnd:q]...)
	return append(out, toks[end:]...), nil
}

// selectBefore returns the index of the SELECT that toks[q] belongs to:
// the nearest one before it at its parenthesis depth; -1 if none.
func selectBefore(toks []token, q int) int {
	depth := 0
	for i := q - 1; i >= 0; i-- {
		switch {
		case toks[i].isChar(')'):
			depth++
		case toks[i].isChar('('):
			if depth == 0 {
				return -1
			}
			depth--
		case depth == 0 && toks[i].is("select"):
			return i
		}
	}
	return -1
}

func parenStep(t token) int {
	switch {
	case t.isChar('('):
		return 1
	case t.isChar(')'):
		return -1
	}
	return 0
}

func isAnyWord(t token, words []string) bool {
	for _, w := range words {
		if t.is(w) {
			return true
		}
	}
	return false
}
