package binder

import (
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
)

// scope is the set of columns a name can refer to at one point of a query:
// the FROM clause's columns, with a link to the enclosing query's scope for
// correlated subqueries.
type scope struct {
	cols  []scopeCol
	outer *scope
	// corr collects the outer columns a subquery refers to; nil when
	// correlation is not allowed here.
	corr *correlation
}

type scopeCol struct {
	table string // qualifier
	col   plan.Column
	// hiddenUnqualified columns (the right side of JOIN ... USING) can be
	// named only with their qualifier.
	hiddenUnqualified bool
}

// correlation records references from a subquery to its enclosing scope.
type correlation struct {
	outer map[expr.ColumnID]bool
}

func (c *correlation) add(id expr.ColumnID) {
	if c.outer == nil {
		c.outer = map[expr.ColumnID]bool{}
	}
	c.outer[id] = true
}

func (s *scope) add(table string, cols []plan.Column) {
	for _, c := range cols {
		s.cols = append(s.cols, scopeCol{table: table, col: c})
	}
}

// resolve finds a column by optional qualifier and name. It looks in the
// enclosing scopes too, recording the reference as correlated.
func (b *binder) resolve(s *scope, table, name string) (*expr.ColumnRef, error) {
	for cur := s; cur != nil; cur = cur.outer {
		var found *plan.Column
		ambiguous := false
		for i := range cur.cols {
			c := &cur.cols[i]
			if !strings.EqualFold(c.col.Name, name) {
				continue
			}
			if table != "" && !strings.EqualFold(c.table, table) {
				continue
			}
			if table == "" && c.hiddenUnqualified {
				continue
			}
			if found != nil && found.ID != c.col.ID {
				ambiguous = true
			}
			found = &c.col
		}
		if ambiguous {
			return nil, b.errAt(name, sqlerr.ErrAmbiguous, "%q (qualify it with a table name)", name)
		}
		if found != nil {
			if cur != s {
				if s.corr == nil {
					return nil, b.errAt(name, sqlerr.ErrNotSupported, "correlated reference to %q here", name)
				}
				s.corr.add(found.ID)
			}
			return found.Ref(), nil
		}
		if cur.corr == nil && cur != s {
			break
		}
	}
	full := name
	if table != "" {
		if !b.hasQualifier(s, table) {
			return nil, b.errAt(table, sqlerr.ErrUnknownTable, "%q in column reference %s.%s", table, table, name)
		}
		full = table + "." + name
	}
	return nil, b.errAt(name, sqlerr.ErrUnknownColumn, "%q", full)
}

func (b *binder) hasQualifier(s *scope, table string) bool {
	for cur := s; cur != nil; cur = cur.outer {
		for _, c := range cur.cols {
			if strings.EqualFold(c.table, table) {
				return true
			}
		}
	}
	return false
}

// star expands * or table.* into the visible columns.
func (b *binder) star(s *scope, table string) ([]plan.Column, error) {
	var out []plan.Column
	for _, c := range s.cols {
		if table == "" && c.hiddenUnqualified {
			continue
		}
		if table == "" || strings.EqualFold(c.table, table) {
			out = append(out, c.col)
		}
	}
	if len(out) == 0 {
		if table != "" {
			return nil, b.errAt(table, sqlerr.ErrUnknownTable, "%q", table)
		}
		return nil, sqlerr.New(sqlerr.ErrSyntax, "SELECT * with no FROM clause")
	}
	return out, nil
}
