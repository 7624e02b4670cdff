package csvsrc

import (
	"fmt"
	"strconv"

	"github.com/minisql/minisql/sqlerr"
)

// where describes a position in a file for error messages: the physical
// line when known, else a byte offset.
type where struct {
	line int64 // 1-based; 0 when unknown
	off  int64 // byte offset of the record, used when line is unknown
}

func (w where) String() string {
	if w.line > 0 {
		return fmt.Sprintf("line %d", w.line)
	}
	return fmt.Sprintf("near byte offset %d", w.off)
}

// invalidf returns an ErrInvalidValue error located in file path.
func invalidf(path string, at where, format string, args ...any) error {
	return sqlerr.New(sqlerr.ErrInvalidValue, "csv file %q, %s: %s", path, at, fmt.Sprintf(format, args...))
}

// ioError wraps an I/O failure on file path.
func ioError(path string, err error, what string) error {
	return sqlerr.Wrap(sqlerr.ErrIO, err, "csv file %q: %s: %v", path, what, err)
}

// quoteValue renders a field's text for an error message, shortened.
func quoteValue(b []byte) string {
	const max = 40
	if len(b) > max {
		return fmt.Sprintf("%q...", b[:max])
	}
	return fmt.Sprintf("%q", b)
}

// statusText explains a scanner error status.
func statusText(st scanStatus, quote byte) string {
	switch st {
	case scanUnterminated:
		return fmt.Sprintf("unterminated quoted field (no closing %c before the end of the file)", quote)
	case scanAfterQuote:
		return fmt.Sprintf("unexpected character after a closing %c (a quoted field must be followed by the delimiter or a line end)", quote)
	case scanTooMany:
		return "too many fields"
	}
	return "malformed record"
}

func itoa(n int) string { return strconv.Itoa(n) }
