package parse

import (
	"strconv"

	"github.com/minisql/minisql/sqlerr"
)

// valueKind is the kind of a constant argument of a file call.
type valueKind uint8

const (
	kindString valueKind = iota
	kindInt
	kindBool
	kindList
	kindStruct
)

func (k valueKind) String() string {
	return [...]string{"a string", "an integer", "a boolean", "a list", "a struct"}[k]
}

// value is a constant argument: a string, an integer (kept as its text),
// a boolean, a list or a struct; pos is its offset in the call's text.
type value struct {
	kind   valueKind
	str    string
	b      bool
	list   []value
	fields []field
	pos    int
}

type field struct {
	name string
	val  value
}

// option is one name = value argument.
type option struct {
	name string
	pos  int
	val  value
}

func typeErr(fn string, opt string, want string, v value) error {
	return sqlerr.At(v.pos, sqlerr.ErrType, "%s option %s takes %s, not %s", fn, opt, want, v.kind)
}

// str is a string-valued option.
func (v value) string(fn, opt string) (string, error) {
	if v.kind != kindString {
		return "", typeErr(fn, opt, "a string", v)
	}
	return v.str, nil
}

// strings is a string or a list of strings.
func (v value) strings(fn, opt string) ([]string, error) {
	if v.kind == kindString {
		return []string{v.str}, nil
	}
	if v.kind != kindList {
		return nil, typeErr(fn, opt, "a string or a list of strings", v)
	}
	out := make([]string, 0, len(v.list))
	for _, e := range v.list {
		if e.kind != kindString {
			return nil, typeErr(fn, opt, "a list of strings", e)
		}
		out = append(out, e.str)
	}
	return out, nil
}

// boolean accepts true and false, and 1 and 0 as DuckDB does.
func (v value) boolean(fn, opt string) (bool, error) {
	switch {
	case v.kind == kindBool:
		return v.b, nil
	case v.kind == kindInt && (v.str == "0" || v.str == "1"):
		return v.str == "1", nil
	}
	return false, typeErr(fn, opt, "a boolean", v)
}

// count is a non-negative integer.
func (v value) count(fn, opt string) (int, error) {
	if v.kind != kindInt {
		return 0, typeErr(fn, opt, "an integer", v)
	}
	n, err := strconv.Atoi(v.str)
	if err != nil || n < 0 {
		return 0, sqlerr.At(v.pos, sqlerr.ErrInvalidValue, "%s option %s must be a non-negative integer, not %s", fn, opt, v.str)
	}
	return n, nil
}
