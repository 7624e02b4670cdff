package parse

import (
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// FileCall is a table function over files in FROM, as DuckDB writes them:
// read_csv('dir/*.csv', delim = '|', header = true), read_csv_auto(...),
// read_parquet(['a.parquet', 'b.parquet']). The pre-lexer checks the call
// (pointing at the offending argument) and hands the call's text to
// sqlparser as a back-quoted table name; the catalog parses it again with
// ParseFileCall, which cannot fail then.
type FileCall struct {
	Func  string   // read_csv, read_csv_auto or read_parquet
	Paths []string // paths or glob patterns, at least one
	// Options are the names of the options given, as written.
	Options []string
	CSV     CSVArgs // the options of read_csv and read_csv_auto
}

// IsFileFunc reports whether name is one of the file table functions.
func IsFileFunc(name string) bool {
	switch strings.ToLower(name) {
	case "read_csv", "read_csv_auto", "read_parquet":
		return true
	}
	return false
}

// LooksLikeFileCall reports whether a table name is the text of a file
// table function call (what the pre-lexer makes of one).
func LooksLikeFileCall(name string) bool {
	open := strings.IndexByte(name, '(')
	return open > 0 && IsFileFunc(strings.TrimSpace(name[:open])) && strings.HasSuffix(strings.TrimSpace(name), ")")
}

// ParseFileCall parses the text of a file table function call. Errors are
// positioned in text.
func ParseFileCall(text string) (*FileCall, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	if len(toks) < 3 || !IsFileFunc(toks[0].val) || toks[0].typ == sqlparser.STRING || !toks[1].isChar('(') {
		return nil, sqlerr.At(0, sqlerr.ErrSyntax, "expected read_csv(...), read_csv_auto(...) or read_parquet(...)")
	}
	end := matching(toks, 1)
	if end < 0 {
		return nil, sqlerr.At(toks[1].start, sqlerr.ErrSyntax, "%s without a closing parenthesis", toks[0].val)
	}
	if end != len(toks)-1 {
		return nil, sqlerr.At(toks[end+1].start, sqlerr.ErrSyntax, "unexpected %q after %s(...)", toks[end+1].val, toks[0].val)
	}
	p := &argParser{toks: toks[:end], i: 2, fn: strings.ToLower(toks[0].val), end: toks[end].start}
	call := &FileCall{Func: p.fn, CSV: CSVArgs{AutoDetect: true}}
	if p.at().isChar(')') || p.i >= len(p.toks) {
		return nil, sqlerr.At(p.pos(), sqlerr.ErrSyntax, "%s needs a file path", p.fn)
	}
	first, err := p.value()
	if err != nil {
		return nil, err
	}
	if call.Paths, err = first.strings(p.fn, "path"); err != nil {
		return nil, err
	}
	if len(call.Paths) == 0 {
		return nil, sqlerr.At(first.pos, sqlerr.ErrInvalidValue, "%s needs at least one file path", p.fn)
	}
	seen := map[string]bool{}
	for p.i < len(p.toks) {
		if !p.at().isChar(',') {
			return nil, sqlerr.At(p.pos(), sqlerr.ErrSyntax, "expected a comma between the arguments of %s", p.fn)
		}
		p.i++
		opt, err := p.option()
		if err != nil {
			return nil, err
		}
		if seen[canonicalOption(opt.name)] {
			return nil, sqlerr.At(opt.pos, sqlerr.ErrInvalidValue, "%s option %s given twice", p.fn, opt.name)
		}
		seen[canonicalOption(opt.name)] = true
		call.Options = append(call.Options, opt.name)
		if p.fn == "read_parquet" {
			return nil, sqlerr.At(opt.pos, sqlerr.ErrNotSupported, "%s option %q", p.fn, opt.name)
		}
		if err := call.CSV.set(p.fn, opt); err != nil {
			return nil, err
		}
	}
	if err := call.CSV.check(p.fn, seen, p.end); err != nil {
		return nil, err
	}
	return call, nil
}

// argParser reads the arguments of a file call: toks ends before the
// closing parenthesis, at offset end.
type argParser struct {
	toks []token
	i    int
	fn   string
	end  int
}

func (p *argParser) at() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return token{typ: -1, start: p.end}
}

func (p *argParser) pos() int { return p.at().start }

// option reads name = value.
func (p *argParser) option() (option, error) {
	t := p.at()
	if t.typ == sqlparser.STRING || !isWord(t.val) {
		return option{}, sqlerr.At(t.start, sqlerr.ErrSyntax, "expected an option name (name = value) in %s", p.fn)
	}
	p.i++
	if !p.at().isChar('=') {
		return option{}, sqlerr.At(p.pos(), sqlerr.ErrSyntax, "expected = after %s option %s", p.fn, t.val)
	}
	p.i++
	v, err := p.value()
	if err != nil {
		return option{}, err
	}
	return option{name: strings.ToLower(t.val), pos: t.start, val: v}, nil
}

// value reads a literal: a string, an integer, a boolean, a list [...] or
// a struct {'name': value, ...}.
func (p *argParser) value() (value, error) {
	t := p.at()
	v := value{pos: t.start}
	switch {
	case t.typ == sqlparser.STRING:
		v.kind, v.str = kindString, t.val
	case t.typ == sqlparser.INTEGRAL, t.isChar('-') && p.i+1 < len(p.toks) && p.toks[p.i+1].typ == sqlparser.INTEGRAL:
		v.kind = kindInt
		if t.isChar('-') {
			p.i++
			v.str = "-" + p.at().val
		} else {
			v.str = t.val
		}
	case t.typ == sqlparser.TRUE, t.typ == sqlparser.FALSE:
		v.kind, v.b = kindBool, t.typ == sqlparser.TRUE
	case t.isChar('['):
		return p.list()
	case t.isChar('{'):
		return p.structValue()
	case t.typ == -1:
		return v, sqlerr.At(t.start, sqlerr.ErrSyntax, "expected a value before the end of %s(...)", p.fn)
	default:
		return v, sqlerr.At(t.start, sqlerr.ErrNotSupported, "%q as an argument of %s (constants only: strings, numbers, booleans, [lists] and {structs})", t.val, p.fn)
	}
	p.i++
	return v, nil
}

func (p *argParser) list() (value, error) {
	v := value{kind: kindList, pos: p.pos()}
	p.i++ // [
	for !p.at().isChar(']') {
		if len(v.list) > 0 {
			if !p.at().isChar(',') {
				return v, sqlerr.At(p.pos(), sqlerr.ErrSyntax, "expected , or ] in a list")
			}
			p.i++
		}
		e, err := p.value()
		if err != nil {
			return v, err
		}
		v.list = append(v.list, e)
	}
	p.i++ // ]
	return v, nil
}

func (p *argParser) structValue() (value, error) {
	v := value{kind: kindStruct, pos: p.pos()}
	p.i++ // {
	for !p.at().isChar('}') {
		if len(v.fields) > 0 {
			if !p.at().isChar(',') {
				return v, sqlerr.At(p.pos(), sqlerr.ErrSyntax, "expected , or } in a struct")
			}
			p.i++
		}
		k := p.at()
		if k.typ != sqlparser.STRING && (k.typ == -1 || !isWord(k.val)) {
			return v, sqlerr.At(k.start, sqlerr.ErrSyntax, "expected a field name in a struct")
		}
		p.i++
		if !p.at().isChar(':') {
			return v, sqlerr.At(p.pos(), sqlerr.ErrSyntax, "expected : after the struct field %s", k.val)
		}
		p.i++
		e, err := p.value()
		if err != nil {
			return v, err
		}
		v.fields = append(v.fields, field{name: k.val, val: e})
	}
	p.i++ // }
	return v, nil
}

// isWord reports whether s is a plain identifier (option and field names).
func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// rewriteFileCall checks the file call at toks[i] and emits its text as a
// back-quoted table name, which the catalog opens (ParseFileCall). It
// returns the index of the call's closing parenthesis.
func (r *rewriter) rewriteFileCall(i int) (int, error) {
	t := r.toks[i]
	end := matching(r.toks, i+1)
	if end < 0 {
		return 0, sqlerr.At(t.start, sqlerr.ErrSyntax, "%s without a closing parenthesis", strings.ToLower(t.val))
	}
	text := r.src[t.start:r.toks[end].end]
	if _, err := ParseFileCall(text); err != nil {
		return 0, sqlerr.WithOffset(err, t.start)
	}
	r.w.emit("`"+strings.ReplaceAll(text, "`", "``")+"`", t.start)
	return end, nil
}

// checkBrackets rejects the list and struct brackets and colons the lexer
// lets through everywhere but in the arguments of a file call, with the
// errors they always had.
func checkBrackets(src string, toks []token) error {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.typ != sqlparser.STRING && IsFileFunc(t.val) && i+1 < len(toks) && toks[i+1].isChar('(') {
			if end := matching(toks, i+1); end > 0 {
				i = end
				continue
			}
		}
		if t.isChar('[') || t.isChar(']') || t.isChar('{') || t.isChar('}') || t.isChar(':') {
			return lexError(src, t.start)
		}
	}
	return nil
}
