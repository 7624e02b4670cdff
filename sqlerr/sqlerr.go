// Package sqlerr defines the error kinds every layer of minisql reports.
//
// Callers match kinds with errors.Is, never on message text:
//
//	if errors.Is(err, sqlerr.ErrNotSupported) { ... }
//
// An *Error may carry a byte offset into the SQL text, which front ends use
// to draw a caret under the offending token.
package sqlerr

import (
	"errors"
	"fmt"
)

// Error kinds. The message of an *Error starts with its kind's text.
var (
	ErrSyntax         = errors.New("syntax error")
	ErrNotSupported   = errors.New("not supported")
	ErrUnknownTable   = errors.New("unknown table")
	ErrUnknownColumn  = errors.New("unknown column")
	ErrAmbiguous      = errors.New("ambiguous column")
	ErrUnknownFunc    = errors.New("unknown function")
	ErrType           = errors.New("type error")
	ErrTableExists    = errors.New("table already exists")
	ErrDivisionByZero = errors.New("division by zero")
	ErrOverflow       = errors.New("overflow")
	ErrInvalidValue   = errors.New("invalid value")
	ErrInvalidSetting = errors.New("invalid setting")
	ErrIO             = errors.New("i/o error")
	ErrMemoryLimit    = errors.New("memory limit exceeded")
	ErrInternal       = errors.New("internal error")
)

// NoPos marks an error that has no position in the SQL text.
const NoPos = -1

// Error is a minisql error of a given kind.
type Error struct {
	Kind error  // one of the Err* kinds above
	Msg  string // the detail after the kind, e.g. `column "x" in SELECT list`
	Pos  int    // byte offset in the SQL text, or NoPos
	Err  error  // the underlying cause, if any
}

func (e *Error) Error() string {
	if e.Msg == "" {
		return e.Kind.Error()
	}
	return e.Kind.Error() + ": " + e.Msg
}

// Is makes errors.Is(err, kind) true for the error's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind with a formatted detail message.
func New(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Pos: NoPos}
}

// At returns an error of the given kind at a position in the SQL text.
func At(pos int, kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Pos: pos}
}

// Wrap returns an error of the given kind wrapping cause.
func Wrap(kind error, cause error, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Pos: NoPos, Err: cause}
}

// NotSupported returns the error for an SQL construct minisql does not
// implement: "not supported: <construct>".
func NotSupported(format string, args ...any) *Error {
	return New(ErrNotSupported, format, args...)
}

// Position returns the SQL text position carried by err, or NoPos.
func Position(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Pos
	}
	return NoPos
}

// WithPos sets the position of err if it is an *Error without one.
func WithPos(err error, pos int) error {
	var e *Error
	if errors.As(err, &e) && e.Pos == NoPos {
		e.Pos = pos
	}
	return err
}

// WithOffset shifts the position of err by off (the offset of a statement
// within a script). It returns err unchanged if it has no position. The
// *Error is copied, never modified, and wrappers around it are kept.
func WithOffset(err error, off int) error {
	var e *Error
	if off != 0 && errors.As(err, &e) && e.Pos >= 0 {
		c := *e
		c.Pos += off
		if err == error(e) {
			return &c
		}
		return &shifted{err: err, e: &c}
	}
	return err
}

// shifted is an error chain whose *Error has been replaced by a copy at
// another position: the chain's text and causes are those of err, and
// errors.As finds the copy first.
type shifted struct {
	err error
	e   *Error
}

func (s *shifted) Error() string { return s.err.Error() }
func (s *shifted) Unwrap() error { return s.err }

// As hands out the shifted copy for a **Error target.
func (s *shifted) As(target any) bool {
	if p, ok := target.(**Error); ok {
		*p = s.e
		return true
	}
	return false
}
