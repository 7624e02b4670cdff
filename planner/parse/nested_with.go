package parse

import (
	"strconv"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// A WITH clause inside a subquery or a derived table,
//
//	SELECT * FROM (WITH d AS (SELECT 1 AS y) SELECT y FROM d) AS t
//
// which sqlparser cannot parse. The pre-lexer takes the clause out (its
// CTEs parsed as a top-level WITH's are, into Query.Nested under the
// position of the subquery's parenthesis) and leaves __with(pos) as one
// more item of the subquery's first SELECT, where the binder puts those
// CTEs in scope for that SELECT, and for the whole UNION it may start.

// WithFunc names the select item that marks a subquery's own WITH.
const WithFunc = "__with"

// extractNestedWith takes every WITH inside parentheses out of toks into
// q.Nested; toks itself when there is none.
func extractNestedWith(text string, toks []token, q *Query) ([]token, error) {
	for i := 0; i+1 < len(toks); i++ {
		if !toks[i].isChar('(') || !toks[i+1].is("with") {
			continue
		}
		end := matching(toks, i)
		if end < 0 {
			return nil, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "( without a closing parenthesis")
		}
		nq := &Query{Aliases: map[string]DerivedAlias{}}
		rest, err := parseCTEs(text, toks[i+2:end], nq)
		if err != nil {
			return nil, err
		}
		sel := -1
		for k, depth := 0, 0; k < len(rest); k++ {
			if depth == 0 && rest[k].is("select") {
				sel = k
				break
			}
			depth += parenStep(rest[k])
		}
		if sel < 0 {
			return nil, sqlerr.At(toks[i+1].start, sqlerr.ErrSyntax, "WITH without a SELECT after it")
		}
		listEnd := len(rest)
		for k, depth := sel+1, 0; k < len(rest); k++ {
			if depth == 0 && (rest[k].is("from") || rest[k].is("union") || rest[k].is("except") ||
				rest[k].is("intersect") || rest[k].is("order") || rest[k].is("limit") || rest[k].isChar(')')) {
				listEnd = k
				break
			}
			depth += parenStep(rest[k])
		}
		pos := toks[i].start
		if q.Nested == nil {
			q.Nested = map[int]*Query{}
		}
		q.Nested[pos] = nq
		n := strconv.Itoa(pos)
		at := toks[i+1].start
		marker := []token{synthetic(',', at),
			{typ: sqlparser.ID, val: WithFunc, raw: WithFunc, start: at, end: toks[i+1].end},
			synthetic('(', at), {typ: sqlparser.INTEGRAL, val: n, raw: n, start: at, end: at}, synthetic(')', at)}
		out := make([]token, 0, len(toks))
		out = append(out, toks[:i+1]...)
		out = append(out, rest[:listEnd]...)
		out = append(out, marker...)
		out = append(out, rest[listEnd:]...)
		toks = append(out, toks[end:]...)
	}
	return toks, nil
}
