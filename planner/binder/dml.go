package binder

import (
	"strings"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// UPDATE and DELETE rewrite an in-memory table whole, as a query over it:
// DELETE keeps the rows its condition does not hold for, UPDATE computes
// every row anew. The engine swaps the result in (catalog.MemTable's
// ReplaceWith) under the table's write lock, so running scans keep their
// snapshot and a cancelled statement leaves the table as it was. The cost
// is a pass over the table per statement, which suits analytical tables
// changed in bulk.

// Delete removes the rows of Table that Query does not return.
type Delete struct {
	Table *catalog.MemTable
	Query *Query // the rows kept; nil when every row goes
}

// Update replaces Table by Query's rows; Query's last column says whether
// the row was changed (for the count), the others are the table's.
type Update struct {
	Table *catalog.MemTable
	Query *Query
}

func (*Delete) isStatement() {}
func (*Update) isStatement() {}

// dmlTable resolves the single in-memory table an UPDATE or DELETE
// changes.
func (b *binder) dmlTable(what string, exprs sqlparser.TableExprs, orderBy sqlparser.OrderBy, limit *sqlparser.Limit) (*catalog.MemTable, sqlparser.TableName, error) {
	var name sqlparser.TableName
	if len(orderBy) > 0 || limit != nil {
		return nil, name, sqlerr.NotSupported("ORDER BY or LIMIT in %s", what)
	}
	if len(exprs) != 1 {
		return nil, name, sqlerr.NotSupported("%s of more than one table", what)
	}
	at, ok := exprs[0].(*sqlparser.AliasedTableExpr)
	if !ok {
		return nil, name, sqlerr.NotSupported("%s of a join", what)
	}
	name, ok = at.Expr.(sqlparser.TableName)
	if !ok || !name.Qualifier.IsEmpty() {
		return nil, name, sqlerr.NotSupported("%s of %s", what, parse.Format(at.Expr))
	}
	if _, _, isView := b.lookupView(name.Name.String()); isView {
		return nil, name, b.errAt(name.Name.String(), sqlerr.ErrNotSupported, "%s of a view", what)
	}
	t, err := b.table(name.Name.String())
	if err != nil {
		return nil, name, err
	}
	mt, ok := t.(*catalog.MemTable)
	if !ok {
		return nil, name, b.errAt(name.Name.String(), sqlerr.ErrNotSupported, "%s of %s, which is not an in-memory table", what, t.Name())
	}
	return mt, name, nil
}

func (b *binder) bindDelete(del *sqlparser.Delete) (Statement, error) {
	if len(del.Targets) > 0 || len(del.Partitions) > 0 {
		return nil, sqlerr.NotSupported("multi-table DELETE")
	}
	t, _, err := b.dmlTable("DELETE", del.TableExprs, del.OrderBy, del.Limit)
	if err != nil {
		return nil, err
	}
	if del.Where == nil {
		return &Delete{Table: t}, nil
	}
	// The rows kept: those the condition is not true for (false or NULL).
	sel := &sqlparser.Select{
		SelectExprs: sqlparser.SelectExprs{&sqlparser.StarExpr{}},
		From:        del.TableExprs,
		Where:       sqlparser.NewWhere(sqlparser.WhereStr, &sqlparser.IsExpr{Operator: sqlparser.IsNotTrueStr, Expr: &sqlparser.ParenExpr{Expr: del.Where.Expr}}),
	}
	q, err := b.bindTopQuery(&parse.Query{AST: sel, Aliases: map[string]parse.DerivedAlias{}})
	if err != nil {
		return nil, err
	}
	return &Delete{Table: t, Query: q}, nil
}

func (b *binder) bindUpdate(up *sqlparser.Update) (Statement, error) {
	t, name, err := b.dmlTable("UPDATE", up.TableExprs, up.OrderBy, up.Limit)
	if err != nil {
		return nil, err
	}
	schema := t.Schema()
	set := map[int]sqlparser.Expr{}
	for _, ue := range up.Exprs {
		col := ue.Name.Name.String()
		if !ue.Name.Qualifier.IsEmpty() && !strings.EqualFold(ue.Name.Qualifier.Name.String(), name.Name.String()) {
			return nil, b.errAt(col, sqlerr.ErrUnknownColumn, "%s.%s", ue.Name.Qualifier.Name.String(), col)
		}
		idx := fieldIndexFold(schema, col)
		if len(idx) == 0 {
			return nil, b.errAt(col, sqlerr.ErrUnknownColumn, "%q in table %s", col, t.Name())
		}
		if _, dup := set[idx[0]]; dup {
			return nil, b.errAt(col, sqlerr.ErrSyntax, "column %s is set twice", col)
		}
		set[idx[0]] = ue.Expr
	}
	// Every column: CASE WHEN cond THEN new ELSE old END (just new without
	// WHERE), all computed from the old row; then whether the row changed.
	var items sqlparser.SelectExprs
	for i, f := range schema.Fields() {
		old := &sqlparser.ColName{Name: sqlparser.NewColIdent(f.Name)}
		var e sqlparser.Expr = old
		if v, ok := set[i]; ok {
			e = v
			if up.Where != nil {
				e = &sqlparser.CaseExpr{Whens: []*sqlparser.When{{Cond: &sqlparser.ParenExpr{Expr: up.Where.Expr}, Val: v}}, Else: old}
			}
		}
		items = append(items, &sqlparser.AliasedExpr{Expr: e})
	}
	var changed sqlparser.Expr = sqlparser.BoolVal(true)
	if up.Where != nil {
		changed = &sqlparser.IsExpr{Operator: sqlparser.IsTrueStr, Expr: &sqlparser.ParenExpr{Expr: up.Where.Expr}}
	}
	items = append(items, &sqlparser.AliasedExpr{Expr: changed})
	sel := &sqlparser.Select{SelectExprs: items, From: up.TableExprs}
	node, cols, err := b.bindQuery(&parse.Query{AST: sel, Aliases: map[string]parse.DerivedAlias{}}, nil)
	if err != nil {
		return nil, err
	}
	// Cast each value to its column's type, as INSERT does.
	proj := &plan.Project{Input: node}
	for i, f := range schema.Fields() {
		ft := types.MustFromArrow(f.Type)
		x, err := castTo(cols[i].Ref(), ft)
		if err != nil {
			return nil, sqlerr.New(sqlerr.ErrType, "column %s: %v", f.Name, err)
		}
		proj.Exprs = append(proj.Exprs, x)
		proj.Cols = append(proj.Cols, plan.Column{ID: b.newID(), Name: f.Name, Type: ft})
	}
	last := cols[len(cols)-1]
	proj.Exprs = append(proj.Exprs, last.Ref())
	proj.Cols = append(proj.Cols, plan.Column{ID: b.newID(), Name: "__changed", Type: types.BoolType})
	names := make([]string, len(proj.Cols))
	for i, c := range proj.Cols {
		names[i] = c.Name
	}
	return &Update{Table: t, Query: &Query{Plan: proj, Names: names}}, nil
}
