// Package sqllogictest runs sqllogictest files against minisql.
//
// The format follows SQLite's and DuckDB's:
//
//	# a comment
//	statement ok
//	CREATE TABLE t (a INTEGER, b VARCHAR)
//
//	statement error division by zero
//	SELECT 1 / 0
//
//	query IT rowsort
//	SELECT a, b FROM t
//	----
//	1	x
//	2	NULL
//
// A record's SQL runs until a line "----" or a blank line; results are
// one row per line with values separated by tabs. NULL is written NULL and
// the empty string (empty). The type string has one letter per column:
// I BIGINT, R DOUBLE, N DECIMAL, T VARCHAR, D DATE, S TIMESTAMP, B BOOLEAN, ? any; it
// is checked. Sort modes: nosort (default), rowsort, valuesort. An error
// record's text after "error" is a regular expression matched against
// the error message, to which " (line L, column C)" is appended when the
// error has a position. "skipif minisql" and "onlyif <engine>" guard a
// record; "halt" ends the file.
package sqllogictest

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Record is one statement or query of a file.
type Record struct {
	Line     int // line of the record's first line
	Kind     string
	SQL      string
	Error    bool
	ErrorRe  string // pattern the error must match ("" any)
	Types    string
	SortMode string
	Expected []string // result lines
	Skip     bool
}

// ParseFile reads the records of a .slt file.
func ParseFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return parseLines(path, lines)
}

func parseLines(path string, lines []string) ([]Record, error) {
	var recs []Record
	skip := false
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Fields(l)
		switch f[0] {
		case "halt":
			return recs, nil
		case "hash-threshold", "mode", "load":
			continue
		case "skipif":
			skip = skip || len(f) > 1 && f[1] == "minisql"
			continue
		case "onlyif":
			skip = skip || len(f) > 1 && f[1] != "minisql"
			continue
		case "statement", "query":
		default:
			return nil, fmt.Errorf("%s:%d: unknown record %q", path, i+1, f[0])
		}
		r := Record{Line: i + 1, Kind: f[0], Skip: skip}
		skip = false
		rest := strings.TrimSpace(strings.TrimPrefix(l, f[0]))
		switch {
		case f[0] == "statement" && strings.HasPrefix(rest, "ok"):
		case strings.HasPrefix(rest, "error"):
			r.Error = true
			r.ErrorRe = strings.TrimSpace(strings.TrimPrefix(rest, "error"))
		case f[0] == "query":
			parts := strings.Fields(rest)
			if len(parts) == 0 {
				return nil, fmt.Errorf("%s:%d: query needs a type string", path, i+1)
			}
			r.Types = parts[0]
			r.SortMode = "nosort"
			if len(parts) > 1 {
				r.SortMode = parts[1]
			}
			switch r.SortMode {
			case "nosort", "rowsort", "valuesort":
			default:
				return nil, fmt.Errorf("%s:%d: unknown sort mode %q", path, i+1, r.SortMode)
			}
		default:
			return nil, fmt.Errorf("%s:%d: expected ok or error after statement", path, i+1)
		}
		var sql []string
		i++
		for ; i < len(lines) && strings.TrimSpace(lines[i]) != "" && lines[i] != "----"; i++ {
			sql = append(sql, lines[i])
		}
		r.SQL = strings.Join(sql, "\n")
		if r.SQL == "" {
			return nil, fmt.Errorf("%s:%d: record without SQL", path, r.Line)
		}
		if i < len(lines) && lines[i] == "----" {
			if r.Kind != "query" || r.Error {
				return nil, fmt.Errorf("%s:%d: only a query has results", path, r.Line)
			}
			for i++; i < len(lines) && lines[i] != ""; i++ {
				r.Expected = append(r.Expected, lines[i])
			}
		}
		recs = append(recs, r)
	}
	return recs, nil
}
