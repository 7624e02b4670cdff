package expr

import (
	"regexp"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// Regular expressions: regexp_matches, regexp_full_match, regexp_replace
// and regexp_extract, on Go's regexp package. Its syntax is RE2's, as
// DuckDB's, and its matching time is linear in the input, so no pattern
// can make a row take exponential time.

// regexpCost is the budget a row costs beyond its bytes (see byteBudget).
const regexpCost = 8

const (
	reMatches = iota
	reFullMatch
	reReplace
	reExtract
)

func registerRegexpFuncs(r map[string]*scalarFunc) {
	b := types.BoolType
	r["regexp_matches"] = &scalarFunc{bind: bindRegexp(b, 2, str, str, str), prepare: prepareRegexp(reMatches), strict: true, cost: regexpCost}
	r["regexp_full_match"] = &scalarFunc{bind: bindRegexp(b, 2, str, str, str), prepare: prepareRegexp(reFullMatch), strict: true, cost: regexpCost}
	r["regexp_replace"] = &scalarFunc{bind: bindRegexp(str, 3, str, str, str, str), prepare: prepareRegexp(reReplace), strict: true, cost: regexpCost}
	// Not strict: DuckDB gives '' for a NULL group (the string or the
	// pattern NULL is still NULL).
	r["regexp_extract"] = &scalarFunc{bind: bindRegexp(str, 2, str, str, i64, str), prepare: prepareRegexp(reExtract), cost: regexpCost}
}

// bindRegexp binds a call taking the first least params and, optionally,
// the rest (the options always last).
func bindRegexp(ret types.T, least int, params ...types.T) func([]types.T) (types.T, []types.T, error) {
	return func(args []types.T) (types.T, []types.T, error) {
		if err := argCount(args, least, len(params)); err != nil {
			return types.T{}, nil, err
		}
		return ret, params[:len(args)], nil
	}
}

// reOptions are the options of DuckDB's last argument.
type reOptions struct {
	icase, dotNL, literal, global bool
}

// parseRegexpOptions reads DuckDB's option letters: c (case-sensitive,
// the default) and i, s (. matches a newline) and m, n or p (it does not,
// the default), l (the pattern is a literal string) and, for
// regexp_replace only, g (replace every match). A later letter overrides
// an earlier one.
func parseRegexpOptions(s string, kind int) (reOptions, error) {
	var o reOptions
	for _, c := range s {
		switch c {
		case 'c':
			o.icase = false
		case 'i':
			o.icase = true
		case 's':
			o.dotNL = true
		case 'm', 'n', 'p':
			o.dotNL = false
		case 'l':
			o.literal = true
		case 'g':
			if kind != reReplace {
				return o, sqlerr.New(sqlerr.ErrInvalidValue, "regexp option 'g' (global replace) is only valid for regexp_replace")
			}
			o.global = true
		default:
			return o, sqlerr.New(sqlerr.ErrInvalidValue, "unrecognized regexp option %q", c)
		}
	}
	return o, nil
}

// compileRegexp compiles pattern under the options; full anchors it at
// both ends (regexp_full_match).
func compileRegexp(pattern string, o reOptions, full bool) (*regexp.Regexp, error) {
	p := pattern
	if o.literal {
		p = regexp.QuoteMeta(p)
	}
	if full {
		p = `\A(?:` + p + `)\z`
	}
	switch {
	case o.icase && o.dotNL:
		p = "(?is)" + p
	case o.icase:
		p = "(?i)" + p
	case o.dotNL:
		p = "(?s)" + p
	}
	re, err := regexp.Compile(p)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
		return nil, sqlerr.Wrap(sqlerr.ErrInvalidValue, err, "invalid regular expression %q: %s", pattern, msg)
	}
	return re, nil
}

// regexpCall is one call site: what its literal arguments fixed at
// compile time. It is immutable after prepare (a *regexp.Regexp is safe
// for concurrent use), so the evaluator stays shareable between tasks.
type regexpCall struct {
	kind int
	// opts, when optsSet, are the literal options; otherwise they are
	// read from the constant argument at each batch.
	opts    reOptions
	optsSet bool
	// re is the literal pattern compiled with opts, or nil.
	re *regexp.Regexp
	// group is regexp_extract's literal group (nullGroup for NULL).
	group    int
	groupSet bool
}

const nullGroup = -1

// optionsArg is the position of the options argument of a call of kind
// with nargs arguments, or -1 when it has none.
func optionsArg(kind, nargs int) int {
	switch {
	case kind == reReplace && nargs == 4, kind == reExtract && nargs == 4, (kind == reMatches || kind == reFullMatch) && nargs == 3:
		return nargs - 1
	}
	return -1
}

func prepareRegexp(kind int) func([]Expr, []types.T) (evalFunc, error) {
	return func(args []Expr, _ []types.T) (evalFunc, error) {
		c := &regexpCall{kind: kind}
		if k := optionsArg(kind, len(args)); k < 0 {
			c.optsSet = true
		} else if lit, ok := args[k].(*Literal); ok {
			o, err := literalOptions(lit.Value, kind)
			if err != nil {
				return nil, err
			}
			c.opts, c.optsSet = o, true
		}
		if kind == reExtract && len(args) >= 3 {
			if lit, ok := args[2].(*Literal); ok {
				g, err := extractGroup(lit.Value)
				if err != nil {
					return nil, err
				}
				c.group, c.groupSet = g, true
			}
		} else {
			c.groupSet = true
		}
		if lit, ok := args[1].(*Literal); ok && lit.Value.Valid && c.optsSet {
			re, err := compileRegexp(lit.Value.S, c.opts, kind == reFullMatch)
			if err != nil {
				return nil, err
			}
			c.re = re
		}
		return c.eval, nil
	}
}

func literalOptions(d Datum, kind int) (reOptions, error) {
	if !d.Valid {
		return reOptions{}, sqlerr.New(sqlerr.ErrInvalidValue, "regexp options must not be NULL")
	}
	return parseRegexpOptions(d.S, kind)
}

// extractGroup checks regexp_extract's group, which DuckDB limits to 0-9.
func extractGroup(d Datum) (int, error) {
	if !d.Valid {
		return nullGroup, nil
	}
	if d.I < 0 || d.I > 9 {
		return 0, sqlerr.New(sqlerr.ErrInvalidValue, "regexp_extract group must be between 0 and 9, got %d", d.I)
	}
	return int(d.I), nil
}

func (c *regexpCall) eval(env Env, n int, args []Vec, _ []types.T, ret types.T) (arrow.Array, error) {
	opts := c.opts
	if !c.optsSet {
		v := args[optionsArg(c.kind, len(args))]
		if v.Arr != nil {
			return nil, sqlerr.NotSupported("regexp options that are not a constant")
		}
		o, err := literalOptions(v.Const, c.kind)
		if err != nil {
			return nil, err
		}
		opts = o
	}
	group := c.group
	if !c.groupSet {
		v := args[2]
		if v.Arr != nil {
			return nil, sqlerr.NotSupported("regexp_extract with a group that is not a constant")
		}
		g, err := extractGroup(v.Const)
		if err != nil {
			return nil, err
		}
		group = g
	}
	if c.kind == reExtract && (args[0].IsNullConst() || args[1].IsNullConst()) {
		return ConstArray(env.Alloc(), Null, str, n)
	}
	ts := []types.T{str, str, str}
	nin := 2
	if c.kind == reReplace {
		nin = 3
	}
	arrs, err := materialise(env, n, args[:nin], ts[:nin])
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	pats := patternSource{fixed: c.re, opts: opts, full: c.kind == reFullMatch, env: env}
	if pats.fixed == nil && args[1].IsConst() {
		if pats.fixed, err = compileRegexp(args[1].Const.S, opts, pats.full); err != nil {
			return nil, err
		}
	}
	p := regexpRows{env: env, n: n, s: arrs[0].(*array.String), pat: arrs[1].(*array.String), pats: &pats}
	switch c.kind {
	case reMatches, reFullMatch:
		return p.matches(arrs)
	case reReplace:
		return p.replace(arrs, opts.global, args[2])
	}
	return p.extract(arrs, group)
}

// patternSource gives each row its compiled pattern: the call site's or
// the batch's constant one, or one per distinct value of a pattern column,
// compiled on first use in the batch.
type patternSource struct {
	fixed *regexp.Regexp
	opts  reOptions
	full  bool
	env   Env
	cache map[string]*regexp.Regexp
}

// maxPatternCache bounds the patterns one batch keeps compiled.
const maxPatternCache = 256

func (p *patternSource) get(pattern []byte) (*regexp.Regexp, error) {
	if p.fixed != nil {
		return p.fixed, nil
	}
	if re, ok := p.cache[string(pattern)]; ok {
		return re, nil
	}
	// Compiling costs about as much as matching the pattern's length.
	if err := p.env.Spend(len(pattern)); err != nil {
		return nil, err
	}
	re, err := compileRegexp(string(pattern), p.opts, p.full)
	if err != nil {
		return nil, err
	}
	if p.cache == nil || len(p.cache) >= maxPatternCache {
		p.cache = map[string]*regexp.Regexp{}
	}
	p.cache[string(pattern)] = re
	return re, nil
}

// regexpRows runs one kernel over a batch.
type regexpRows struct {
	env    Env
	n      int
	s, pat *array.String
	pats   *patternSource
	budget byteBudget
	text   checkedText // reads a long row to the regexp (regexp_checked.go)
}

// row returns row i's string and pattern, or ok false when either is NULL
// (the text under a NULL is not looked at: it may be anything).
func (p *regexpRows) row(i int) (s []byte, re *regexp.Regexp, ok bool, err error) {
	if p.s.IsNull(i) || p.pat.IsNull(i) {
		return nil, nil, false, nil
	}
	s = vector.StringAt(p.s, i)
	if re, err = p.pats.get(vector.StringAt(p.pat, i)); err != nil {
		return nil, nil, false, err
	}
	// Go's regexp scans 10-100 MB/s, tens of times slower than LIKE: a
	// byte counts 32, a check every 2 KiB of text. At four, 'a.*c' over
	// 4000-byte strings (12 MB/s) went 1.4 ms between two checks. A long
	// row spends as the regexp reads it (checkedText).
	if len(s) < longText {
		if err = p.budget.add(p.env, 32*len(s)); err != nil {
			return nil, nil, false, err
		}
	}
	return s, re, true, nil
}

// match reports whether re matches s, a long s through the checked
// reader.
func (p *regexpRows) match(re *regexp.Regexp, s []byte) (bool, error) {
	if len(s) < longText {
		return re.Match(s), nil
	}
	return p.text.match(p.env, re, s)
}

// find returns the leftmost match of re in s with its groups.
func (p *regexpRows) find(re *regexp.Regexp, s []byte) ([]int, error) {
	if len(s) < longText {
		return re.FindSubmatchIndex(s), nil
	}
	return p.text.find(p.env, re, s)
}

// replaceRow appends s to dst with its first match (every match when
// global) replaced by the expansion of tmpl. A long s is searched through
// the checked reader, match by match; when its pattern looks back at the
// text before a match (^, \b), which the reader cannot show a search, in
// one call, its budget spent up front.
func (p *regexpRows) replaceRow(dst []byte, re *regexp.Regexp, s, tmpl []byte, global bool) ([]byte, error) {
	w := replacer{env: p.env, dst: dst, start: len(dst), re: re, s: s, tmpl: tmpl}
	var err error
	switch {
	case !global:
		var loc []int
		if loc, err = p.find(re, s); loc != nil {
			err = w.match(loc)
		}
	case len(s) >= longText:
		var ok bool
		if ok, err = p.text.eachMatch(p.env, re, s, w.match); ok || err != nil {
			break
		}
		if err = p.budget.add(p.env, 32*len(s)); err != nil {
			break
		}
		fallthrough
	default:
		for _, loc := range re.FindAllSubmatchIndex(s, -1) {
			if err = w.match(loc); err != nil {
				break
			}
		}
	}
	if err == nil {
		err = w.finish()
	}
	if err != nil {
		return dst[:w.start], err
	}
	return w.dst, nil
}

func (p *regexpRows) matches(arrs []arrow.Array) (arrow.Array, error) {
	mem := p.env.Alloc()
	vbuf, out := vector.AllocBitmap(mem, p.n)
	for i := 0; i < p.n; i++ {
		s, re, ok, err := p.row(i)
		if err != nil {
			vbuf.Release()
			return nil, err
		}
		if !ok {
			continue
		}
		m, err := p.match(re, s)
		if err != nil {
			vbuf.Release()
			return nil, err
		}
		if m {
			out[i>>3] |= 1 << (i & 7)
		}
	}
	validity, nulls := vector.Validity(mem, p.n, arrs...)
	return vector.NewBoolArray(p.n, validity, nulls, vbuf), nil
}

func (p *regexpRows) replace(arrs []arrow.Array, global bool, rewrite Vec) (arrow.Array, error) {
	reps := arrs[2].(*array.String)
	var constTmpl []byte
	constMax, constOK := 0, false
	if rewrite.IsConst() {
		var t string
		t, constMax, constOK = goTemplate(rewrite.Const.S)
		constTmpl = []byte(t)
	}
	out := newStrOut(p.env, p.n, len(p.s.ValueBytes()))
	for i := 0; i < p.n; i++ {
		s, re, ok, err := p.row(i)
		if err != nil {
			return nil, err
		}
		if !ok || reps.IsNull(i) {
			out.endRow()
			continue
		}
		tmpl, maxGroup, tmplOK := constTmpl, constMax, constOK
		if !rewrite.IsConst() {
			var t string
			t, maxGroup, tmplOK = goTemplate(string(vector.StringAt(reps, i)))
			tmpl = []byte(t)
		}
		if !tmplOK || maxGroup > re.NumSubexp() {
			// RE2 refuses such a rewrite and DuckDB keeps the string.
			out.add(s)
			continue
		}
		before := len(out.data)
		if out.data, err = p.replaceRow(out.data, re, s, tmpl, global); err != nil {
			return nil, err
		}
		out.endRow()
		if err := p.budget.add(p.env, len(out.data)-before); err != nil {
			return nil, err
		}
	}
	validity, nulls := vector.Validity(p.env.Alloc(), p.n, arrs...)
	return out.finish(p.env, validity, nulls)
}

// maxReplaceBytes bounds one regexp_replace result, as repeat's: every
// empty match of a long string may insert a long replacement.
const maxReplaceBytes = maxRepeatBytes

// replacer writes one row with its matches replaced, as they are found.
type replacer struct {
	env        Env
	dst        []byte
	start      int // where the row begins in dst
	prev       int // the end of the last match in s
	re         *regexp.Regexp
	s, tmpl    []byte
	sinceSpend int // matches expanded since the last spend
}

// replaceSpend is how many matches a replacement expands between two
// spends: a global replace of 'b' in a 60 MB row makes 30M of them.
const replaceSpend = 1024

// match writes the text before the match and the match's expansion.
func (w *replacer) match(loc []int) (err error) {
	if w.dst, err = appendChecked(w.env, w.dst, w.s[w.prev:loc[0]]); err != nil {
		return err
	}
	w.dst = w.re.Expand(w.dst, w.tmpl, w.s, loc)
	w.prev = loc[1]
	if len(w.dst)-w.start > maxReplaceBytes {
		return sqlerr.New(sqlerr.ErrInvalidValue, "regexp_replace result larger than %d bytes", maxReplaceBytes)
	}
	if w.sinceSpend++; w.sinceSpend == replaceSpend {
		w.sinceSpend = 0
		return w.env.Spend(replaceSpend)
	}
	return nil
}

// finish writes the text after the last match.
func (w *replacer) finish() (err error) {
	w.dst, err = appendChecked(w.env, w.dst, w.s[w.prev:])
	return err
}

func (p *regexpRows) extract(arrs []arrow.Array, group int) (arrow.Array, error) {
	out := newStrOut(p.env, p.n, p.n*8)
	for i := 0; i < p.n; i++ {
		s, re, ok, err := p.row(i)
		if err != nil {
			return nil, err
		}
		if !ok || group == nullGroup {
			out.endRow()
			continue
		}
		loc, err := p.find(re, s)
		if err != nil {
			return nil, err
		}
		// No match, a group the pattern lacks or one that took no part
		// in the match: '' (DuckDB's answer in all three cases).
		if loc == nil || 2*group+1 >= len(loc) || loc[2*group] < 0 {
			out.endRow()
			continue
		}
		out.add(s[loc[2*group]:loc[2*group+1]])
	}
	validity, nulls := vector.Validity(p.env.Alloc(), p.n, arrs...)
	return out.finish(p.env, validity, nulls)
}

// goTemplate translates a DuckDB replacement, in RE2's rewrite syntax,
// into a template for regexp.Expand: \0 to \9 name the match and its
// groups, \\ is a backslash, and everything else, $ included, is literal.
// maxGroup is the highest group named (0 for none); ok is false when RE2
// would reject the rewrite (a backslash before anything else, or at the
// end).
func goTemplate(rewrite string) (tmpl string, maxGroup int, ok bool) {
	var b strings.Builder
	for i := 0; i < len(rewrite); i++ {
		c := rewrite[i]
		switch c {
		case '$':
			b.WriteString("$$")
		case '\\':
			i++
			if i == len(rewrite) {
				return "", 0, false
			}
			switch d := rewrite[i]; {
			case d >= '0' && d <= '9':
				b.WriteString("${")
				b.WriteByte(d)
				b.WriteByte('}')
				maxGroup = max(maxGroup, int(d-'0'))
			case d == '\\':
				b.WriteByte('\\')
			default:
				return "", 0, false
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), maxGroup, true
}

// byteBudget spends the budget of the bytes a kernel scans, 1 unit per
// 16 bytes, every 64 KiB: a batch of long strings is a long stretch.
type byteBudget struct{ bytes int }

func (b *byteBudget) add(env Env, k int) error {
	b.bytes += k
	if b.bytes < 1<<16 {
		return nil
	}
	units := b.bytes / 16
	b.bytes = 0
	return env.Spend(units)
}
