package parse

import (
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// FULL [OUTER] JOIN. sqlparser knows LEFT and RIGHT joins only, so the
// pre-lexer writes LEFT instead of FULL and marks the join's condition,
// which sqlparser keeps on the join: ON c becomes ON __msq_full((c)), and
// USING (k) becomes USING (__msq_full, k). The binder reads the marker
// (FullJoinMarker) and makes the join a FULL one. The right operand is
// parsed as for LEFT JOIN, so the marked condition is this join's.

// FullJoinMarker marks the condition of a join written as FULL JOIN.
const FullJoinMarker = "__msq_full"

// NaturalJoinMarker is the one USING column of a NATURAL FULL JOIN, which
// sqlparser cannot read either: NATURAL FULL JOIN r becomes LEFT JOIN r
// USING (__msq_full, __msq_natural), and the binder joins on the
// columns the two sides have in common.
const NaturalJoinMarker = "__msq_natural"

// fullRewrites is what the rewriter does to the FULL JOINs of toks:
// replace[i] is written instead of token i, before[i] before it (i may be
// len(toks): at the end).
type fullRewrites struct {
	replace map[int]string
	before  map[int]string
}

// joinWords start a join, which ends an ON condition.
var joinWords = map[string]bool{
	"join": true, "inner": true, "left": true, "right": true, "cross": true, "full": true,
	"natural": true, "straight_join": true,
}

// startsJoin reports whether toks[k] is a word that starts a join: LEFT
// and RIGHT followed by a parenthesis are the functions (left(s, 1)),
// but JOIN ( is a join of a parenthesised right side.
func startsJoin(toks []token, k int) bool {
	w := word(toks[k])
	if !joinWords[w] {
		return false
	}
	return !((w == "left" || w == "right") && k+1 < len(toks) && toks[k+1].isChar('('))
}

// conditionEnds end an ON condition besides joins, commas, semicolons and
// an unmatched closing parenthesis.
var conditionEnds = map[string]bool{
	"where": true, "group": true, "having": true, "order": true, "limit": true, "offset": true,
	"union": true, "except": true, "intersect": true, "window": true, "qualify": true,
}

// word is a token's text in lower case, or "" for a string: only
// sqlparser's keywords come lower-cased (INTERSECT is not one).
func word(t token) string {
	if t.typ == sqlparser.STRING {
		return ""
	}
	return strings.ToLower(t.val)
}

// fullJoins finds the FULL JOINs of toks.
func fullJoins(toks []token) (fullRewrites, error) {
	fr := fullRewrites{replace: map[int]string{}, before: map[int]string{}}
	for i := range toks {
		if !toks[i].is("full") || i+1 >= len(toks) || !toks[i+1].is("join") && !toks[i+1].is("outer") {
			continue
		}
		fr.replace[i] = "left"
		j := i + 1
		if toks[j].is("outer") {
			j++
		}
		if j >= len(toks) || !toks[j].is("join") {
			return fr, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "expected JOIN after FULL OUTER")
		}
		if i > 0 && toks[i-1].is("natural") {
			end, err := joinOperandEnd(toks, i-1, j+1)
			if err != nil {
				return fr, err
			}
			fr.replace[i-1] = ""
			fr.before[end] += " using (" + FullJoinMarker + ", " + NaturalJoinMarker + ") "
			continue
		}
		cond, err := fullCondition(toks, i, j+1)
		if err != nil {
			return fr, err
		}
		switch {
		case toks[cond].is("using"):
			if cond+1 >= len(toks) || !toks[cond+1].isChar('(') {
				return fr, sqlerr.At(toks[cond].start, sqlerr.ErrSyntax, "expected ( after USING")
			}
			fr.replace[cond+1] = "(" + FullJoinMarker + ","
		default:
			fr.replace[cond] = "on " + FullJoinMarker + "(("
			end := conditionEnd(toks, cond+1)
			fr.before[end] += "))"
		}
	}
	return fr, nil
}

// operandStop is what ends a join's right operand.
type operandStop int

const (
	stopCondition operandStop = iota // its ON or USING
	stopJoin                         // the next join
	stopClause                       // a comma, semicolon, WHERE, ..., or an unmatched ')'
	stopEnd                          // the end of the statement
)

// scanOperand returns where the right operand of a join, starting at
// toks[from], ends (a table or a parenthesised query, and its alias), and
// what ends it.
func scanOperand(toks []token, from int) (int, operandStop) {
	depth := 0
	for k := from; k < len(toks); k++ {
		t := toks[k]
		switch {
		case t.isChar('('):
			depth++
		case t.isChar(')'):
			if depth == 0 {
				return k, stopClause
			}
			depth--
		case depth > 0 || t.typ == sqlparser.STRING:
		case t.is("on") || t.is("using"):
			return k, stopCondition
		case startsJoin(toks, k):
			return k, stopJoin
		case t.isChar(',') || t.isChar(';') || conditionEnds[word(t)]:
			return k, stopClause
		}
	}
	return len(toks), stopEnd
}

// fullCondition returns the index of the ON or USING of the FULL JOIN at
// toks[full], whose right operand starts at toks[from].
func fullCondition(toks []token, full, from int) (int, error) {
	k, stop := scanOperand(toks, from)
	switch stop {
	case stopCondition:
		return k, nil
	case stopJoin:
		return 0, sqlerr.At(toks[full].start, sqlerr.ErrNotSupported, "FULL JOIN of an unparenthesised join (put the right side in parentheses)")
	}
	return 0, sqlerr.At(toks[full].start, sqlerr.ErrSyntax, "FULL JOIN without ON or USING")
}

// joinOperandEnd returns the index of the token after the right operand of
// the NATURAL FULL JOIN at toks[natural], which starts at toks[from].
func joinOperandEnd(toks []token, natural, from int) (int, error) {
	if from >= len(toks) {
		return 0, sqlerr.At(toks[natural].start, sqlerr.ErrSyntax, "NATURAL FULL JOIN without a right side")
	}
	k, stop := scanOperand(toks, from)
	if stop == stopCondition {
		return 0, sqlerr.At(toks[k].start, sqlerr.ErrSyntax, "a NATURAL join takes no %s", strings.ToUpper(toks[k].val))
	}
	return k, nil
}

// conditionEnd returns the index of the token after the ON condition
// starting at toks[from].
func conditionEnd(toks []token, from int) int {
	depth := 0
	for k := from; k < len(toks); k++ {
		t := toks[k]
		switch {
		case t.isChar('('):
			depth++
		case t.isChar(')'):
			if depth == 0 {
				return k
			}
			depth--
		case depth > 0 || t.typ == sqlparser.STRING:
		case t.isChar(',') || t.isChar(';') || conditionEnds[word(t)]:
			return k
		case startsJoin(toks, k):
			return k
		}
	}
	return len(toks)
}

// FullJoinCondition recognises the condition of a join the pre-lexer
// rewrote from FULL JOIN to LEFT JOIN and returns it without the marker
// (the AST is left as it is: a CTE's is bound once per reference).
func FullJoinCondition(c sqlparser.JoinCondition) (sqlparser.Expr, sqlparser.Columns, bool) {
	if f, ok := c.On.(*sqlparser.FuncExpr); ok && f.Qualifier.IsEmpty() && f.Name.EqualString(FullJoinMarker) && len(f.Exprs) == 1 {
		if a, ok := f.Exprs[0].(*sqlparser.AliasedExpr); ok {
			if p, ok := a.Expr.(*sqlparser.ParenExpr); ok {
				return p.Expr, nil, true // the parentheses the pre-lexer added
			}
			return a.Expr, nil, true
		}
	}
	if len(c.Using) > 1 && c.Using[0].EqualString(FullJoinMarker) {
		return nil, c.Using[1:], true
	}
	return nil, nil, false
}

// formatFullJoin writes a join rewritten from FULL JOIN as written.
func formatFullJoin(buf *sqlparser.TrackedBuffer, j *sqlparser.JoinTableExpr) bool {
	on, using, ok := FullJoinCondition(j.Condition)
	if !ok {
		return false
	}
	if len(using) == 1 && using[0].EqualString(NaturalJoinMarker) {
		buf.Myprintf("%v natural full join %v", j.LeftExpr, j.RightExpr)
		return true
	}
	buf.Myprintf("%v full join %v%v", j.LeftExpr, j.RightExpr, sqlparser.JoinCondition{On: on, Using: using})
	return true
}
