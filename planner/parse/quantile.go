package parse

import (
	"regexp"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// withinGroup names the ordered-set syntax percentile_cont(q) WITHIN
// GROUP (ORDER BY x), which sqlparser would report as a bare syntax
// error; quantile_cont(x, q) and quantile_disc(x, q) say the same.
func withinGroup(toks []token, i int) error {
	t := toks[i]
	if t.typ != sqlparser.STRING && t.is("within") && i+1 < len(toks) && toks[i+1].is("group") {
		return sqlerr.At(t.start, sqlerr.ErrNotSupported, "WITHIN GROUP (write quantile_cont(x, q) or quantile_disc(x, q))")
	}
	return nil
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
