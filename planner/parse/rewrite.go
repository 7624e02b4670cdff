package parse

import (
	"fmt"
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// writer builds the rewritten text and remembers, for every piece it
// writes, where that piece came from in the original text.
type writer struct {
	b    strings.Builder
	segs []seg
}

type seg struct{ out, orig int }

// emit writes text that stands for the original text at orig.
func (w *writer) emit(text string, orig int) {
	if w.b.Len() > 0 {
		w.b.WriteByte(' ')
	}
	w.segs = append(w.segs, seg{out: w.b.Len(), orig: orig})
	w.b.WriteString(text)
}

// origPos maps a byte offset of the rewritten text to the original text.
func (w *writer) origPos(out int) int {
	best := seg{}
	for _, s := range w.segs {
		if s.out > out {
			break
		}
		best = s
	}
	return best.orig + (out - best.out)
}

// rewriter turns a token range into text sqlparser accepts.
type rewriter struct {
	src     string
	toks    []token
	w       writer
	aliases map[string]DerivedAlias
	inDDL   bool
	// unnamed holds the ')' closing a derived table in FROM that has no
	// alias (see derivedEnd).
	unnamed map[int]bool
	derived int // derived tables named so far
}

// DerivedAlias is the column-alias list of a derived table,
// `(SELECT ...) AS name (a, b)`, which sqlparser cannot parse: the
// rewriter replaces the alias by a marker and records the list here.
type DerivedAlias struct {
	Name    string
	Columns []string
}

// aliasMarker is the prefix of the marker aliases.
const aliasMarker = "__msq_alias_"

// derivedMarker is the prefix of the names given to derived tables
// without an alias.
const derivedMarker = "__msq_derived_"

// typeRewrites maps DDL type names sqlparser does not know to ones it does;
// types.Parse understands both.
var typeRewrites = map[string]string{
	"boolean": "bit", "bool": "bit", "logical": "bit", "string": "text",
	"int2": "smallint", "int4": "int", "int8": "bigint", "int64": "bigint", "hugeint": "bigint",
	"float4": "float", "float8": "double", "float64": "double",
}

func (r *rewriter) run() error {
	toks := r.toks
	win, err := windowCalls(toks)
	if err != nil {
		return err
	}
	setMarks, err := setOps(toks)
	if err != nil {
		return err
	}
	ilikeEnd, err := ilikes(toks)
	if err != nil {
		return err
	}
	full, err := fullJoins(toks)
	if err != nil {
		return err
	}
	groups, err := groupingSets(toks)
	if err != nil {
		return err
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if m, ok := setMarks[i-1]; ok {
			r.w.emit(m, t.start)
		}
		if ilikeEnd[i] {
			r.w.emit("escape '"+IlikeMarker+"'", t.start)
		}
		if s, ok := full.before[i]; ok { // closes a condition: after the ILIKE's end
			r.w.emit(s, t.start)
		}
		if s, ok := full.replace[i]; ok {
			r.w.emit(s, t.start)
			continue
		}
		if s, ok := groups.before[i]; ok {
			r.w.emit(s, t.start)
		}
		if s, ok := groups.replace[i]; ok {
			if s != "" {
				r.w.emit(s, t.start)
			}
			continue
		}
		if s, ok := win.before[i]; ok {
			r.w.emit(s, t.start)
		}
		if s, ok := win.replace[i]; ok {
			if s != "" {
				r.w.emit(s, t.start)
			}
			continue
		}
		next := func(k int) token {
			if i+k < len(toks) {
				return toks[i+k]
			}
			return token{typ: -1}
		}
		if err := withinGroup(toks, i); err != nil {
			return err
		}
		if t.isChar('(') && (next(1).is("select") || next(1).is("with")) && r.fromItem(i) {
			if end := matching(toks, i); end > 0 && r.unaliased(end) {
				if r.unnamed == nil {
					r.unnamed = map[int]bool{}
				}
				r.unnamed[end] = true
			}
		}
		switch {
		case t.isChar(')') && r.unnamed[i]:
			r.derivedEnd(t.start)
		case t.typ != sqlparser.STRING && !t.isChar('(') && !t.isChar(')') && next(1).isChar('(') && r.hasFilter(i):
			callEnd, filterEnd, _ := filterAt(toks, i)
			n, err := r.rewriteFilter(i, callEnd, filterEnd)
			if err != nil {
				return err
			}
			i = n
		case t.is("ilike") && t.typ != sqlparser.STRING:
			r.w.emit("like", t.start) // the pattern's end gets the marker (ilikes)
		case t.is("intersect"), t.is("except"):
			// The operation is marked on its right operand (setOps).
			switch {
			case next(1).is("all"):
				r.w.emit("union all", t.start)
				i++
			case next(1).is("distinct"):
				r.w.emit("union distinct", t.start)
				i++
			default:
				r.w.emit("union distinct", t.start)
			}
		case t.isChar('(') && next(1).is("with"):
			// extractNestedWith takes these out first; one left here is in
			// a statement that is no query.
			return sqlerr.At(next(1).start, sqlerr.ErrNotSupported, "WITH inside a subquery of this statement")
		case t.is("recursive"):
			return sqlerr.At(t.start, sqlerr.ErrNotSupported, "WITH RECURSIVE")
		case t.typ == sqlparser.STRING && strings.HasPrefix(t.raw, `"`): // raw: a token the pre-lexer made has no text in src
			// "x" is an identifier in standard SQL and DuckDB.
			r.w.emit("`"+strings.ReplaceAll(t.val, "`", "``")+"`", t.start)
		case t.typ == sqlparser.STRING && strings.HasPrefix(t.raw, "'") && r.fromItem(i):
			// FROM 'file.parquet', as DuckDB: a table named by its path.
			r.w.emit("`"+strings.ReplaceAll(t.val, "`", "``")+"`", t.start)
		case t.typ != sqlparser.STRING && IsFileFunc(t.val) && next(1).isChar('(') && r.fromItem(i):
			n, err := r.rewriteFileCall(i)
			if err != nil {
				return err
			}
			i = n
		case (t.is("range") || t.is("generate_series")) && next(1).isChar('(') && r.fromItem(i):
			// The table function range(...) becomes a table name the
			// catalog understands.
			end := matching(toks, i+1)
			if end < 0 {
				return sqlerr.At(t.start, sqlerr.ErrSyntax, "range without a closing parenthesis")
			}
			r.w.emit("`"+strings.ReplaceAll(r.src[t.start:toks[end].end], "`", "")+"`", t.start)
			i = end
		case t.isChar('(') && next(1).is("values") && r.fromItem(i):
			n, err := r.rewriteValues(i)
			if err != nil {
				return err
			}
			switch {
			case r.aliasList(n) > 0:
				n = r.rewriteAliasList(n) // emits the ')' and the alias
			case r.unaliased(n):
				r.derivedEnd(toks[n].start)
			default:
				r.w.emit(")", toks[n].start)
			}
			i = n
		case t.is("all") && i >= 2 && toks[i-1].is("by") && (toks[i-2].is("group") || toks[i-2].is("order")):
			// GROUP BY ALL and ORDER BY ALL, as DuckDB: a marker item the
			// binder expands to the select list.
			r.w.emit(AllMarker, t.start)
		case t.is("all") && i == 1 && toks[0].is("show"):
			r.w.emit("all_settings", t.start) // ALL is a keyword to sqlparser
		case (t.is("substring") || t.is("substr")) && next(1).isChar('('):
			n, err := r.rewriteSubstring(i)
			if err != nil {
				return err
			}
			i = n
		case t.is("offset") && !r.limitSeen(i):
			// OFFSET without LIMIT: sqlparser knows only LIMIT offset, count.
			r.w.emit("limit", t.start)
			if i+1 < len(toks) {
				r.w.emit(next(1).text(r.src)+", 9223372036854775807", next(1).start)
				i++
			}
		case t.typ == sqlparser.OR && t.raw == "||":
			r.w.emit("|", t.start) // concatenation; the binder tells it from bitwise OR by type
		case (t.is("date") || t.is("timestamp")) && next(1).typ == sqlparser.STRING && !r.inDDL:
			r.w.emit(fmt.Sprintf("__cast(%s, '%s')", next(1).text(r.src), strings.ToUpper(t.val)), t.start)
			i++
		case t.is("interval") && next(1).typ == sqlparser.STRING && !isIntervalUnit(next(2)):
			// INTERVAL '3 days': the units are in the text, which sqlparser
			// cannot take without one after it; the binder reads the marker.
			r.w.emit(fmt.Sprintf("interval %s %s", next(1).text(r.src), IntervalTextUnit), t.start)
			i++
		case (t.is("percentile_cont") || t.is("percentile_disc")) && next(1).isChar('('):
			n, err := r.rewritePercentile(i)
			if err != nil {
				return err
			}
			i = n
		case (t.is("cast") || t.is("try_cast")) && next(1).isChar('('):
			n, err := r.rewriteCast(i)
			if err != nil {
				return err
			}
			i = n
		case t.is("extract") && next(1).isChar('(') && next(3).is("from"):
			r.w.emit(fmt.Sprintf("extract('%s',", strings.ToLower(next(2).val)), t.start)
			i += 3
		case t.is("trim") && next(1).isChar('('):
			n, err := r.rewriteTrim(i)
			if err != nil {
				return err
			}
			i = n
		case t.is("nulls") && (next(1).is("first") || next(1).is("last")):
			// A marker item the binder folds into the ORDER BY item before it.
			r.w.emit(", __msq_nulls_"+next(1).val, t.start)
			i++
		case t.isChar(')') && r.aliasList(i) > 0:
			i = r.rewriteAliasList(i)
		case strings.HasPrefix(t.text(r.src), "::"):
			return sqlerr.At(t.start, sqlerr.ErrSyntax, ":: must be followed directly by a type name, as in x::INTEGER")
		case r.inDDL && t.typ != sqlparser.STRING && i > 0 && !toks[i-1].isChar('(') && !toks[i-1].isChar(',') &&
			typeRewrites[strings.ToLower(t.val)] != "":
			r.w.emit(typeRewrites[strings.ToLower(t.val)], t.start)
		default:
			r.w.emit(t.text(r.src), t.start)
		}
	}
	r.emitTrailing(ilikeEnd)
	if s, ok := full.before[len(toks)]; ok {
		end := 0
		if n := len(toks); n > 0 {
			end = toks[n-1].end
		}
		r.w.emit(s, end)
	}
	return nil
}

// matching returns the index of the ')' closing the '(' at toks[open].
func matching(toks []token, open int) int {
	depth := 0
	for j := open; j < len(toks); j++ {
		switch {
		case toks[j].isChar('('):
			depth++
		case toks[j].isChar(')'):
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// rewriteCast turns CAST(x AS type) into __cast(x, 'type'), so that every
// type name (DOUBLE, VARCHAR, BOOLEAN, DECIMAL(15,2), ...) reaches the
// binder, which parses it with types.Parse.
func (r *rewriter) rewriteCast(i int) (int, error) {
	toks := r.toks
	closeIdx := matching(toks, i+1)
	if closeIdx < 0 {
		return 0, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "CAST without a closing parenthesis")
	}
	depth, as := 0, -1
	for j := i + 1; j < closeIdx; j++ {
		switch {
		case toks[j].isChar('('):
			depth++
		case toks[j].isChar(')'):
			depth--
		case depth == 1 && toks[j].is("as"):
			as = j
		}
	}
	if as < 0 || as+1 >= closeIdx {
		return 0, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "CAST needs AS and a type")
	}
	typeText := r.src[toks[as+1].start:toks[closeIdx-1].end]
	inner := &rewriter{src: r.src, toks: toks[i+2 : as], aliases: r.aliases}
	if err := inner.run(); err != nil {
		return 0, err
	}
	name := "__cast("
	if toks[i].is("try_cast") {
		name = "__try_cast("
	}
	r.w.emit(name, toks[i].start)
	r.absorb(inner)
	r.w.emit(fmt.Sprintf(", '%s')", strings.ReplaceAll(typeText, "'", "''")), toks[as].start)
	return closeIdx, nil
}

// absorb appends another rewriter's output, keeping its position map.
func (r *rewriter) absorb(o *rewriter) {
	base := r.w.b.Len() + 1
	if r.w.b.Len() == 0 {
		base = 0
	}
	text := o.w.b.String()
	if text == "" {
		return
	}
	if r.w.b.Len() > 0 {
		r.w.b.WriteByte(' ')
	}
	for _, s := range o.w.segs {
		r.w.segs = append(r.w.segs, seg{out: base + s.out, orig: s.orig})
	}
	r.w.b.WriteString(text)
}

// rewriteTrim turns TRIM([BOTH|LEADING|TRAILING] [chars] FROM x) into
// trim/ltrim/rtrim(x[, chars]); plain TRIM(x) is left alone.
func (r *rewriter) rewriteTrim(i int) (int, error) {
	toks := r.toks
	closeIdx := matching(toks, i+1)
	if closeIdx < 0 {
		return 0, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "TRIM without a closing parenthesis")
	}
	from, depth := -1, 0
	for j := i + 1; j < closeIdx; j++ {
		switch {
		case toks[j].isChar('('):
			depth++
		case toks[j].isChar(')'):
			depth--
		case depth == 1 && toks[j].is("from"):
			from = j
		}
	}
	if from < 0 {
		r.w.emit(toks[i].text(r.src), toks[i].start)
		return i, nil
	}
	fn, k := "trim", i+2
	switch {
	case toks[k].is("both"):
		k++
	case toks[k].is("leading"):
		fn, k = "ltrim", k+1
	case toks[k].is("trailing"):
		fn, k = "rtrim", k+1
	}
	chars := &rewriter{src: r.src, toks: toks[k:from], aliases: r.aliases}
	arg := &rewriter{src: r.src, toks: toks[from+1 : closeIdx], aliases: r.aliases}
	if err := chars.run(); err != nil {
		return 0, err
	}
	if err := arg.run(); err != nil {
		return 0, err
	}
	r.w.emit(fn+"(", toks[i].start)
	r.absorb(arg)
	if chars.w.b.Len() > 0 {
		r.w.emit(",", toks[from].start)
		r.absorb(chars)
	}
	r.w.emit(")", toks[closeIdx].start)
	return closeIdx, nil
}

// aliasList reports whether toks[i] (a ')') is followed by [AS] name
// (col, ...) and returns the number of tokens of that tail.
func (r *rewriter) aliasList(i int) int {
	toks := r.toks
	j := i + 1
	if j < len(toks) && toks[j].is("as") {
		j++
	}
	if j+2 >= len(toks) || toks[j].typ != sqlparser.ID || !toks[j+1].isChar('(') {
		return 0
	}
	k := j + 2
	for k < len(toks) {
		if toks[k].typ != sqlparser.ID && toks[k].typ != sqlparser.STRING {
			return 0
		}
		k++
		if k < len(toks) && toks[k].isChar(')') {
			return k - i
		}
		if k >= len(toks) || !toks[k].isChar(',') {
			return 0
		}
		k++
	}
	return 0
}

func (r *rewriter) rewriteAliasList(i int) int {
	toks := r.toks
	end := i + r.aliasList(i)
	j := i + 1
	if toks[j].is("as") {
		j++
	}
	name := toks[j].val
	var cols []string
	for k := j + 2; k < end; k += 2 {
		cols = append(cols, toks[k].val)
	}
	marker := fmt.Sprintf("%s%d", aliasMarker, len(r.aliases))
	r.aliases[marker] = DerivedAlias{Name: name, Columns: cols}
	r.w.emit(")", toks[i].start)
	r.w.emit("as "+marker, toks[j].start)
	return end
}

// limitSeen reports whether a LIMIT precedes toks[i] at the same
// parenthesis depth.
func (r *rewriter) limitSeen(i int) bool {
	depth := 0
	for j := i - 1; j >= 0; j-- {
		switch {
		case r.toks[j].isChar(')'):
			depth++
		case r.toks[j].isChar('('):
			if depth == 0 {
				return false
			}
			depth--
		case depth == 0 && r.toks[j].is("limit"):
			return true
		}
	}
	return false
}

// rewriteSubstring turns SUBSTRING(x FROM a [FOR b]) and SUBSTRING(x, a
// [, b]) into __substring(x, a[, b]): sqlparser's own SUBSTRING grammar
// accepts only a bare column as x.
func (r *rewriter) rewriteSubstring(i int) (int, error) {
	toks := r.toks
	closeIdx := matching(toks, i+1)
	if closeIdx < 0 {
		return 0, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "SUBSTRING without a closing parenthesis")
	}
	var args [][]token
	start, depth := i+2, 0
	for j := i + 2; j < closeIdx; j++ {
		switch {
		case toks[j].isChar('('):
			depth++
		case toks[j].isChar(')'):
			depth--
		case depth == 0 && (toks[j].isChar(',') || toks[j].is("from") || toks[j].is("for")):
			args = append(args, toks[start:j])
			start = j + 1
		}
	}
	args = append(args, toks[start:closeIdx])
	r.w.emit("__substring(", toks[i].start)
	for k, a := range args {
		if len(a) == 0 {
			return 0, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "SUBSTRING with an empty argument")
		}
		if k > 0 {
			r.w.emit(",", a[0].start)
		}
		sub := &rewriter{src: r.src, toks: a, aliases: r.aliases}
		if err := sub.run(); err != nil {
			return 0, err
		}
		r.absorb(sub)
	}
	r.w.emit(")", toks[closeIdx].start)
	return closeIdx, nil
}

// fromItem reports whether toks[i] begins an item of a FROM list: it
// follows FROM, JOIN or a comma of the FROM clause.
func (r *rewriter) fromItem(i int) bool {
	toks := r.toks
	return i > 0 && (toks[i-1].is("from") || toks[i-1].is("join") || toks[i-1].isChar(',') && r.inFrom(i))
}

// unaliased reports whether the derived table closed by the ')' at
// toks[end] has no alias after it: what follows ends the FROM item.
// Anything else (AS, a name, a keyword sqlparser takes as a name) is left
// to sqlparser.
func (r *rewriter) unaliased(end int) bool {
	if end+1 >= len(r.toks) {
		return true
	}
	n := r.toks[end+1]
	if n.isChar(',') || n.isChar(')') || n.isChar(';') {
		return true
	}
	for _, kw := range fromItemEnds {
		if n.is(kw) {
			return true
		}
	}
	return false
}

// fromItemEnds are the keywords that can follow an item of a FROM list.
var fromItemEnds = []string{
	"join", "inner", "left", "right", "cross", "natural", "straight_join", "on", "using",
	"where", "group", "having", "order", "limit", "offset", "union", "except", "intersect",
}

// derivedEnd closes a derived table that has no alias, naming it: DuckDB
// and PostgreSQL accept FROM (SELECT ...) without one, sqlparser (as
// MySQL) does not. The __msq_ prefix is the rewriter's, as for the alias
// markers; the name is not shown in plans or messages.
func (r *rewriter) derivedEnd(pos int) {
	r.w.emit(")", pos)
	r.w.emit(fmt.Sprintf("as %s%d", derivedMarker, r.derived), pos)
	r.derived++
}

// inFrom reports whether toks[i] is in a FROM clause: the last clause
// keyword before it, at the same parenthesis depth, is FROM.
func (r *rewriter) inFrom(i int) bool {
	depth := 0
	for j := i - 1; j >= 0; j-- {
		t := r.toks[j]
		switch {
		case t.isChar(')'):
			depth++
		case t.isChar('('):
			if depth == 0 {
				return false
			}
			depth--
		case depth == 0 && t.is("from"):
			return true
		case depth == 0 && (t.is("select") || t.is("where") || t.is("group") || t.is("order") || t.is("having")):
			return false
		}
	}
	return false
}

// hasFilter reports whether the call at toks[i] has a FILTER clause.
func (r *rewriter) hasFilter(i int) bool {
	_, _, ok := filterAt(r.toks, i)
	return ok
}

// emitTrailing writes what goes after the last token: the ESCAPE marker
// of an ILIKE whose pattern ends the statement.
func (r *rewriter) emitTrailing(ilikeEnd map[int]bool) {
	if ilikeEnd[len(r.toks)] {
		end := 0
		if n := len(r.toks); n > 0 {
			end = r.toks[n-1].end
		}
		r.w.emit("escape '"+IlikeMarker+"'", end)
	}
}

// AllMarker stands for ALL in GROUP BY ALL and ORDER BY ALL.
const AllMarker = "__msq_all"
