package parse

import (
	"fmt"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// Kind tells what a statement is.
type Kind int

const (
	// KindAST: a statement sqlparser parsed (SELECT, INSERT, CREATE TABLE,
	// DROP, SET, SHOW, ...), in Statement.AST.
	KindAST Kind = iota
	// KindCreateTableAs: CREATE [OR REPLACE] TABLE Name AS Query.
	KindCreateTableAs
	// KindDescribe: DESCRIBE Name.
	KindDescribe
	// KindCopy: COPY (query) | table TO 'path' [(FORMAT f)]; the query (or
	// SELECT * FROM table) is in Query, the path in Name, the format in
	// Format ("" to infer it from the path).
	KindCopy
	// KindCreateView: CREATE [OR REPLACE] VIEW Name [(Columns)] AS Query;
	// the query's text in ViewText.
	KindCreateView
	// KindDropView: DROP VIEW [IF EXISTS] Names.
	KindDropView
	// KindSummarize: SUMMARIZE Name | query (in Query, its text in
	// ViewText).
	KindSummarize
)

// Statement is one parsed statement.
type Statement struct {
	Kind    Kind
	Text    string // the statement's original text
	Explain bool
	Analyze bool

	AST   sqlparser.Statement // KindAST
	Query *Query              // KindCreateTableAs; also the query of a KindAST SELECT

	Name        string // KindCreateTableAs, KindCreateView, KindDescribe; the path of KindCopy
	OrReplace   bool
	IfNotExists bool
	IfExists    bool     // KindDropView
	Format      string   // KindCopy
	Columns     []string // KindCreateView's column names, if listed
	ViewText    string   // KindCreateView's query, as written
	Names       []string // KindDropView
}

// Query is a SELECT with its CTEs and what the rewriter recorded.
type Query struct {
	// Nested are the WITH clauses of subqueries, by the position of the
	// subquery's parenthesis (nested_with.go); only their CTEs are set.
	Nested map[int]*Query
	CTEs   []CTE
	// Recursive is WITH RECURSIVE: a CTE of this WITH may name itself
	// (binder/cte_recursive.go).
	Recursive bool
	AST       sqlparser.SelectStatement
	Aliases   map[string]DerivedAlias
}

// CTE is one WITH name [(columns)] AS (query).
type CTE struct {
	Name    string
	Columns []string
	Query   *Query
	Pos     int
}

// Parse parses one statement (no trailing semicolon needed).
func Parse(text string) (_ *Statement, err error) {
	// A panic in the pre-lexer or the parser is a bug, reported as an
	// internal error of this statement: the REPL and an embedding program
	// keep running, with everything they loaded.
	defer func() {
		if r := recover(); r != nil {
			err = &sqlerr.Error{Kind: sqlerr.ErrInternal, Pos: sqlerr.NoPos,
				Msg: fmt.Sprintf("panic while parsing: %v\n%s", r, debug.Stack())}
		}
	}()
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	st := &Statement{Text: text}
	if len(toks) == 0 {
		return nil, sqlerr.At(0, sqlerr.ErrSyntax, "empty statement")
	}
	if err := checkNesting(toks); err != nil {
		return nil, err
	}
	if err := checkBrackets(text, toks); err != nil {
		return nil, err
	}
	if toks[0].is("explain") {
		st.Explain = true
		toks = toks[1:]
		if len(toks) > 0 && toks[0].is("analyze") {
			st.Analyze = true
			toks = toks[1:]
		}
		if len(toks) == 0 {
			return nil, sqlerr.At(len(text), sqlerr.ErrSyntax, "EXPLAIN needs a statement")
		}
	}
	switch {
	case toks[0].is("describe") || toks[0].is("desc") || toks[0].is("summarize"):
		return parseDescribe(text, toks, st)
	case toks[0].is("copy"):
		return parseCopy(text, toks, st)
	case toks[0].is("drop"):
		if q, ok, err := parseDropView(toks, st); ok || err != nil {
			return q, err
		}
	case toks[0].is("create"):
		if q, ok, err := parseCreateView(text, toks, st); ok || err != nil {
			return q, err
		}
		if q, ok, err := parseCreateTableAs(text, toks, st); ok || err != nil {
			return q, err
		}
		// sqlparser accepts IF NOT EXISTS but drops it.
		if len(toks) > 4 && toks[1].is("table") && toks[2].is("if") && toks[3].is("not") && toks[4].is("exists") {
			st.IfNotExists = true
		}
		return parseAST(text, toks, st, true)
	case toks[0].is("with") || toks[0].is("select") || toks[0].isChar('('):
		q, err := parseQuery(text, toks)
		if err != nil {
			return nil, err
		}
		st.Query = q
		st.AST = q.AST
		return st, nil
	}
	return parseAST(text, toks, st, false)
}

// MaxParenDepth is the deepest nesting of parentheses a statement may have.
// sqlparser itself stops at 200 levels with an unhelpful message, and the
// rewriter recurses once per nested CAST, TRIM or SUBSTRING, rescanning the
// tokens each time: a limit checked up front gives a clear error and keeps
// that work linear in practice.
const MaxParenDepth = 128

// checkNesting rejects statements nested deeper than MaxParenDepth,
// pointing at the first parenthesis too many.
func checkNesting(toks []token) error {
	depth := 0
	for _, t := range toks {
		switch {
		case t.isChar('('):
			depth++
			if depth > MaxParenDepth {
				return sqlerr.At(t.start, sqlerr.ErrNotSupported, "nesting deeper than %d parentheses", MaxParenDepth)
			}
		case t.isChar(')'):
			depth--
		}
	}
	return nil
}

// parseCreateTableAs recognises CREATE [OR REPLACE] TABLE [IF NOT EXISTS]
// name AS query.
func parseCreateTableAs(text string, toks []token, st *Statement) (*Statement, bool, error) {
	i := 1
	if i+1 < len(toks) && toks[i].is("or") && toks[i+1].is("replace") {
		st.OrReplace = true
		i += 2
	}
	if i >= len(toks) || !toks[i].is("table") {
		return nil, false, nil
	}
	i++
	if i+2 < len(toks) && toks[i].is("if") && toks[i+1].is("not") && toks[i+2].is("exists") {
		st.IfNotExists = true
		i += 3
	}
	if i+1 >= len(toks) || !toks[i+1].is("as") {
		if st.OrReplace {
			return nil, true, sqlerr.At(toks[0].start, sqlerr.ErrNotSupported, "CREATE OR REPLACE TABLE without AS")
		}
		return nil, false, nil
	}
	st.Kind, st.Name = KindCreateTableAs, toks[i].val
	q, err := parseQuery(text, toks[i+2:])
	if err != nil {
		return nil, true, err
	}
	st.Query = q
	return st, true, nil
}

// parseQuery parses [WITH ...] SELECT ...
func parseQuery(text string, toks []token) (*Query, error) {
	q := &Query{Aliases: map[string]DerivedAlias{}}
	if len(toks) > 0 && toks[0].is("with") {
		rest, err := parseCTEs(text, toks[1:], q)
		if err != nil {
			return nil, err
		}
		toks = rest
	}
	if len(toks) == 0 {
		return nil, sqlerr.At(len(text), sqlerr.ErrSyntax, "expected a query")
	}
	toks, err := extractNestedWith(text, toks, q)
	if err != nil {
		return nil, err
	}
	ast, err := parseTokens(text, toks, q.Aliases, false)
	if err != nil {
		return nil, err
	}
	sel, ok := ast.(sqlparser.SelectStatement)
	if !ok {
		return nil, sqlerr.At(toks[0].start, sqlerr.ErrSyntax, "expected a query")
	}
	q.AST = sel
	return q, nil
}

func parseCTEs(text string, toks []token, q *Query) ([]token, error) {
	if len(toks) > 0 && toks[0].is("recursive") {
		q.Recursive = true
		toks = toks[1:]
	}
	for {
		if len(toks) < 3 {
			return nil, sqlerr.At(len(text), sqlerr.ErrSyntax, "incomplete WITH clause")
		}
		cte := CTE{Name: toks[0].val, Pos: toks[0].start}
		i := 1
		if toks[i].isChar('(') {
			end := matching(toks, i)
			if end < 0 {
				return nil, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "unclosed column list")
			}
			for k := i + 1; k < end; k++ {
				if !toks[k].isChar(',') {
					cte.Columns = append(cte.Columns, toks[k].val)
				}
			}
			i = end + 1
		}
		if i+1 >= len(toks) || !toks[i].is("as") || !toks[i+1].isChar('(') {
			return nil, sqlerr.At(toks[min(i, len(toks)-1)].start, sqlerr.ErrSyntax, "expected AS ( query ) in WITH")
		}
		end := matching(toks, i+1)
		if end < 0 {
			return nil, sqlerr.At(toks[i+1].start, sqlerr.ErrSyntax, "unclosed WITH query")
		}
		body, err := parseQuery(text, toks[i+2:end])
		if err != nil {
			return nil, err
		}
		cte.Query = body
		q.CTEs = append(q.CTEs, cte)
		toks = toks[end+1:]
		if len(toks) > 0 && toks[0].isChar(',') {
			toks = toks[1:]
			continue
		}
		return toks, nil
	}
}

func parseAST(text string, toks []token, st *Statement, ddl bool) (*Statement, error) {
	aliases := map[string]DerivedAlias{}
	nested := &Query{}
	toks, err := extractNestedWith(text, toks, nested)
	if err != nil {
		return nil, err
	}
	ast, err := parseTokens(text, toks, aliases, ddl)
	if err != nil {
		return nil, err
	}
	st.AST = ast
	if sel, ok := ast.(sqlparser.SelectStatement); ok {
		st.Query = &Query{AST: sel, Aliases: aliases, Nested: nested.Nested}
	}
	if ins, ok := ast.(*sqlparser.Insert); ok {
		if sel, ok := ins.Rows.(sqlparser.SelectStatement); ok {
			st.Query = &Query{AST: sel, Aliases: aliases, Nested: nested.Nested}
		}
	}
	return st, nil
}

var syntaxPos = regexp.MustCompile(`at position (\d+)(?: near '(.*)')?`)

// parseTokens rewrites the tokens and parses the result, mapping a syntax
// error's position back to the original text.
func parseTokens(text string, toks []token, aliases map[string]DerivedAlias, ddl bool) (sqlparser.Statement, error) {
	toks, err := expandNamedWindows(toks)
	if err != nil {
		return nil, err
	}
	if toks, err = rewriteSamples(toks); err != nil {
		return nil, err
	}
	if toks, err = moveQualify(toks); err != nil {
		return nil, err
	}
	if toks, err = moveAggOrderBy(toks); err != nil {
		return nil, err
	}
	if toks, err = rewriteStarModifiers(toks); err != nil {
		return nil, err
	}
	if toks, err = rewriteColonCasts(toks); err != nil {
		return nil, err
	}
	if toks, err = rewriteDistinctFrom(toks); err != nil {
		return nil, err
	}
	r := &rewriter{src: text, toks: toks, aliases: aliases, inDDL: ddl}
	if err := r.run(); err != nil {
		return nil, err
	}
	out := r.w.b.String()
	ast, err := parseStrict(out)
	if err == nil {
		return ast, nil
	}
	if p, ok := err.(parserPanic); ok {
		return nil, sqlerr.At(0, sqlerr.ErrInternal, "the SQL parser failed: %v", p.value)
	}
	msg := err.Error()
	pos := len(text)
	near := ""
	if m := syntaxPos.FindStringSubmatch(msg); m != nil {
		p, _ := strconv.Atoi(m[1])
		near = m[2]
		outPos := max(p-1-len(near), 0)
		pos = min(r.w.origPos(outPos), len(text))
	}
	if near == "" {
		// sqlparser names no token when the one it stopped at is a
		// punctuation mark: find it ourselves, unless the text had ended.
		if t, ok := tokenBefore(toks, pos); ok {
			return nil, sqlerr.At(t.start, sqlerr.ErrSyntax, "at or near %q", t.text(text))
		}
		return nil, sqlerr.At(pos, sqlerr.ErrSyntax, "unexpected end of statement")
	}
	if strings.HasPrefix(near, aliasMarker) || strings.HasPrefix(near, "__") {
		near = text[pos:min(len(text), pos+len(near))]
	}
	return nil, sqlerr.At(pos, sqlerr.ErrSyntax, "at or near %q", near)
}

// parserPanic is a panic of sqlparser, a third-party library: its bug,
// reported as one rather than crashing the caller.
type parserPanic struct{ value any }

func (p parserPanic) Error() string { return fmt.Sprint(p.value) }

func parseStrict(sql string) (ast sqlparser.Statement, err error) {
	defer func() {
		if r := recover(); r != nil {
			ast, err = nil, parserPanic{r}
		}
	}()
	return sqlparser.ParseStrictDDL(sql)
}

// tokenBefore returns the last token that starts before pos when another
// token follows it (so the statement had not ended there).
func tokenBefore(toks []token, pos int) (token, bool) {
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].start < pos {
			return toks[i], i+1 < len(toks)
		}
	}
	return token{}, false
}

// parseCopy reads COPY (query) TO 'path' [[WITH] (FORMAT name)] and COPY
// table TO 'path' ..., DuckDB's export statement.
func parseCopy(text string, toks []token, st *Statement) (*Statement, error) {
	if len(toks) > 3 && isIdent(toks[1]) && toks[2].is("from") {
		return parseCopyFrom(text, toks)
	}
	st.Kind = KindCopy
	i := 1
	if i < len(toks) && toks[i].isChar('(') {
		end := matching(toks, i)
		if end < 0 {
			return nil, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "unclosed query in COPY")
		}
		q, err := parseQuery(text, toks[i+1:end])
		if err != nil {
			return nil, err
		}
		st.Query, i = q, end+1
	} else if i < len(toks) {
		st.Query = &Query{Aliases: map[string]DerivedAlias{}, AST: selectStar(toks[i].val)}
		i++
	}
	if i+1 >= len(toks) || !toks[i].is("to") || toks[i+1].typ != sqlparser.STRING {
		return nil, sqlerr.At(toks[min(i, len(toks)-1)].start, sqlerr.ErrSyntax, "expected COPY (query) TO 'file'")
	}
	st.Name = toks[i+1].val
	i += 2
	if i < len(toks) && toks[i].is("with") {
		i++
	}
	if i < len(toks) && toks[i].isChar('(') {
		end := matching(toks, i)
		if end < 0 {
			return nil, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "unclosed COPY options")
		}
		for k := i + 1; k < end; k++ {
			if toks[k].is("format") && k+1 < end {
				st.Format = strings.ToLower(toks[k+1].val)
				k++
			} else if !toks[k].isChar(',') {
				return nil, sqlerr.At(toks[k].start, sqlerr.ErrNotSupported, "COPY option %q (only FORMAT)", toks[k].val)
			}
		}
		i = end + 1
	}
	if i < len(toks) {
		return nil, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "at or near %q", toks[i].raw)
	}
	return st, nil
}

// selectStar is SELECT * FROM table.
func selectStar(table string) sqlparser.SelectStatement {
	return &sqlparser.Select{
		SelectExprs: sqlparser.SelectExprs{&sqlparser.StarExpr{}},
		From: sqlparser.TableExprs{&sqlparser.AliasedTableExpr{
			Expr: sqlparser.TableName{Name: sqlparser.NewTableIdent(table)},
		}},
	}
}
