package binder

import (
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

func (b *binder) bindDDL(d *sqlparser.DDL, ifNotExists bool) (Statement, error) {
	switch d.Action {
	case sqlparser.CreateStr:
		if d.TableSpec == nil {
			return nil, sqlerr.NotSupported("CREATE TABLE without columns")
		}
		if len(d.TableSpec.Indexes) > 0 {
			return nil, sqlerr.NotSupported("indexes and keys in CREATE TABLE")
		}
		var fields []arrow.Field
		seen := map[string]bool{}
		for _, c := range d.TableSpec.Columns {
			name := c.Name.String()
			if seen[strings.ToLower(name)] {
				return nil, b.errAt(name, sqlerr.ErrSyntax, "column %q given twice", name)
			}
			seen[strings.ToLower(name)] = true
			typeName := c.Type.Type
			if c.Type.Length != nil {
				typeName += "(" + string(c.Type.Length.Val)
				if c.Type.Scale != nil {
					typeName += "," + string(c.Type.Scale.Val)
				}
				typeName += ")"
			}
			t, err := types.Parse(typeName)
			if err != nil {
				return nil, b.errAt(c.Type.Type, sqlerr.ErrType, "column %s: %v", name, err)
			}
			fields = append(fields, arrow.Field{Name: name, Type: t.Arrow(), Nullable: !bool(c.Type.NotNull)})
		}
		name := d.NewName.Name.String() // sqlparser puts a created table here
		if name == "" {
			name = d.Table.Name.String()
		}
		return &CreateTable{Name: name, Schema: arrow.NewSchema(fields, nil), IfNotExists: ifNotExists}, nil
	case sqlparser.DropStr:
		return &DropTable{Names: []string{d.Table.Name.String()}, IfExists: d.IfExists}, nil
	}
	return nil, sqlerr.NotSupported("%s TABLE", strings.ToUpper(d.Action))
}

func (b *binder) bindInsert(ins *sqlparser.Insert, q *parse.Query) (Statement, error) {
	if ins.Action != sqlparser.InsertStr {
		return nil, sqlerr.NotSupported("%s", strings.ToUpper(ins.Action))
	}
	if len(ins.OnDup) > 0 {
		return nil, sqlerr.NotSupported("ON DUPLICATE KEY UPDATE")
	}
	t, err := b.table(ins.Table.Name.String())
	if err != nil {
		return nil, err
	}
	schema := t.Schema()
	// target[i] is the table column the i-th value goes to.
	target := make([]int, 0, schema.NumFields())
	if len(ins.Columns) == 0 {
		for i := range schema.Fields() {
			target = append(target, i)
		}
	} else {
		for _, c := range ins.Columns {
			idx := schema.FieldIndices(c.String())
			if len(idx) == 0 {
				idx = fieldIndexFold(schema, c.String())
			}
			if len(idx) == 0 {
				return nil, b.errAt(c.String(), sqlerr.ErrUnknownColumn, "%q in table %s", c.String(), t.Name())
			}
			target = append(target, idx[0])
		}
	}
	var node plan.Node
	var cols []plan.Column
	switch rows := ins.Rows.(type) {
	case sqlparser.Values:
		node, cols, err = b.bindValues(rows)
	case sqlparser.SelectStatement:
		node, cols, err = b.bindQuery(q, nil)
	default:
		return nil, sqlerr.NotSupported("INSERT source %T", rows)
	}
	if err != nil {
		return nil, err
	}
	if len(cols) != len(target) {
		return nil, sqlerr.New(sqlerr.ErrSyntax, "INSERT has %d target columns but %d values", len(target), len(cols))
	}
	// Project to the table's full column list, casting; missing columns
	// are NULL.
	proj := &plan.Project{Input: node}
	for i, f := range schema.Fields() {
		ft := types.MustFromArrow(f.Type)
		var e expr.Expr = &expr.Literal{T: ft}
		for k, tgt := range target {
			if tgt == i {
				x, err := castTo(cols[k].Ref(), ft)
				if err != nil {
					return nil, sqlerr.New(sqlerr.ErrType, "column %s: %v", f.Name, err)
				}
				e = x
			}
		}
		proj.Exprs = append(proj.Exprs, e)
		proj.Cols = append(proj.Cols, plan.Column{ID: b.newID(), Name: f.Name, Type: ft})
	}
	names := make([]string, len(proj.Cols))
	for i, c := range proj.Cols {
		names[i] = c.Name
	}
	return &Insert{Table: t, Query: &Query{Plan: proj, Names: names}}, nil
}

func fieldIndexFold(s *arrow.Schema, name string) []int {
	for i, f := range s.Fields() {
		if strings.EqualFold(f.Name, name) {
			return []int{i}
		}
	}
	return nil
}

// bindValues binds VALUES (...), (...) into a Values node whose columns have
// the common type of each position.
func (b *binder) bindValues(rows sqlparser.Values) (plan.Node, []plan.Column, error) {
	if len(rows) == 0 {
		return nil, nil, sqlerr.New(sqlerr.ErrSyntax, "empty VALUES")
	}
	width := len(rows[0])
	bound := make([][]expr.Expr, len(rows))
	c := &exprCtx{sc: &scope{}}
	for i, row := range rows {
		if len(row) != width {
			return nil, nil, sqlerr.New(sqlerr.ErrSyntax, "VALUES row %d has %d values, expected %d", i+1, len(row), width)
		}
		for _, v := range row {
			x, err := b.bindExpr(v, c)
			if err != nil {
				return nil, nil, err
			}
			bound[i] = append(bound[i], x)
		}
	}
	cols := make([]plan.Column, width)
	for j := 0; j < width; j++ {
		column := make([]expr.Expr, len(rows))
		for i := range rows {
			column[i] = bound[i][j]
		}
		column, t, err := unify(column, "VALUES column")
		if err != nil {
			return nil, nil, err
		}
		for i := range rows {
			bound[i][j] = column[i]
		}
		cols[j] = plan.Column{ID: b.newID(), Name: "col" + itoa(j), Type: t}
	}
	return &plan.Values{Cols: cols, Rows: bound}, cols, nil
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

func (b *binder) bindSet(s *sqlparser.Set) (Statement, error) {
	if len(s.Exprs) != 1 {
		return nil, sqlerr.NotSupported("SET of several settings at once")
	}
	e := s.Exprs[0]
	val := ""
	switch v := e.Expr.(type) {
	case *sqlparser.SQLVal:
		val = string(v.Val)
	case *sqlparser.ColName:
		val = v.Name.String()
	case sqlparser.BoolVal:
		val = "false"
		if v {
			val = "true"
		}
	default:
		val = sqlparser.String(e.Expr)
	}
	return &Set{Name: strings.ToLower(e.Name.String()), Value: val}, nil
}
