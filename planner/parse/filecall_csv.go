package parse

import (
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// CSVArgs are read_csv's options, with DuckDB's names. Zero values mean
// "not given" (detect, or the default).
type CSVArgs struct {
	Header      *bool    // header = true|false
	Delim       byte     // delim or sep
	Quote       byte     // quote
	NoQuote     bool     // quote = ''
	Escape      byte     // escape
	NullStr     []string // nullstr = 'NA' or ['NA', '-']; nil: not given
	Skip        int      // skip = n: lines before the header
	Columns     []Column // columns = {'a': 'INTEGER', ...}: every column
	Names       []string // names or column_names: the first columns' names
	Types       []types.T
	TypesByName []Column // types = {'a': 'DOUBLE'}: some columns' types
	AutoDetect  bool     // auto_detect (default true)
	AllVarchar  bool     // all_varchar
}

// Column is a named column type.
type Column struct {
	Name string
	Type types.T
}

// canonicalOption maps DuckDB's aliases to one name per option.
func canonicalOption(name string) string {
	switch name {
	case "sep":
		return "delim"
	case "column_names":
		return "names"
	case "column_types", "dtypes":
		return "types"
	}
	return name
}

// set applies one option, checking its value's type.
func (a *CSVArgs) set(fn string, o option) error {
	var err error
	v := o.val
	switch canonicalOption(o.name) {
	case "header":
		var h bool
		h, err = v.boolean(fn, o.name)
		a.Header = &h
	case "delim":
		a.Delim, err = v.char(fn, o.name)
		if err == nil && a.Delim == 0 {
			err = sqlerr.At(v.pos, sqlerr.ErrInvalidValue, "%s option %s cannot be empty", fn, o.name)
		}
	case "quote":
		a.Quote, err = v.char(fn, o.name)
		a.NoQuote = err == nil && a.Quote == 0
	case "escape":
		a.Escape, err = v.char(fn, o.name)
	case "nullstr":
		a.NullStr, err = v.strings(fn, o.name)
		if err == nil && a.NullStr == nil {
			a.NullStr = []string{}
		}
	case "skip":
		a.Skip, err = v.count(fn, o.name)
	case "columns":
		if v.kind != kindStruct {
			return typeErr(fn, o.name, "a struct {'name': 'TYPE', ...}", v)
		}
		a.Columns, err = v.columns(fn, o.name)
		if err == nil && len(a.Columns) == 0 {
			err = sqlerr.At(v.pos, sqlerr.ErrInvalidValue, "%s option %s needs at least one column", fn, o.name)
		}
	case "names":
		if v.kind != kindList {
			return typeErr(fn, o.name, "a list of strings", v)
		}
		a.Names, err = v.strings(fn, o.name)
	case "types":
		switch v.kind {
		case kindStruct:
			a.TypesByName, err = v.columns(fn, o.name)
		case kindList:
			a.Types, err = v.typeList(fn, o.name)
		default:
			return typeErr(fn, o.name, "a list of type names or a struct {'name': 'TYPE'}", v)
		}
	case "auto_detect":
		a.AutoDetect, err = v.boolean(fn, o.name)
	case "all_varchar":
		a.AllVarchar, err = v.boolean(fn, o.name)
	default:
		// dateformat, timestampformat, compression, ...: named, not guessed at.
		return sqlerr.At(o.pos, sqlerr.ErrNotSupported, "%s option %q", fn, o.name)
	}
	return err
}

// check rejects combinations that have no meaning; end is the offset of
// the call's closing parenthesis.
func (a *CSVArgs) check(fn string, seen map[string]bool, end int) error {
	if a.Columns != nil && (seen["names"] || seen["types"]) {
		return sqlerr.At(end, sqlerr.ErrInvalidValue, "%s option columns gives names and types: it cannot be combined with names or types", fn)
	}
	if !a.AutoDetect && a.Columns == nil {
		return sqlerr.At(end, sqlerr.ErrInvalidValue, "%s with auto_detect = false needs the columns option", fn)
	}
	return nil
}

// char is a one-byte string option; ” is 0, and '\t' is a tab as in
// DuckDB.
func (v value) char(fn, opt string) (byte, error) {
	s, err := v.string(fn, opt)
	if err != nil {
		return 0, err
	}
	switch {
	case s == "":
		return 0, nil
	case s == `\t`:
		return '\t', nil
	case len(s) > 1:
		return 0, sqlerr.At(v.pos, sqlerr.ErrNotSupported, "%s option %s of more than one byte (%q)", fn, opt, s)
	case s == "\n" || s == "\r":
		return 0, sqlerr.At(v.pos, sqlerr.ErrInvalidValue, "%s option %s cannot be a line break", fn, opt)
	}
	return s[0], nil
}

// columns reads a struct of column names and type names.
func (v value) columns(fn, opt string) ([]Column, error) {
	out := make([]Column, 0, len(v.fields))
	seen := map[string]bool{}
	for _, f := range v.fields {
		t, err := f.val.typeName(fn, opt)
		if err != nil {
			return nil, err
		}
		if seen[f.name] {
			return nil, sqlerr.At(f.val.pos, sqlerr.ErrInvalidValue, "%s option %s names column %q twice", fn, opt, f.name)
		}
		seen[f.name] = true
		out = append(out, Column{Name: f.name, Type: t})
	}
	return out, nil
}

func (v value) typeList(fn, opt string) ([]types.T, error) {
	out := make([]types.T, 0, len(v.list))
	for _, e := range v.list {
		t, err := e.typeName(fn, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// typeName is a string naming a column type ('INTEGER', 'DECIMAL(10,2)').
func (v value) typeName(fn, opt string) (types.T, error) {
	s, err := v.string(fn, opt)
	if err != nil {
		return types.T{}, err
	}
	t, err := types.Parse(s)
	if err != nil {
		return types.T{}, sqlerr.At(v.pos, sqlerr.ErrType, "%s option %s: %v", fn, opt, err)
	}
	return t, nil
}
