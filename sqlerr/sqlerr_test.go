package sqlerr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var allKinds = []error{
	ErrSyntax, ErrNotSupported, ErrUnknownTable, ErrUnknownColumn, ErrAmbiguous, ErrUnknownFunc,
	ErrType, ErrTableExists, ErrDivisionByZero, ErrOverflow, ErrInvalidValue, ErrInvalidSetting,
	ErrIO, ErrMemoryLimit, ErrInternal,
}

func TestConstructors(t *testing.T) {
	cause := io.ErrUnexpectedEOF
	cases := []struct {
		name string
		err  *Error
		kind error
		msg  string
		pos  int
	}{
		{"New", New(ErrUnknownTable, "table %q", "t"), ErrUnknownTable, `unknown table: table "t"`, NoPos},
		{"New without detail", New(ErrDivisionByZero, ""), ErrDivisionByZero, "division by zero", NoPos},
		{"At", At(12, ErrSyntax, "at or near %q", "oder"), ErrSyntax, `syntax error: at or near "oder"`, 12},
		{"At zero", At(0, ErrSyntax, "empty statement"), ErrSyntax, "syntax error: empty statement", 0},
		{"Wrap", Wrap(ErrIO, cause, "reading %s", "x.parquet"), ErrIO, "i/o error: reading x.parquet", NoPos},
		{"NotSupported", NotSupported("window functions"), ErrNotSupported, "not supported: window functions", NoPos},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.msg, c.err.Error())
			assert.Equal(t, c.pos, Position(c.err))
			assert.ErrorIs(t, c.err, c.kind)
			for _, other := range allKinds {
				if other != c.kind {
					assert.NotErrorIs(t, c.err, other)
				}
			}
		})
	}
	w := Wrap(ErrIO, cause, "reading")
	assert.ErrorIs(t, w, cause, "Wrap keeps the cause reachable")
	assert.Equal(t, cause, errors.Unwrap(w))
	assert.Nil(t, errors.Unwrap(New(ErrIO, "x")))
}

func TestKindsAreDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range allKinds {
		assert.False(t, seen[k.Error()], "duplicate kind text %q", k)
		seen[k.Error()] = true
	}
}

// Kinds survive wrapping by fmt.Errorf and sit next to context errors.
func TestErrorsIsThroughWrapping(t *testing.T) {
	e := At(3, ErrOverflow, "in sum")
	wrapped := fmt.Errorf("query 2: %w", e)
	assert.ErrorIs(t, wrapped, ErrOverflow)
	assert.Equal(t, 3, Position(wrapped))

	cancelled := Wrap(ErrIO, context.Canceled, "reading")
	assert.ErrorIs(t, cancelled, context.Canceled)
	assert.ErrorIs(t, cancelled, ErrIO)

	assert.Equal(t, NoPos, Position(errors.New("plain")))
	assert.Equal(t, NoPos, Position(nil))
}

func TestWithPos(t *testing.T) {
	e := New(ErrUnknownColumn, "x")
	got := WithPos(e, 7)
	assert.Same(t, e, got)
	assert.Equal(t, 7, Position(got))

	// A position already set is kept: the innermost, most precise one wins.
	assert.Equal(t, 7, Position(WithPos(e, 99)))

	wrapped := fmt.Errorf("binding: %w", New(ErrType, "y"))
	assert.Equal(t, 4, Position(WithPos(wrapped, 4)))
	assert.Equal(t, "binding: type error: y", WithPos(wrapped, 4).Error())

	plain := errors.New("plain")
	assert.Same(t, plain, WithPos(plain, 1))
	assert.Nil(t, WithPos(nil, 1))
}

func TestWithOffset(t *testing.T) {
	e := At(5, ErrSyntax, "here")
	shifted := WithOffset(e, 100)
	assert.Equal(t, 105, Position(shifted))
	assert.Equal(t, 5, Position(e), "the original error is not modified")
	assert.ErrorIs(t, shifted, ErrSyntax)
	assert.Equal(t, e.Error(), shifted.Error())

	assert.Same(t, e, WithOffset(e, 0), "a zero offset changes nothing")
	noPos := New(ErrSyntax, "nowhere")
	assert.Same(t, noPos, WithOffset(noPos, 10), "an error without a position keeps none")
	plain := errors.New("plain")
	assert.Same(t, plain, WithOffset(plain, 10))
	assert.Nil(t, WithOffset(nil, 10))

	// Twice (statement in a script in a file): offsets add up.
	assert.Equal(t, 115, Position(WithOffset(WithOffset(e, 100), 10)))
}

// Shifting the position of a wrapped *Error keeps the wrapper: its text
// and whatever else it carries.
func TestWithOffsetKeepsWrappers(t *testing.T) {
	cause := context.Canceled
	inner := &Error{Kind: ErrIO, Msg: "read", Pos: 2, Err: cause}
	wrapped := fmt.Errorf("statement 3: %w", inner)
	shifted := WithOffset(wrapped, 40)
	assert.Equal(t, "statement 3: i/o error: read", shifted.Error())
	assert.Equal(t, 42, Position(shifted))
	assert.Equal(t, 2, Position(wrapped), "the original chain is not modified")
	assert.ErrorIs(t, shifted, ErrIO)
	assert.ErrorIs(t, shifted, context.Canceled)
	var e *Error
	require.ErrorAs(t, shifted, &e)
	assert.Equal(t, 42, e.Pos)
	assert.Equal(t, 50, Position(WithOffset(shifted, 8)))
	assert.Equal(t, "statement 3: i/o error: read", WithOffset(shifted, 8).Error())
	// WithPos on the shifted error sees the shifted position as set.
	assert.Equal(t, 42, Position(WithPos(shifted, 1)))
}
