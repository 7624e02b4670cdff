package parse

import (
	"strconv"
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// Samples, as DuckDB writes them:
//
//	SELECT ... FROM t [WHERE ...] [GROUP BY ...] USING SAMPLE 10%
//	SELECT ... FROM t TABLESAMPLE 50 ROWS JOIN u ...
//
// A size is a percentage (10%, 10 PERCENT, bernoulli(10%), system(10%)),
// each row kept with that probability, or a number of rows (50, 50 ROWS,
// reservoir(50 ROWS)), that many rows chosen uniformly. USING SAMPLE
// samples the FROM clause's rows before WHERE, wherever it is written;
// the pre-lexer moves it into the select list as __sample('rows', 50) or
// __sample('percent', 10), which the binder takes out and applies right
// after FROM. TABLESAMPLE samples one table: t TABLESAMPLE s becomes the
// derived table (SELECT * FROM t <sample s>) AS t, keeping t's name.

// SampleFunc names the select item that carries a USING SAMPLE.
const SampleFunc = "__sample"

// sampleSpec is a parsed sample size.
type sampleSpec struct {
	rows  bool
	value string // the number as written
}

// rewriteSamples rewrites every TABLESAMPLE and USING SAMPLE; toks itself
// when there is none.
func rewriteSamples(toks []token) ([]token, error) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		var err error
		switch {
		case t.typ != sqlparser.STRING && t.is("tablesample"):
			toks, err = rewriteTableSample(toks, i)
		case t.is("using") && i+1 < len(toks) && toks[i+1].is("sample"):
			toks, err = moveUsingSample(toks, i)
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		i = -1 // positions moved: look again from the start
	}
	return toks, nil
}

// parseSample reads a sample size at toks[i] and returns it with the
// index after it.
func parseSample(toks []token, i int, what string) (sampleSpec, int, error) {
	at := func(k int) token {
		if k < len(toks) {
			return toks[k]
		}
		return token{typ: -1}
	}
	pos := toks[min(i, len(toks)-1)].start
	bad := func() (sampleSpec, int, error) {
		return sampleSpec{}, 0, sqlerr.At(pos, sqlerr.ErrSyntax, "%s takes a size: n%%, n PERCENT, n ROWS or method(size)", what)
	}
	var s sampleSpec
	method := ""
	if t := at(i); t.typ == sqlparser.ID && at(i+1).isChar('(') {
		// method(size)
		method = strings.ToLower(t.val)
		end := matching(toks, i+1)
		if end < 0 {
			return bad()
		}
		inner, next, err := parseSample(toks[:end], i+2, what)
		if err != nil || next != end {
			return bad()
		}
		s, i = inner, end+1
	} else {
		num := at(i)
		if num.typ != sqlparser.INTEGRAL && num.typ != sqlparser.FLOAT {
			return bad()
		}
		s.value, s.rows = num.val, true
		i++
		switch {
		case at(i).isChar('%') || at(i).is("percent"):
			s.rows = false
			i++
		case at(i).is("rows"):
			i++
		}
		if at(i).isChar('(') {
			// (method[, seed])
			end := matching(toks, i)
			if end < 0 || end == i+1 {
				return bad()
			}
			method = strings.ToLower(at(i + 1).val)
			if end > i+2 {
				return sampleSpec{}, 0, sqlerr.At(at(i+2).start, sqlerr.ErrNotSupported, "a seed for %s (samples are not repeatable)", what)
			}
			i = end + 1
		}
	}
	switch method {
	case "", "bernoulli", "system", "reservoir":
	default:
		return sampleSpec{}, 0, sqlerr.At(pos, sqlerr.ErrNotSupported, "sampling method %q (bernoulli, system or reservoir)", method)
	}
	if at(i).is("repeatable") {
		return sampleSpec{}, 0, sqlerr.At(at(i).start, sqlerr.ErrNotSupported, "REPEATABLE (samples are not repeatable)")
	}
	v, err := strconv.ParseFloat(s.value, 64)
	if err != nil || v < 0 || !s.rows && v > 100 || s.rows && v != float64(int64(v)) {
		return sampleSpec{}, 0, sqlerr.At(pos, sqlerr.ErrInvalidValue, "%s size %s: a percentage from 0 to 100 or a whole number of rows", what, s.value)
	}
	return s, i, nil
}

// moveUsingSample moves the USING SAMPLE at toks[u] into its SELECT's
// list.
func moveUsingSample(toks []token, u int) ([]token, error) {
	s, end, err := parseSample(toks, u+2, "USING SAMPLE")
	if err != nil {
		return nil, err
	}
	sel := selectBefore(toks, u)
	if sel < 0 {
		return nil, sqlerr.At(toks[u].start, sqlerr.ErrSyntax, "USING SAMPLE outside a SELECT")
	}
	listEnd := -1
	for i, depth := sel+1, 0; i < u; i++ {
		if depth == 0 && toks[i].is("from") {
			listEnd = i
			break
		}
		depth += parenStep(toks[i])
	}
	if listEnd < 0 {
		return nil, sqlerr.At(toks[u].start, sqlerr.ErrSyntax, "USING SAMPLE needs a FROM clause")
	}
	at := toks[u].start
	kind := "percent"
	if s.rows {
		kind = "rows"
	}
	out := make([]token, 0, len(toks)+6)
	out = append(out, toks[:listEnd]...)
	out = append(out, synthetic(',', at),
		token{typ: sqlparser.ID, val: SampleFunc, raw: SampleFunc, start: at, end: toks[u+1].end},
		synthetic('(', at), stringToken(kind, at), synthetic(',', at),
		token{typ: sqlparser.FLOAT, val: s.value, raw: s.value, start: at, end: at}, synthetic(')', at))
	out = append(out, toks[listEnd:u]...)
	return append(out, toks[end:]...), nil
}

// rewriteTableSample turns the table before toks[k] (TABLESAMPLE) into a
// derived table that samples it.
func rewriteTableSample(toks []token, k int) ([]token, error) {
	s, end, err := parseSample(toks, k+1, "TABLESAMPLE")
	if err != nil {
		return nil, err
	}
	// name [AS] [alias] TABLESAMPLE
	table, alias := -1, -1
	switch {
	case k >= 3 && toks[k-2].is("as") && isIdent(toks[k-1]) && isTableRef(toks[k-3]):
		table, alias = k-3, k-1
	case k >= 2 && isIdent(toks[k-1]) && isTableRef(toks[k-2]) && !isTableWord(toks[k-2]):
		table, alias = k-2, k-1
	case k >= 1 && isTableRef(toks[k-1]):
		table = k - 1
	}
	if table < 0 || table > 0 && toks[table-1].isChar('.') {
		return nil, sqlerr.At(toks[k].start, sqlerr.ErrNotSupported, "TABLESAMPLE but after a table's name")
	}
	name := toks[table]
	if alias >= 0 {
		name = toks[alias]
	}
	at := toks[k].start
	out := make([]token, 0, len(toks)+12)
	out = append(out, toks[:table]...)
	out = append(out, synthetic('(', at), kw(sqlparser.SELECT, "select", at), synthetic('*', at), kw(sqlparser.FROM, "from", at), toks[table])
	out = append(out, sampleTail(s, at)...)
	out = append(out, synthetic(')', at), kw(sqlparser.AS, "as", at))
	if isIdent(name) {
		out = append(out, name)
	} else {
		out = append(out, token{typ: sqlparser.ID, val: "sample", raw: "sample", start: at, end: at})
	}
	return append(out, toks[end:]...), nil
}

// sampleTail is what samples a SELECT * FROM t: WHERE random() < p, or
// ORDER BY random() LIMIT n (the top n of random keys: a uniform sample).
func sampleTail(s sampleSpec, at int) []token {
	random := []token{{typ: sqlparser.ID, val: "random", raw: "random", start: at, end: at}, synthetic('(', at), synthetic(')', at)}
	if s.rows {
		out := []token{kw(sqlparser.ORDER, "order", at), kw(sqlparser.BY, "by", at)}
		out = append(out, random...)
		return append(out, kw(sqlparser.LIMIT, "limit", at), token{typ: sqlparser.INTEGRAL, val: s.value, raw: s.value, start: at, end: at})
	}
	p := s.value + " / 100.0"
	out := []token{kw(sqlparser.WHERE, "where", at)}
	out = append(out, random...)
	return append(out, synthetic('<', at), token{typ: sqlparser.FLOAT, val: p, raw: "(" + p + ")", start: at, end: at})
}

func kw(typ int, w string, pos int) token {
	return token{typ: typ, val: w, raw: w, start: pos, end: pos}
}

// isTableRef reports whether t may name a table: a name or a quoted path.
func isTableRef(t token) bool {
	return isIdent(t) || t.typ == sqlparser.STRING
}

// isTableWord reports whether t is a keyword that comes before a table
// (so the name after it is the table, not an alias).
func isTableWord(t token) bool {
	return t.typ != sqlparser.STRING && (t.is("from") || t.is("join") || t.is("on") || t.is("using"))
}
