package expr

import (
	"io"
	"regexp"
	"regexp/syntax"
	"unicode/utf8"
)

// Go's regexp cannot be stopped inside a call, and over one long string a
// call is long: 'a.*c' runs at 5-12 MB/s, so a 4000-byte row took 0.8 ms
// and a 50 MB one 1.5 s, none of it cancellable. From longText bytes on,
// a row is matched through its io.RuneReader forms instead, reading the
// string a rune at a time from a reader that spends the budget as it
// goes: a check every readPiece bytes, inside the match. A cancelled
// reader reports the end of the text, and the kernel returns the cause.

const (
	// longText is the shortest string matched through a checked reader.
	// Below it a row is matched by the regexp's own []byte forms, which
	// for short inputs use a backtracker about 1.3x as fast as the
	// reader's automaton (rows of 4000 bytes: 1.84 s against 2.40 s for
	// 20K rows); at 8 KiB a row is a millisecond at the regexp's slowest.
	longText = 8 << 10
	// readPiece is how much text the reader lets the regexp read between
	// two spends, and spentPiece what it spends then: the two units a
	// byte that the rows below longText pay up front (regexpRows.row).
	readPiece  = 2 << 10
	spentPiece = 2 * readPiece
)

// checkedText is a string read by a regexp, which spends env's budget
// every readPiece bytes read. What it read but has not paid for carries
// over to the next search (a global replace searches once a match).
type checkedText struct {
	env    Env
	s      []byte
	pos    int
	unpaid int // bytes read since the last spend
	err    error
}

// reset starts reading s; the bytes read and not yet paid for stay owed.
func (r *checkedText) reset(env Env, s []byte) {
	*r = checkedText{env: env, s: s, unpaid: r.unpaid}
}

// ReadRune implements io.RuneReader.
func (r *checkedText) ReadRune() (rune, int, error) {
	if r.err != nil {
		return 0, 0, r.err
	}
	if r.unpaid >= readPiece {
		if err := r.env.Spend(spentPiece); err != nil {
			r.err = err
			return 0, 0, err
		}
		r.unpaid -= readPiece
	}
	if r.pos >= len(r.s) {
		return 0, 0, io.EOF
	}
	c, n := rune(r.s[r.pos]), 1
	if c >= utf8.RuneSelf {
		c, n = utf8.DecodeRune(r.s[r.pos:])
	}
	r.pos += n
	r.unpaid += n
	return c, n, nil
}

// match reports whether re matches s.
func (r *checkedText) match(env Env, re *regexp.Regexp, s []byte) (bool, error) {
	r.reset(env, s)
	ok := re.MatchReader(r)
	return ok && r.err == nil, r.err
}

// find returns the leftmost match of re in s and its groups, as
// re.FindSubmatchIndex does.
func (r *checkedText) find(env Env, re *regexp.Regexp, s []byte) ([]int, error) {
	r.reset(env, s)
	loc := re.FindReaderSubmatchIndex(r)
	if r.err != nil {
		return nil, r.err
	}
	return loc, nil
}

// eachMatch calls fn on every match of re in s, in order, as
// re.FindAllSubmatchIndex(s, -1) finds them, each search from where the
// last left off. A search that starts inside s sees no text before it,
// so this serves only patterns whose matches do not look back
// (startFree); for the others it returns ok false and calls fn on none.
func (r *checkedText) eachMatch(env Env, re *regexp.Regexp, s []byte, fn func(loc []int) error) (ok bool, err error) {
	if !startFree(re) {
		return false, nil
	}
	prevEnd := -1
	for pos := 0; pos <= len(s); {
		loc, err := r.find(env, re, s[pos:])
		if err != nil || loc == nil {
			return true, err
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += pos
			}
		}
		accept := true
		if loc[1] == pos { // an empty match, at pos
			// Not right after the previous match; and the next search
			// starts a rune on (regexp's own rule for All).
			accept = loc[0] != prevEnd
			_, n := utf8.DecodeRune(s[pos:])
			pos += max(n, 1)
		} else {
			pos = loc[1]
		}
		prevEnd = loc[1]
		if accept {
			if err := fn(loc); err != nil {
				return true, err
			}
		}
	}
	return true, nil
}

// startFree reports whether re's matches never depend on the text before
// where a search starts: it has no ^, \A, \b or \B, whose answer at the
// start of a searched slice would differ from the one in the whole text.
func startFree(re *regexp.Regexp) bool {
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return false
	}
	var free func(*syntax.Regexp) bool
	free = func(t *syntax.Regexp) bool {
		switch t.Op {
		case syntax.OpBeginLine, syntax.OpBeginText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
			return false
		}
		for _, s := range t.Sub {
			if !free(s) {
				return false
			}
		}
		return true
	}
	return free(t)
}
