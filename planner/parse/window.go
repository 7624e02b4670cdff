package parse

import (
	"strings"

	"github.com/minisql/minisql/sqlerr"
)

// Window calls. sqlparser knows no OVER clause, so the pre-lexer turns
//
//	f(args) OVER (PARTITION BY p1, p2 ORDER BY o1 DESC, o2 NULLS FIRST)
//
// into a call it parses:
//
//	__over(f(args), __partition(p1, p2), __order(o1, 'desc', o2, 'asc nulls first'))
//
// Each ORDER BY item is followed by its direction, always spelled out. A
// frame comes last, each bound as its kind and its offset (0 when it has
// none; window_frame.go):
//
//	ROWS BETWEEN 2 PRECEDING AND CURRENT ROW
//	__frame('rows', 'preceding', 2, 'current row', 0)
// The expressions in between go through the rewriter like any other.

// windowEdits are the token edits of the window calls of a token range:
// text to emit before a token, and text to emit instead of one ("" drops
// it).
type windowEdits struct {
	before  map[int]string
	replace map[int]string
}

// overMarker and friends are the names of the rewritten calls.
const (
	overMarker      = "__over"
	partitionMarker = "__partition"
	orderMarker     = "__order"
	frameMarker     = "__frame"
)

// windowCalls finds the window calls of toks.
func windowCalls(toks []token) (windowEdits, error) {
	var w windowEdits
	for i := 1; i+1 < len(toks); i++ {
		if !toks[i].is("over") || !toks[i+1].isChar('(') {
			continue
		}
		if !toks[i-1].isChar(')') {
			return w, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "OVER must follow a function call")
		}
		open := matchingBack(toks, i-1)
		if open >= 2 && toks[open-1].is("filter") && toks[open-2].isChar(')') {
			// f(x) FILTER (WHERE c) OVER (...): the call is before the
			// FILTER clause, which the rewriter folds into its argument.
			open = matchingBack(toks, open-2)
		}
		if open < 1 {
			return w, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "OVER must follow a function call")
		}
		end := matching(toks, i+1)
		if end < 0 {
			return w, sqlerr.At(toks[i+1].start, sqlerr.ErrSyntax, "OVER ( without a closing parenthesis")
		}
		if w.before == nil {
			w.before, w.replace = map[int]string{}, map[int]string{}
		}
		w.before[open-1] += overMarker + "("
		w.replace[i], w.replace[i+1] = "", ""
		if err := w.spec(toks, i+1, end); err != nil {
			return w, err
		}
	}
	return w, nil
}

// spec plans the edits of the window specification toks[open:end+1].
func (w *windowEdits) spec(toks []token, open, end int) error {
	partition, order, frame := -1, -1, -1
	for _, j := range topLevel(toks, open+1, end) {
		if frame >= 0 {
			break // the frame runs to the end
		}
		t := toks[j]
		switch {
		case t.is("partition") && toks[j+1].is("by"):
			if partition >= 0 || order >= 0 {
				return sqlerr.At(t.start, sqlerr.ErrSyntax, "PARTITION BY must come first in a window, once")
			}
			partition = j
		case t.is("order") && toks[j+1].is("by"):
			if order >= 0 {
				return sqlerr.At(t.start, sqlerr.ErrSyntax, "ORDER BY twice in a window")
			}
			order = j
		case (t.is("rows") || t.is("range") || t.is("groups")) && frameAt(toks, j, end):
			frame = j
		case partition < 0 && order < 0:
			return sqlerr.At(t.start, sqlerr.ErrSyntax, "unexpected %s in a window specification (PARTITION BY, ORDER BY or a frame)", t.val)
		}
	}
	stop := end // where the partition and order lists end
	if frame >= 0 {
		stop = frame
	}
	if partition >= 0 {
		if partition+2 >= stop || partition+2 == order {
			return sqlerr.At(toks[partition].start, sqlerr.ErrSyntax, "PARTITION BY without an expression")
		}
		w.replace[partition], w.replace[partition+1] = ", "+partitionMarker+"(", ""
	}
	closing := "" // what closes the partition or order list
	if order >= 0 {
		lead := ""
		if partition >= 0 {
			lead = ")"
		}
		w.replace[order], w.replace[order+1] = lead+", "+orderMarker+"(", ""
		last, err := w.orderItems(toks, order+2, stop)
		if err != nil {
			return err
		}
		closing = ", '" + last + "')"
	} else if partition >= 0 {
		closing = ")"
	}
	if frame < 0 {
		w.replace[end] = closing + ")"
		return nil
	}
	tail, err := w.frame(toks, frame, end)
	if err != nil {
		return err
	}
	w.replace[frame] = closing + ", " + frameMarker + "('" + strings.ToLower(toks[frame].val) + "', "
	w.replace[end] = tail + "))"
	return nil
}

// orderItems drops the direction words of the ORDER BY items in
// toks[from:end] and writes each item's direction after it; it returns
// the last item's, which the caller writes before the closing ')'.
func (w *windowEdits) orderItems(toks []token, from, end int) (string, error) {
	if from >= end {
		return "", sqlerr.At(toks[from-2].start, sqlerr.ErrSyntax, "ORDER BY without an expression")
	}
	dir, nulls := "asc", ""
	for _, j := range topLevel(toks, from, end) {
		t := toks[j]
		switch {
		case t.is("asc"), t.is("desc"):
			dir = strings.ToLower(t.val)
			w.replace[j] = ""
		case t.is("nulls") && j+1 < end && (toks[j+1].is("first") || toks[j+1].is("last")):
			nulls = " nulls " + strings.ToLower(toks[j+1].val)
			w.replace[j], w.replace[j+1] = "", ""
		case t.isChar(','):
			w.replace[j] = ", '" + dir + nulls + "',"
			dir, nulls = "asc", ""
		}
	}
	return dir + nulls, nil
}

// matchingBack returns the index of the '(' that the ')' at toks[close]
// closes, or -1.
func matchingBack(toks []token, close int) int {
	depth := 0
	for j := close; j >= 0; j-- {
		switch {
		case toks[j].isChar(')'):
			depth++
		case toks[j].isChar('('):
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// frameAt reports whether the ROWS, RANGE or GROUPS at toks[j] starts a
// frame clause rather than naming a column (range(n)'s column is range):
// a frame goes on with BETWEEN, UNBOUNDED or CURRENT, or with an offset
// and PRECEDING or FOLLOWING, where the offset has no comma and no other
// frame word (ORDER BY range ROWS 2 PRECEDING).
func frameAt(toks []token, j, end int) bool {
	if next := toks[j+1]; next.is("between") || next.is("unbounded") || next.is("current") {
		return true
	}
	for _, k := range topLevel(toks, j+1, end) {
		t := toks[k]
		switch {
		case t.is("preceding") || t.is("following"):
			return true
		case t.isChar(',') || t.is("rows") || t.is("range") || t.is("groups"):
			return false
		}
	}
	return false
}

// topLevel returns the indexes in [from, end) of the tokens outside any
// parentheses opened in that range (the parentheses themselves excluded).
func topLevel(toks []token, from, end int) []int {
	var out []int
	depth := 0
	for j := from; j < end; j++ {
		switch {
		case toks[j].isChar('('):
			depth++
		case toks[j].isChar(')'):
			depth--
		case depth == 0:
			out = append(out, j)
		}
	}
	return out
}
