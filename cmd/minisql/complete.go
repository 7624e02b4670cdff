package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/binder"
)

// catalogView is what completion needs to know about the tables.
type catalogView interface {
	Tables() []string
	Columns(table string) []string
}

// engineCatalog answers completion from the engine's catalog.
type engineCatalog struct{ eng *engine.Engine }

func (c engineCatalog) Tables() []string { return c.eng.Tables() }

func (c engineCatalog) Columns(table string) []string {
	t, err := c.eng.Table(table)
	if err != nil {
		return nil
	}
	fields := t.Schema().Fields()
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return names
}

// sqlKeywords are completed in SQL; read-only.
var sqlKeywords = []string{
	"ALL", "ANALYZE", "AND", "AS", "ASC", "BETWEEN", "BIGINT", "BOOLEAN", "BY", "CASE", "CAST",
	"COPY", "CREATE", "CROSS", "CUBE", "CURRENT", "DATE", "DECIMAL", "DELETE", "DESC", "DESCRIBE",
	"DISTINCT", "DOUBLE", "DROP", "ELSE", "END", "EXCEPT", "EXCLUDE", "EXISTS", "EXPLAIN", "EXTRACT",
	"FALSE", "FILTER", "FIRST", "FOLLOWING", "FROM", "FULL", "GROUP", "GROUPING", "GROUPS", "HAVING", "IF",
	"IN", "INNER", "INSERT", "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "LAST", "LEFT", "LIKE",
	"LIMIT", "NATURAL", "NOT", "NULL", "NULLS", "OFFSET", "ON", "OR", "ORDER", "OUTER", "OVER", "PARTITION",
	"PRECEDING", "QUALIFY", "RANGE", "RECURSIVE", "REPLACE", "RIGHT", "ROLLUP", "ROW", "ROWS",
	"SELECT", "SET", "SETS", "SHOW", "SUMMARIZE", "TABLE", "TABLES", "THEN", "TIMESTAMP", "TO",
	"TRUE", "TRY_CAST", "UNBOUNDED", "UNION", "UPDATE", "USING", "VALUES", "VARCHAR", "VIEW", "WHEN",
	"WHERE", "WINDOW", "WITH",
}

// tableContext are the keywords after which a table name comes.
var tableContext = map[string]bool{"FROM": true, "JOIN": true, "INTO": true, "TABLE": true, "DESCRIBE": true,
	"UPDATE": true, "SUMMARIZE": true, "VIEW": true}

// clauseWords are the keywords that end a table context.
var clauseWords = map[string]bool{
	"SELECT": true, "WHERE": true, "ON": true, "USING": true, "BY": true, "HAVING": true,
	"LIMIT": true, "OFFSET": true, "SET": true, "VALUES": true, "AND": true, "OR": true,
	"UNION": true, "WITH": true,
}

// completeWord completes the word before the cursor. pending is the part
// of a multi-line statement already entered, used for context. pos counts
// runes, as liner does.
func completeWord(cat catalogView, pending, line string, pos int) (string, []string, string) {
	rs := []rune(line)
	pos = min(max(pos, 0), len(rs))
	before, tail := string(rs[:pos]), string(rs[pos:])
	if strings.TrimSpace(pending) == "" && isMetaLine(before) {
		head, list := completeMeta(cat, before)
		return head, list, tail
	}
	word := trailingWord(before)
	head := before[:len(before)-len(word)]
	return head, completeSQL(cat, pending+"\n"+head, pending+"\n"+line, word), tail
}

// trailingWord returns the identifier (possibly qualified) ending s.
func trailingWord(s string) string {
	i := len(s)
	for i > 0 && isWordByte(s[i-1]) {
		i--
	}
	return s[i:]
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// completeSQL lists the completions of word. context is the statement up
// to the word (to tell which clause it is in), stmt all of it (to find the
// tables it uses).
func completeSQL(cat catalogView, context, stmt, word string) []string {
	tables := cat.Tables()
	if qual, part, ok := cutLast(word, "."); ok {
		// a.col or table.col: the columns of that table if it is one,
		// else of the tables the statement uses (a is likely an alias).
		cols := cat.Columns(qual)
		if cols == nil {
			cols = statementColumns(cat, tables, stmt)
		}
		var out []string
		for _, c := range matching(cols, part) {
			out = append(out, qual+"."+c)
		}
		return out
	}
	// Keywords follow the case of the word's first letter.
	upper := word == "" || word[0] >= 'A' && word[0] <= 'Z'
	keywords := matchingCase(sqlKeywords, word, upper)
	if inTableContext(context) {
		return dedupe(append(matching(tables, word), keywords...))
	}
	if word == "" {
		return nil // everything would match: nothing useful to list
	}
	funcs := matchingCase(append(binder.AggregateNames(), append(binder.ScalarNames(), expr.FuncNames()...)...), word, upper)
	out := matching(statementColumns(cat, tables, stmt), word)
	out = append(out, matching(tables, word)...)
	out = append(out, funcs...)
	return dedupe(append(out, keywords...))
}

// inTableContext reports whether the last clause keyword of s is one after
// which table names come (FROM a, b, JOIN c ...).
func inTableContext(s string) bool {
	words := sqlWords(s)
	for i := len(words) - 1; i >= 0; i-- {
		w := strings.ToUpper(words[i])
		if tableContext[w] {
			return true
		}
		if clauseWords[w] {
			return false
		}
	}
	return false
}

// sqlWords splits s into identifier-like words, skipping quoted text.
func sqlWords(s string) []string {
	var words []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return words
			}
			i += j + 2
		case isWordByte(c) && c != '.':
			j := i
			for j < len(s) && isWordByte(s[j]) && s[j] != '.' {
				j++
			}
			words = append(words, s[i:j])
			i = j
		default:
			i++
		}
	}
	return words
}

// statementColumns lists the columns of the tables stmt names, or of all
// tables when it names none yet (SELECT typed before FROM).
func statementColumns(cat catalogView, tables []string, stmt string) []string {
	byLower := make(map[string]string, len(tables))
	for _, t := range tables {
		byLower[strings.ToLower(t)] = t
	}
	seen := map[string]bool{}
	var used []string
	for _, w := range sqlWords(stmt) {
		if t, ok := byLower[strings.ToLower(w)]; ok && !seen[t] {
			seen[t] = true
			used = append(used, t)
		}
	}
	if len(used) == 0 {
		used = tables
	}
	var cols []string
	for _, t := range used {
		cols = append(cols, cat.Columns(t)...)
	}
	sort.Strings(cols)
	return dedupe(cols)
}

// completeMeta completes a command name or its argument.
func completeMeta(cat catalogView, before string) (string, []string) {
	trimmed := strings.TrimLeft(before, " \t")
	lead := before[:len(before)-len(trimmed)]
	i := strings.IndexAny(trimmed, " \t")
	if i < 0 {
		var out []string
		for _, s := range metaSpecs {
			if strings.HasPrefix("."+s.name, strings.ToLower(trimmed)) {
				out = append(out, "."+s.name)
			}
		}
		return lead, out
	}
	cmd := strings.ToLower(trimmed[:i])
	arg := strings.TrimLeft(trimmed[i:], " \t")
	head := before[:len(before)-len(arg)]
	switch cmd {
	case ".schema", `\d`:
		return head, matching(cat.Tables(), arg)
	case ".read", ".open":
		return head, completePath(arg, cmd == ".open")
	}
	if spec, ok := findMeta(strings.TrimPrefix(cmd, ".")); ok && spec.values != nil {
		return head, matching(spec.values, arg)
	}
	return head, nil
}

// completePath lists files (or only directories) starting with prefix;
// directories end with a slash so that completion can go on inside them.
func completePath(prefix string, dirsOnly bool) []string {
	dir, base := filepath.Split(prefix)
	entries, err := os.ReadDir(filepath.Clean(dir + "."))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		isDir := e.IsDir()
		if !isDir && e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(dir, name)); err == nil {
				isDir = st.IsDir()
			}
		}
		switch {
		case isDir:
			out = append(out, dir+name+"/")
		case !dirsOnly:
			out = append(out, dir+name)
		}
	}
	return out
}

// matching returns the names starting with prefix, ignoring case.
func matching(names []string, prefix string) []string {
	var out []string
	lp := strings.ToLower(prefix)
	for _, n := range names {
		if strings.HasPrefix(strings.ToLower(n), lp) {
			out = append(out, n)
		}
	}
	return out
}

// matchingCase is matching, with the results in upper or lower case.
func matchingCase(names []string, prefix string, upper bool) []string {
	out := matching(names, prefix)
	for i, n := range out {
		if upper {
			out[i] = strings.ToUpper(n)
		} else {
			out[i] = strings.ToLower(n)
		}
	}
	return out
}

func dedupe(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
