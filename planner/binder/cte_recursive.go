package binder

import (
	"errors"
	"strings"

	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// workTable is a recursive CTE whose recursive term is being bound: a
// reference to the CTE there reads the working table (the previous
// iteration's rows) rather than binding the CTE again.
type workTable struct {
	id    int
	name  string
	names []string
	types []types.T
}

// bindRecursiveCTE binds a CTE of a WITH RECURSIVE that names itself:
// base UNION [ALL] recursive, as in PostgreSQL and DuckDB. The base term
// sees the CTEs before it; the recursive term also sees the CTE itself,
// as a WorkTableScan of the base term's column types (the recursive
// term's columns are cast to them). Like DuckDB, the recursive term may
// name the CTE several times, in subqueries, under outer joins and in
// aggregates: the whole term is evaluated again over each working table,
// so each of those means what it says over that iteration's rows.
func (b *binder) bindRecursiveCTE(cte *parse.CTE, frame, pos int) (plan.Node, []plan.Column, error) {
	u, err := b.recursiveUnion(cte)
	if err != nil {
		return nil, nil, err
	}
	saved, depth := b.ctes, b.depth
	defer func() { b.ctes, b.depth = saved, depth }()
	b.depth = 1 << 20 // errors inside the body search the whole text
	own := cteFrame{ctes: saved[frame].ctes, visible: pos, recursive: true}
	b.ctes = append(append([]cteFrame{}, saved[:frame]...), own)
	self := len(b.ctes) - 1
	if err := b.pushCTEs(cte.Query); err != nil {
		return nil, nil, err
	}

	base, bcols, err := b.bindSelectStatement(u.Left, nil)
	if err != nil {
		return nil, nil, err
	}
	if len(cte.Columns) > len(bcols) {
		return nil, nil, sqlerr.At(cte.Pos, sqlerr.ErrSyntax, "%s has %d columns but %d column aliases were given", cte.Name, len(bcols), len(cte.Columns))
	}
	wt := &workTable{id: int(b.newID()), name: cte.Name}
	for i, c := range bcols {
		name := c.Name
		if i < len(cte.Columns) {
			name = cte.Columns[i]
		}
		t := c.Type
		if t.Kind == types.Null {
			t = types.Int64Type // a base column of NULLs: DuckDB's INTEGER
		}
		wt.names = append(wt.names, name)
		wt.types = append(wt.types, t)
	}

	// The recursive term sees the CTE itself.
	b.ctes[self].visible = pos + 1
	if b.recursing == nil {
		b.recursing = map[*parse.CTE]*workTable{}
	}
	b.recursing[cte] = wt
	defer delete(b.recursing, cte)
	rec, rcols, err := b.bindSelectStatement(u.Right, nil)
	if err != nil {
		return nil, nil, err
	}
	if len(rcols) != len(bcols) {
		return nil, nil, sqlerr.At(cte.Pos, sqlerr.ErrSyntax, "UNION inputs have %d and %d columns", len(bcols), len(rcols))
	}
	out := make([]plan.Column, len(bcols))
	for i := range out {
		out[i] = plan.Column{ID: b.newID(), Name: wt.names[i], Type: wt.types[i]}
	}
	if base, err = b.castTerm(base, bcols, out, "base", cte.Pos); err != nil {
		return nil, nil, err
	}
	if rec, err = b.castTerm(rec, rcols, out, "recursive", cte.Pos); err != nil {
		return nil, nil, err
	}
	if b.recursiveIDs == nil {
		b.recursiveIDs = map[*parse.CTE]int{}
	}
	if b.recursiveIDs[cte] == 0 {
		b.recursiveIDs[cte] = int(b.newID())
	}
	node := &plan.RecursiveCTE{Name: cte.Name, Base: base, Recursive: rec, Cols: out, WorkTable: wt.id,
		Distinct: !strings.Contains(strings.ToLower(u.Type), "all"), CTE: b.recursiveIDs[cte]}
	return node, out, nil
}

// recursiveUnion checks the shape of a recursive CTE's body and returns
// its top UNION: the base term on the left, the recursive one on the
// right.
func (b *binder) recursiveUnion(cte *parse.CTE) (*sqlparser.Union, error) {
	s := cte.Query.AST
	for {
		p, ok := s.(*sqlparser.ParenSelect)
		if !ok {
			break
		}
		s = p.Select
	}
	u, ok := s.(*sqlparser.Union)
	if ok {
		u = intersectFirst(u)
	}
	if !ok || setOp(u.Right) != "" {
		return nil, b.selfRefError(cte, sqlerr.ErrSyntax, "recursive CTE %q must be a UNION [ALL] of a base query and a recursive term", cte.Name)
	}
	switch {
	case len(u.OrderBy) > 0:
		return nil, sqlerr.At(b.locate().IdentFrom("order", cte.Pos), sqlerr.ErrSyntax, "ORDER BY in a recursive query is not allowed")
	case u.Limit != nil:
		return nil, sqlerr.At(b.locate().IdentFrom("limit", cte.Pos), sqlerr.ErrSyntax, "LIMIT or OFFSET in a recursive query is not allowed")
	case namesTable(u.Left, cte.Name):
		return nil, b.selfRefError(cte, sqlerr.ErrSyntax, "circular reference to CTE %q in the base term of its UNION (the recursive term comes last)", cte.Name)
	}
	for _, c := range cte.Query.CTEs {
		if namesTable(c.Query.AST, cte.Name) {
			return nil, b.selfRefError(cte, sqlerr.ErrNotSupported, "a recursive reference to %q inside a CTE of its own body", cte.Name)
		}
	}
	return u, nil
}

// selfRefError is an error positioned at the CTE's first reference to
// itself.
func (b *binder) selfRefError(cte *parse.CTE, kind error, format string, args ...any) error {
	pos := b.locate().IdentFrom(cte.Name, cte.Pos+len(cte.Name))
	if pos < 0 {
		pos = cte.Pos
	}
	return sqlerr.At(pos, kind, format, args...)
}

// pushCTEs puts the body's own WITH clause in scope, as bindQuery does
// (the caller restores b.ctes).
func (b *binder) pushCTEs(q *parse.Query) error {
	for k, v := range q.Aliases {
		b.aliases[k] = v
	}
	b.registerNested(q)
	if len(q.CTEs) == 0 {
		return nil
	}
	seen := map[string]bool{}
	for i := range q.CTEs {
		c := &q.CTEs[i]
		if seen[strings.ToLower(c.Name)] {
			return sqlerr.At(c.Pos, sqlerr.ErrSyntax, "duplicate CTE name %q", c.Name)
		}
		seen[strings.ToLower(c.Name)] = true
		for k, v := range c.Query.Aliases {
			b.aliases[k] = v
		}
	}
	b.ctes = append(b.ctes, cteFrame{ctes: q.CTEs, visible: len(q.CTEs), recursive: q.Recursive})
	return nil
}

// castTerm projects a term's columns to the CTE's columns, casting each;
// a term that has them already is returned as it is.
func (b *binder) castTerm(n plan.Node, cols, out []plan.Column, term string, pos int) (plan.Node, error) {
	if have := n.Columns(); len(have) == len(cols) {
		same := true
		for i, c := range have {
			same = same && c.ID == cols[i].ID && c.Type == out[i].Type
		}
		if same {
			return n, nil
		}
	}
	p := &plan.Project{Input: n}
	for i, c := range cols {
		x, err := castTo(c.Ref(), out[i].Type)
		if err != nil {
			msg := err.Error()
			var se *sqlerr.Error
			if errors.As(err, &se) {
				msg = se.Msg
			}
			e := sqlerr.Wrap(sqlerr.ErrType, err, "%s in column %s of the %s term (a recursive CTE's types are its base term's)", msg, out[i].Name, term)
			e.Pos = pos
			return nil, e
		}
		p.Exprs = append(p.Exprs, x)
		p.Cols = append(p.Cols, plan.Column{ID: b.newID(), Name: out[i].Name, Type: out[i].Type})
	}
	return p, nil
}

// bindWorkTableRef binds a reference to the recursive CTE inside its own
// recursive term: a scan of the working table with columns of its own.
func (b *binder) bindWorkTableRef(wt *workTable, alias string, colAliases []string, sc *scope) (plan.Node, error) {
	scan := &plan.WorkTableScan{Name: wt.name, WorkTable: wt.id}
	for i, n := range wt.names {
		scan.Cols = append(scan.Cols, plan.Column{ID: b.newID(), Name: n, Table: alias, Type: wt.types[i]})
	}
	return b.derived(scan, scan.Cols, alias, colAliases, sc)
}

// isRecursiveCTE reports whether cte, of a WITH RECURSIVE, names itself.
func isRecursiveCTE(cte *parse.CTE) bool {
	if namesTable(cte.Query.AST, cte.Name) {
		return true
	}
	for _, c := range cte.Query.CTEs {
		if namesTable(c.Query.AST, cte.Name) {
			return true
		}
	}
	return false
}

// namesTable reports whether s has name as a FROM item (a column's
// qualifier is not a reference).
func namesTable(s sqlparser.SQLNode, name string) bool {
	found := false
	_ = sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
		if a, ok := node.(*sqlparser.AliasedTableExpr); ok {
			if t, ok := a.Expr.(sqlparser.TableName); ok && t.Qualifier.IsEmpty() && strings.EqualFold(t.Name.String(), name) {
				found = true
			}
		}
		return !found, nil
	}, s)
	return found
}

// laterCTE reports whether name is a CTE of an enclosing WITH RECURSIVE
// that is not visible yet (defined after the CTE being bound): a
// reference between CTEs both ways, which minisql does not run.
func (b *binder) laterCTE(name string) bool {
	for _, fr := range b.ctes {
		if !fr.recursive {
			continue
		}
		for i := fr.visible; i < len(fr.ctes); i++ {
			if strings.EqualFold(fr.ctes[i].Name, name) {
				return true
			}
		}
	}
	return false
}
