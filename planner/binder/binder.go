// Package binder translates sqlparser's AST into minisql's logical plan:
// it resolves names to column IDs, types every expression (inserting the
// casts the kernels expect), and decorrelates subqueries into joins. The
// sqlparser AST goes no further than this package.
package binder

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// Statement is a bound statement, ready for the engine to execute.
type Statement interface{ isStatement() }

// Query is a SELECT (or EXPLAIN of one).
type Query struct {
	Plan    plan.Node
	Names   []string // output column names, in order
	Explain bool
	Analyze bool
}

// CreateTable creates an empty table.
type CreateTable struct {
	Name        string
	Schema      *arrow.Schema
	IfNotExists bool
}

// CreateTableAs creates a table from a query's result.
type CreateTableAs struct {
	Name        string
	Query       *Query
	OrReplace   bool
	IfNotExists bool
}

// Insert appends a query's rows (already cast to the table's types).
type Insert struct {
	Table catalog.Table
	Query *Query
}

// DropTable removes a table.
type DropTable struct {
	Names    []string
	IfExists bool
}

// Set changes a session setting.
type Set struct {
	Name  string
	Value string
}

// Copy writes a query's result to a file.
type Copy struct {
	Query  *Query
	Path   string
	Format string // parquet, csv or arrow
}

// ShowTables lists the tables.
type ShowTables struct{}

// ShowSetting shows a session setting (SHOW threads), or all of them
// (SHOW ALL) when Name is "all".
type ShowSetting struct{ Name string }

// Describe shows a table's or a view's columns.
type Describe struct {
	Names []string
	Types []types.T
}

func (*Query) isStatement()         {}
func (*CreateTable) isStatement()   {}
func (*CreateTableAs) isStatement() {}
func (*Insert) isStatement()        {}
func (*DropTable) isStatement()     {}
func (*Set) isStatement()           {}
func (*ShowTables) isStatement()    {}
func (*ShowSetting) isStatement()   {}
func (*Copy) isStatement()          {}
func (*Describe) isStatement()      {}

// binder holds the state of binding one statement.
type binder struct {
	cat    catalog.Catalog
	text   string
	nextID expr.ColumnID
	ctes   []cteFrame // WITH clauses in scope, innermost last
	// aliases of derived tables recorded by the pre-lexer
	aliases map[string]parse.DerivedAlias
	// depth of SELECT nesting and, at depth 1, where the clause being bound
	// starts, so errors point into that clause
	depth      int
	clauseFrom int
	// the statement's tokens, for error positions (lexed on first use)
	locator *parse.Locator
	// nesting of the expression being bound (see MaxExprDepth) and the
	// tree sizes of the expressions bound so far (see MaxExprNodes)
	exprDepth int
	sizes     map[expr.Expr]int
	// views being expanded, outermost first (see bindView)
	views []string
	// the WITH clauses of subqueries, by the pre-lexer's __with marker
	// (parse/nested_with.go)
	nested map[int]*parse.Query
	// now is the statement's start time: current_timestamp, now() and
	// current_date are this one value wherever they appear.
	now time.Time
	// recursive CTEs whose recursive term is being bound (cte_recursive.go)
	recursing map[*parse.CTE]*workTable
	// the number each recursive CTE's bindings share (plan.RecursiveCTE.CTE)
	recursiveIDs map[*parse.CTE]int
}

// Bind binds a parsed statement against a catalog, the statement
// starting now.
func Bind(cat catalog.Catalog, st *parse.Statement) (Statement, error) {
	return BindAt(cat, st, time.Now())
}

// BindAt binds a parsed statement that started at now (the time
// current_timestamp and current_date stand for).
func BindAt(cat catalog.Catalog, st *parse.Statement, now time.Time) (Statement, error) {
	b := &binder{cat: cat, text: st.Text, aliases: map[string]parse.DerivedAlias{}, now: now}
	bound, err := b.bind(st)
	if err != nil {
		// An error found deep inside an expression (a type mismatch, a bad
		// literal) does not know where it is: point it at the clause being
		// bound, so the shell can still draw a caret near it.
		return nil, sqlerr.WithPos(err, b.clauseFrom)
	}
	return bound, nil
}

func (b *binder) bind(st *parse.Statement) (Statement, error) {
	if st.Explain && st.Kind != parse.KindAST || st.Explain && st.Query == nil {
		return nil, sqlerr.NotSupported("EXPLAIN of anything but a query")
	}
	switch st.Kind {
	case parse.KindSummarize:
		return b.bindSummarize(st)
	case parse.KindDescribe:
		if st.Query != nil {
			_, cols, err := b.bindQuery(st.Query, nil)
			if err != nil {
				return nil, err
			}
			return describeColumns(cols), nil
		}
		if text, cols, ok := b.lookupView(st.Name); ok {
			return b.describeView(st.Name, text, cols)
		}
		t, err := b.table(st.Name)
		if err != nil {
			return nil, err
		}
		d := &Describe{}
		for _, f := range t.Schema().Fields() {
			d.Names = append(d.Names, f.Name)
			d.Types = append(d.Types, types.MustFromArrow(f.Type))
		}
		return d, nil
	case parse.KindCreateView:
		return b.bindCreateView(st)
	case parse.KindDropView:
		return &DropView{Names: st.Names, IfExists: st.IfExists}, nil
	case parse.KindCopy:
		q, err := b.bindTopQuery(st.Query)
		if err != nil {
			return nil, err
		}
		format, err := copyFormat(st.Format, st.Name)
		if err != nil {
			return nil, err
		}
		return &Copy{Query: q, Path: st.Name, Format: format}, nil
	case parse.KindCreateTableAs:
		q, err := b.bindTopQuery(st.Query)
		if err != nil {
			return nil, err
		}
		return &CreateTableAs{Name: st.Name, Query: q, OrReplace: st.OrReplace, IfNotExists: st.IfNotExists}, nil
	}
	switch ast := st.AST.(type) {
	case sqlparser.SelectStatement:
		q, err := b.bindTopQuery(st.Query)
		if err != nil {
			return nil, err
		}
		q.Explain, q.Analyze = st.Explain, st.Analyze
		return q, nil
	case *sqlparser.DDL:
		return b.bindDDL(ast, st.IfNotExists)
	case *sqlparser.Insert:
		return b.bindInsert(ast, st.Query)
	case *sqlparser.Set:
		return b.bindSet(ast)
	case *sqlparser.Show:
		if strings.EqualFold(ast.Type, "tables") {
			return &ShowTables{}, nil
		}
		if name := strings.ToLower(strings.TrimSpace(ast.Type)); name != "" && !strings.ContainsAny(name, " \t") {
			if name == "all_settings" { // SHOW ALL, as the pre-lexer spells it
				name = "all"
			}
			// SHOW t is DESCRIBE t, as in DuckDB, for a table or a view
			// of that name; otherwise a setting.
			if d, err := b.bind(&parse.Statement{Kind: parse.KindDescribe, Name: strings.TrimSpace(ast.Type), Text: st.Text}); err == nil {
				return d, nil
			}
			return &ShowSetting{Name: name}, nil
		}
		return nil, sqlerr.NotSupported("SHOW %s", ast.Type)
	case *sqlparser.OtherRead, *sqlparser.OtherAdmin:
		return nil, sqlerr.NotSupported("statement %q", firstWord(st.Text))
	case *sqlparser.Update:
		return b.bindUpdate(ast)
	case *sqlparser.Delete:
		return b.bindDelete(ast)
	case *sqlparser.Use, *sqlparser.Begin, *sqlparser.Commit, *sqlparser.Rollback, *sqlparser.Stream, *sqlparser.DBDDL:
		return nil, sqlerr.NotSupported("statement %q", firstWord(st.Text))
	}
	return nil, sqlerr.NotSupported("statement %q", firstWord(st.Text))
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.ToUpper(f[0])
}

func (b *binder) newID() expr.ColumnID {
	b.nextID++
	return b.nextID
}

// errAt returns an error positioned at the first occurrence of name in the
// statement text.
func (b *binder) errAt(name string, kind error, format string, args ...any) error {
	e := sqlerr.New(kind, format, args...)
	if name != "" {
		from := 0
		if b.depth == 1 {
			from = b.clauseFrom
		}
		e.Pos = b.locate().IdentFrom(name, from)
	}
	return e
}

// table resolves a table name: a CTE in scope, then the catalog.
func (b *binder) table(name string) (catalog.Table, error) {
	t, err := b.cat.Table(name)
	if err != nil {
		return nil, sqlerr.WithPos(err, b.locate().IdentFrom(name, 0))
	}
	return t, nil
}

func (b *binder) bindTopQuery(q *parse.Query) (*Query, error) {
	node, cols, err := b.bindQuery(q, nil)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return &Query{Plan: node, Names: names}, nil
}

// bindQuery binds a query with its CTEs. outer is the enclosing scope of a
// subquery (nil at the top).
func (b *binder) bindQuery(q *parse.Query, outer *scope) (plan.Node, []plan.Column, error) {
	for k, v := range q.Aliases {
		b.aliases[k] = v
	}
	b.registerNested(q)
	pop, err := b.openWith(q)
	if err != nil {
		return nil, nil, err
	}
	defer pop()
	return b.bindSelectStatement(q.AST, outer)
}

// openWith puts a WITH clause's CTEs in scope; pop takes them out.
func (b *binder) openWith(q *parse.Query) (pop func(), err error) {
	if len(q.CTEs) == 0 {
		return func() {}, nil
	}
	seen := map[string]bool{}
	for i := range q.CTEs {
		c := &q.CTEs[i]
		if seen[strings.ToLower(c.Name)] {
			return nil, sqlerr.At(c.Pos, sqlerr.ErrSyntax, "duplicate CTE name %q", c.Name)
		}
		seen[strings.ToLower(c.Name)] = true
		for k, v := range c.Query.Aliases {
			b.aliases[k] = v
		}
	}
	b.ctes = append(b.ctes, cteFrame{ctes: q.CTEs, visible: len(q.CTEs), recursive: q.Recursive})
	n := len(b.ctes)
	return func() { b.ctes = b.ctes[:n-1] }, nil
}

// cteFrame is one WITH clause; only its first visible CTEs can be named
// (a CTE's body sees the CTEs before it, not itself or later ones).
type cteFrame struct {
	ctes    []parse.CTE
	visible int
	// recursive: WITH RECURSIVE, whose CTEs may name themselves
	recursive bool
}

// lookupCTE finds a CTE by name in the enclosing WITH clauses, with the
// frame and position it was found at.
func (b *binder) lookupCTE(name string) (*parse.CTE, int, int) {
	for f := len(b.ctes) - 1; f >= 0; f-- {
		fr := b.ctes[f]
		for i := 0; i < fr.visible; i++ {
			if strings.EqualFold(fr.ctes[i].Name, name) {
				return &fr.ctes[i], f, i
			}
		}
	}
	return nil, 0, 0
}

func (b *binder) bindSelectStatement(s sqlparser.SelectStatement, outer *scope) (plan.Node, []plan.Column, error) {
	switch s := s.(type) {
	case *sqlparser.Select:
		return b.bindSelect(s, outer, nil)
	case *sqlparser.Union:
		// A subquery's WITH marks its first SELECT but scopes the whole
		// UNION.
		if pos, ok := withMarker(leftmostSelect(s)); ok {
			pop, err := b.pushNestedWith(pos)
			if err != nil {
				return nil, nil, err
			}
			defer pop()
		}
		return b.bindUnion(s, outer)
	case *sqlparser.ParenSelect:
		return b.bindSelectStatement(s.Select, outer)
	}
	return nil, nil, sqlerr.NotSupported("query form %T", s)
}

func exprName(e sqlparser.Expr) string {
	if c, ok := e.(*sqlparser.ColName); ok {
		return c.Name.String()
	}
	return parse.Format(e)
}

// locate returns the statement text's locator.
func (b *binder) locate() *parse.Locator {
	if b.locator == nil {
		b.locator = parse.NewLocator(b.text)
	}
	return b.locator
}

// clause makes errors of the top-level SELECT being bound point into the
// clause that starts with keyword.
func (b *binder) clause(keyword string) {
	if b.depth == 1 {
		b.clauseFrom = b.locate().Clause(keyword)
	}
}

// copyFormat picks the output format: the FORMAT option, else the path's
// extension.
func copyFormat(format, path string) (string, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".parquet":
			format = "parquet"
		case ".arrow", ".feather", ".ipc":
			format = "arrow"
		default:
			format = "csv"
		}
	}
	switch format {
	case "parquet", "csv", "arrow":
		return format, nil
	case "ipc", "feather":
		return "arrow", nil
	}
	return "", sqlerr.NotSupported("COPY format %q (parquet, csv or arrow)", format)
}
