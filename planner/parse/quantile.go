package parse

import (
	"regexp"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// withinGroup names the ordered-set syntax WITHIN GROUP (ORDER BY x) of
// aggregates other than percentile_cont and percentile_disc (which
// rewritePercentile handles), which sqlparser would report as a bare
// syntax error.
func withinGroup(toks []token, i int) error {
	t := toks[i]
	if t.typ != sqlparser.STRING && t.is("within") && i+1 < len(toks) && toks[i+1].is("group") {
		return sqlerr.At(t.start, sqlerr.ErrNotSupported, "WITHIN GROUP but for percentile_cont and percentile_disc")
	}
	return nil
}

// rewritePercentile turns the standard's ordered-set form into DuckDB's
// own: percentile_cont(q) WITHIN GROUP (ORDER BY x) is quantile_cont(x,
// q), and ORDER BY x DESC the fraction counted from the top, which the
// binder reads from a negative one: quantile_cont(x, -q). It returns the
// index of the last token it consumed.
func (r *rewriter) rewritePercentile(i int) (int, error) {
	toks := r.toks
	c1 := matching(toks, i+1)
	if c1 < 0 {
		return 0, sqlerr.At(toks[i+1].start, sqlerr.ErrSyntax, "%s( without a closing parenthesis", toks[i].val)
	}
	at := func(k int) token {
		if k < len(toks) {
			return toks[k]
		}
		return token{typ: -1}
	}
	if !at(c1+1).is("within") || !at(c1+2).is("group") || !at(c1+3).isChar('(') || !at(c1+4).is("order") || !at(c1+5).is("by") {
		return 0, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "%s(q) needs WITHIN GROUP (ORDER BY x)", toks[i].val)
	}
	c2 := matching(toks, c1+3)
	if c2 < 0 {
		return 0, sqlerr.At(toks[c1+3].start, sqlerr.ErrSyntax, "WITHIN GROUP ( without a closing parenthesis")
	}
	if at(c2 + 1).is("filter") {
		return 0, sqlerr.At(toks[c2+1].start, sqlerr.ErrNotSupported, "FILTER on %s (write quantile_cont(x, q) FILTER (...))", toks[i].val)
	}
	end, desc := c2, false
	if end-2 > c1+5 && at(end-2).is("nulls") && (at(end-1).is("first") || at(end-1).is("last")) {
		end -= 2 // a quantile skips NULLs: their place does not matter
	}
	if at(end-1).is("desc") || at(end-1).is("asc") {
		desc = at(end - 1).is("desc")
		end--
	}
	if end <= c1+6 || i+2 >= c1 {
		return 0, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "%s needs a fraction and an ORDER BY expression", toks[i].val)
	}
	x := &rewriter{src: r.src, toks: toks[c1+6 : end], aliases: r.aliases}
	q := &rewriter{src: r.src, toks: toks[i+2 : c1], aliases: r.aliases}
	for _, sub := range []*rewriter{x, q} {
		if err := sub.run(); err != nil {
			return 0, err
		}
	}
	name := "quantile_cont"
	if toks[i].is("percentile_disc") {
		name = "quantile_disc"
	}
	r.w.emit(name+"(", toks[i].start)
	r.absorb(x)
	r.w.emit(",", toks[c1].start)
	if desc {
		r.w.emit("-", toks[i+2].start)
	}
	r.absorb(q)
	r.w.emit(")", toks[c2].start)
	return c2, nil
}

// quantileListAt matches the text before a '[' that is a quantile's list
// of fractions: DuckDB then returns a list, and minisql has no list type.
var quantileListAt = regexp.MustCompile(`(?i)\bquantile(_cont|_disc)?\s*\([^()]*,\s*$`)

// listError is the error for a '[' at pos, which the lexer cannot read.
func listError(src string, pos int) error {
	if quantileListAt.MatchString(src[:pos]) {
		return sqlerr.At(pos, sqlerr.ErrNotSupported, "quantile with a list of fractions")
	}
	return sqlerr.At(pos, sqlerr.ErrNotSupported, "list values ([...]): minisql has no list type")
}
