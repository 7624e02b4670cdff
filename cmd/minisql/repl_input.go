package main

import (
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/sqlerr"
)

// inputState says what the shell should do with the text typed so far.
type inputState int

const (
	// inputEmpty: only blanks, comments or bare semicolons; nothing to run.
	inputEmpty inputState = iota
	// inputIncomplete: the statement goes on; show the continuation prompt.
	inputIncomplete
	// inputComplete: the text ends with a top-level ';'; run it.
	inputComplete
)

// classify decides whether text is a finished statement (or several). It
// splits with the engine's own quote- and comment-aware splitter, so a ';'
// inside a string, a quoted identifier or a comment does not end the
// statement, and an unterminated string or block comment asks for more.
func classify(text string) inputState {
	pieces, err := engine.Statements(text)
	if err != nil {
		pos := sqlerr.Position(err)
		if pos >= 0 && pos < len(text) && opensConstruct(text[pos:]) {
			return inputIncomplete
		}
		// Some other lexical error (say "$1"): once the user ends the line
		// with ';' it is theirs to see, with a caret, from the engine.
		if strings.HasSuffix(strings.TrimRight(text, " \t\r\n"), ";") {
			return inputComplete
		}
		return inputIncomplete
	}
	if len(pieces) == 0 {
		return inputEmpty
	}
	// A piece ended by a semicolon stops right before it; the last piece of
	// an unterminated script runs to the end of the text instead.
	last := pieces[len(pieces)-1]
	end := last.Offset + len(last.Text)
	if end < len(text) && text[end] == ';' {
		return inputComplete
	}
	return inputIncomplete
}

// opensConstruct reports whether s starts a string, a quoted identifier or
// a block comment: a lexical error there means it runs past the input.
func opensConstruct(s string) bool {
	return strings.HasPrefix(s, "'") || strings.HasPrefix(s, `"`) ||
		strings.HasPrefix(s, "`") || strings.HasPrefix(s, "/*")
}

// isMetaLine reports whether a line typed at an empty buffer is a shell
// command (.help, \d, ...) rather than SQL.
func isMetaLine(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, ".") || strings.HasPrefix(t, `\`)
}

// entry is one thing to run: a meta command or complete SQL text.
type entry struct {
	meta string // the command line, when this is a meta command
	sql  string // the statements, when this is SQL
}

// stmtBuffer collects lines until they form an entry.
type stmtBuffer struct {
	lines []string
}

func (b *stmtBuffer) empty() bool { return len(b.lines) == 0 }

func (b *stmtBuffer) reset() { b.lines = b.lines[:0] }

func (b *stmtBuffer) text() string { return strings.Join(b.lines, "\n") }

// push adds a line. It returns the entry the line completes, if any; the
// buffer is then empty again.
func (b *stmtBuffer) push(line string) (entry, bool) {
	if b.empty() && isMetaLine(line) {
		return entry{meta: strings.TrimSpace(line)}, true
	}
	b.lines = append(b.lines, line)
	text := b.text()
	switch classify(text) {
	case inputComplete:
		b.reset()
		return entry{sql: text}, true
	case inputEmpty:
		b.reset()
	}
	return entry{}, false
}

// historyLine flattens an entry to the single line liner's history keeps:
// newlines become spaces, and so that the statement still means the same
// thing when recalled, line comments become block comments (a "-- note"
// would otherwise swallow the rest of the statement).
func historyLine(e entry) string {
	if e.meta != "" {
		return e.meta
	}
	text := e.sql
	var sb strings.Builder
	tk := sqlparser.NewStringTokenizer(text)
	prev := 0
	for {
		before := tk.Position
		typ, _ := tk.Scan()
		if typ == 0 {
			break
		}
		if typ == sqlparser.LEX_ERROR {
			return flattenSpaces(text)
		}
		if typ != sqlparser.COMMENT {
			continue
		}
		// The tokenizer's Position runs one past its look-ahead; the
		// comment is the text between the two positions, less blanks.
		start := max(before-1, 0)
		for start < len(text) && isBlank(text[start]) {
			start++
		}
		end := min(max(tk.Position-1, start), len(text))
		c := strings.TrimRight(text[start:end], " \t\r\n")
		var body string
		switch {
		case strings.HasPrefix(c, "--"):
			body = c[2:]
		case strings.HasPrefix(c, "#"):
			body = c[1:]
		default:
			continue // already a block comment
		}
		sb.WriteString(text[prev:start])
		if !strings.Contains(body, "*/") {
			sb.WriteString("/*" + body + " */")
		}
		prev = start + len(c)
	}
	sb.WriteString(text[prev:])
	return flattenSpaces(sb.String())
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// flattenSpaces joins lines with single spaces, dropping the indentation
// of continuation lines.
func flattenSpaces(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for i, l := range lines {
		l = strings.TrimRight(l, " \t\r")
		if i > 0 {
			l = strings.TrimLeft(l, " \t")
		}
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, " ")
}
