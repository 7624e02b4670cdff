package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/minisql/minisql/sqlerr"
)

// offsetError moves an error's position from a statement to the script.
func offsetError(err error, off int) error { return sqlerr.WithOffset(err, off) }

// printError prints an error; when it has a position in the SQL, the
// offending line follows with a caret under the spot:
//
//	Error: syntax error: at or near "oder"
//	LINE 1: select a from t where a = 1 oder by a
//	                                    ^
func printError(w io.Writer, sql string, err error) {
	fmt.Fprintln(w, "Error:", err)
	pos := sqlerr.Position(err)
	if pos < 0 || pos > len(sql) {
		return
	}
	lineStart := strings.LastIndexByte(sql[:pos], '\n') + 1
	lineEnd := strings.IndexByte(sql[pos:], '\n')
	if lineEnd < 0 {
		lineEnd = len(sql)
	} else {
		lineEnd += pos
	}
	lineNo := strings.Count(sql[:lineStart], "\n") + 1
	prefix := fmt.Sprintf("LINE %d: ", lineNo)
	line := strings.ReplaceAll(sql[lineStart:lineEnd], "\t", " ")
	fmt.Fprintf(w, "%s%s\n%s^\n", prefix, line, strings.Repeat(" ", len(prefix)+runeLen(sql[lineStart:pos])))
}

func runeLen(s string) int { return len([]rune(s)) }
