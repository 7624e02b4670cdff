package parse

import (
	"strings"

	"github.com/minisql/minisql/sqlerr"
)

// frameBound is one bound of a frame as written: its kind, and its offset
// tokens' range for n PRECEDING and n FOLLOWING.
type frameBound struct {
	kind string // "unbounded preceding", "preceding", "current row", ...
	at   int    // its first token
}

// frame plans the edits of the frame clause toks[j:end] (ROWS, RANGE or
// GROUPS up to the window's closing parenthesis) and returns the text to
// put before that parenthesis: the end bound of the short form.
func (w *windowEdits) frame(toks []token, j, end int) (string, error) {
	for _, k := range topLevel(toks, j, end) {
		if toks[k].is("exclude") {
			return "", sqlerr.At(toks[k].start, sqlerr.ErrNotSupported, "EXCLUDE in window frames")
		}
	}
	k := j + 1
	between := toks[k].is("between")
	if between {
		w.replace[k] = ""
		k++
	}
	start, k, err := w.frameBound(toks, k, end)
	if err != nil {
		return "", err
	}
	tail, stop := "", start
	if between {
		if k >= end || !toks[k].is("and") {
			return "", sqlerr.At(toks[min(k, end)].start, sqlerr.ErrSyntax, "BETWEEN in a window frame without AND")
		}
		w.replace[k] = ", "
		if stop, k, err = w.frameBound(toks, k+1, end); err != nil {
			return "", err
		}
	} else {
		stop, tail = frameBound{kind: "current row", at: k}, ", 'current row', 0"
	}
	if k < end {
		return "", sqlerr.At(toks[k].start, sqlerr.ErrSyntax, "unexpected %s in a window frame", toks[k].val)
	}
	return tail, checkFrame(toks, start, stop)
}

// frameBound plans the edits of the bound at toks[k] and returns it and
// the index of the token after it.
func (w *windowEdits) frameBound(toks []token, k, end int) (frameBound, int, error) {
	if k >= end {
		return frameBound{}, k, sqlerr.At(toks[end].start, sqlerr.ErrSyntax, "a window frame without its bound")
	}
	t := toks[k]
	switch {
	case t.is("unbounded") && k+1 < end && (toks[k+1].is("preceding") || toks[k+1].is("following")):
		b := frameBound{kind: "unbounded " + strings.ToLower(toks[k+1].val), at: k}
		w.replace[k], w.replace[k+1] = "'"+b.kind+"', 0", ""
		return b, k + 2, nil
	case t.is("current") && k+1 < end && toks[k+1].is("row"):
		w.replace[k], w.replace[k+1] = "'current row', 0", ""
		return frameBound{kind: "current row", at: k}, k + 2, nil
	}
	// An offset: the expression up to PRECEDING or FOLLOWING.
	for _, m := range topLevel(toks, k, end) {
		if toks[m].is("and") {
			break // a BETWEEN's AND before any direction
		}
		switch {
		case toks[m].is("preceding") || toks[m].is("following"):
			if m == k {
				return frameBound{}, k, sqlerr.At(toks[m].start, sqlerr.ErrSyntax, "%s without an offset in a window frame", strings.ToUpper(toks[m].val))
			}
			b := frameBound{kind: strings.ToLower(toks[m].val), at: k}
			w.before[k] += "'" + b.kind + "', "
			w.replace[m] = ""
			return b, m + 1, nil
		}
	}
	return frameBound{}, k, sqlerr.At(t.start, sqlerr.ErrSyntax, "a window frame bound must be UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING or UNBOUNDED FOLLOWING")
}

// checkFrame rejects the frames whose start comes after their end by
// their kinds alone, with DuckDB's (and PostgreSQL's) messages.
func checkFrame(toks []token, start, stop frameBound) error {
	switch {
	case start.kind == "unbounded following":
		return sqlerr.At(toks[start.at].start, sqlerr.ErrSyntax, "frame start cannot be UNBOUNDED FOLLOWING")
	case stop.kind == "unbounded preceding":
		return sqlerr.At(toks[stop.at].start, sqlerr.ErrSyntax, "frame end cannot be UNBOUNDED PRECEDING")
	case start.kind == "current row" && stop.kind == "preceding":
		return sqlerr.At(toks[stop.at].start, sqlerr.ErrSyntax, "frame starting from current row cannot have preceding rows")
	case start.kind == "following" && (stop.kind == "preceding" || stop.kind == "current row"):
		return sqlerr.At(toks[start.at].start, sqlerr.ErrSyntax, "frame starting from following row cannot have preceding rows")
	}
	return nil
}
