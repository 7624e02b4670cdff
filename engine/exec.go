package engine

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/binder"
	"github.com/minisql/minisql/planner/physical"
	"github.com/minisql/minisql/sqlerr"
)

// execStatement runs a statement that is not a query.
func (s *Session) execStatement(ctx context.Context, st binder.Statement, settings Settings) (*Rows, error) {
	e := s.eng
	switch st := st.(type) {
	case *binder.CreateTable:
		t := catalog.NewMemTable(st.Name, st.Schema)
		if err := e.Register(t, false); err != nil {
			if st.IfNotExists {
				return messageRows(ctx, s, "CREATE TABLE", 0), nil
			}
			return nil, err
		}
		return messageRows(ctx, s, "CREATE TABLE", 0), nil
	case *binder.CreateTableAs:
		if !st.OrReplace {
			if _, err := e.Table(st.Name); err == nil {
				if st.IfNotExists {
					return messageRows(ctx, s, "CREATE TABLE", 0), nil
				}
				return nil, sqlerr.New(sqlerr.ErrTableExists, "%q", st.Name)
			}
		}
		t, n, err := s.materialize(ctx, st.Name, st.Query, settings)
		if err != nil {
			return nil, err
		}
		if err := e.Register(t, st.OrReplace); err != nil {
			t.Release()
			return nil, err
		}
		return messageRows(ctx, s, fmt.Sprintf("CREATE TABLE %d", n), n), nil
	case *binder.Insert:
		mt, ok := st.Table.(*catalog.MemTable)
		if !ok {
			return nil, sqlerr.NotSupported("INSERT into %s, which is not an in-memory table", st.Table.Name())
		}
		if err := mt.LockWrites(ctx); err != nil {
			return nil, err
		}
		defer mt.UnlockWrites()
		tmp, n, err := s.materialize(ctx, mt.Name(), st.Query, settings)
		if err != nil {
			return nil, err
		}
		defer tmp.Release()
		if err := mt.AppendFrom(tmp); err != nil {
			return nil, err
		}
		return messageRows(ctx, s, fmt.Sprintf("INSERT %d", n), n), nil
	case *binder.Delete:
		return s.execDelete(ctx, st, settings)
	case *binder.Update:
		return s.execUpdate(ctx, st, settings)
	case *binder.DropTable:
		for _, name := range st.Names {
			if e.isView(name) {
				return nil, sqlerr.New(sqlerr.ErrInvalidValue, "%q is a view (DROP VIEW)", name)
			}
			if !e.Drop(name) && !st.IfExists {
				return nil, sqlerr.New(sqlerr.ErrUnknownTable, "%q", name)
			}
		}
		return messageRows(ctx, s, "DROP TABLE", 0), nil
	case *binder.CreateView:
		if err := e.CreateView(st.Name, st.Text, st.Columns, st.OrReplace); err != nil {
			if st.IfNotExists && e.isView(st.Name) {
				return messageRows(ctx, s, "CREATE VIEW", 0), nil
			}
			return nil, err
		}
		return messageRows(ctx, s, "CREATE VIEW", 0), nil
	case *binder.DropView:
		for _, name := range st.Names {
			if !e.DropView(name) && !st.IfExists {
				if _, err := e.Table(name); err == nil {
					return nil, sqlerr.New(sqlerr.ErrInvalidValue, "%q is a table (DROP TABLE)", name)
				}
				return nil, sqlerr.New(sqlerr.ErrUnknownTable, "view %q", name)
			}
		}
		return messageRows(ctx, s, "DROP VIEW", 0), nil
	case *binder.Copy:
		return s.copyTo(ctx, st, settings)
	case *binder.Set:
		if err := s.Set(st.Name, st.Value); err != nil {
			return nil, err
		}
		return messageRows(ctx, s, "SET", 0), nil
	case *binder.ShowTables:
		names := e.Tables()
		b := array.NewStringBuilder(e.mem)
		defer b.Release()
		b.AppendValues(names, nil)
		return s.recordRows(ctx, []string{"name"}, []arrow.Array{b.NewArray()})
	case *binder.ShowSetting:
		return s.showSetting(ctx, st.Name)
	case *binder.Describe:
		nb, tb := array.NewStringBuilder(e.mem), array.NewStringBuilder(e.mem)
		defer nb.Release()
		defer tb.Release()
		for i, name := range st.Names {
			nb.Append(name)
			tb.Append(st.Types[i].String())
		}
		return s.recordRows(ctx, []string{"column_name", "column_type"}, []arrow.Array{nb.NewArray(), tb.NewArray()})
	}
	return nil, sqlerr.NotSupported("statement %T", st)
}

// recordRows returns Rows over one record made of the given columns (whose
// references it takes over).
func (s *Session) recordRows(ctx context.Context, names []string, cols []arrow.Array) (*Rows, error) {
	fields := make([]arrow.Field, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: cols[i].DataType(), Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	rec := array.NewRecord(schema, cols, int64(cols[0].Len()))
	for _, c := range cols {
		c.Release()
	}
	defer rec.Release()
	op := operators.NewRecords(schema, []arrow.Record{rec}, "Result")
	r := newRows(ctx, s, &physical.Plan{Root: op}, s.Settings(), timeNow(), queryMemory{alloc: s.eng.mem})
	return r, r.open()
}

// materialize runs a query to completion into a new in-memory table.
func (s *Session) materialize(ctx context.Context, name string, q *binder.Query, settings Settings) (*catalog.MemTable, int64, error) {
	rows, err := s.startQuery(ctx, q, settings, timeNow())
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	t := catalog.NewMemTable(name, namedSchema(rows.Schema(), q.Names))
	n := int64(0)
	for rows.Next() {
		rec := rows.Record()
		relabelled := array.NewRecord(t.Schema(), rec.Columns(), rec.NumRows())
		err := t.Append(relabelled)
		relabelled.Release()
		if err != nil {
			t.Release()
			return nil, 0, err
		}
		n += rec.NumRows()
	}
	if err := rows.Err(); err != nil {
		t.Release()
		return nil, 0, err
	}
	if err := rows.Close(); err != nil {
		t.Release()
		return nil, 0, err
	}
	return t, n, nil
}

func namedSchema(s *arrow.Schema, names []string) *arrow.Schema {
	fields := make([]arrow.Field, s.NumFields())
	for i, f := range s.Fields() {
		f.Nullable = true
		if i < len(names) {
			f.Name = names[i]
		}
		fields[i] = f
	}
	return arrow.NewSchema(fields, nil)
}
