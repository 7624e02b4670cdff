package engine

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/planner/binder"
)

// execDelete runs DELETE: the rows kept become the table (see
// binder/dml.go). Until the swap the table is untouched, so an error or a
// cancel leaves it as it was.
func (s *Session) execDelete(ctx context.Context, st *binder.Delete, settings Settings) (*Rows, error) {
	t := st.Table
	if err := t.LockWrites(ctx); err != nil {
		return nil, err
	}
	defer t.UnlockWrites()
	before := t.Stats().RowCount
	kept := catalog.NewMemTable(t.Name(), t.Schema())
	defer kept.Release()
	if st.Query != nil {
		tmp, _, err := s.materialize(ctx, t.Name(), st.Query, settings)
		if err != nil {
			return nil, err
		}
		defer tmp.Release()
		kept = tmp
	}
	if err := t.ReplaceWith(kept); err != nil {
		return nil, err
	}
	n := before - kept.Stats().RowCount
	return messageRows(ctx, s, fmt.Sprintf("DELETE %d", n), n), nil
}

// execUpdate runs UPDATE: every row computed anew; the query's last column
// tells the rows changed, which are counted and not kept.
func (s *Session) execUpdate(ctx context.Context, st *binder.Update, settings Settings) (*Rows, error) {
	t := st.Table
	if err := t.LockWrites(ctx); err != nil {
		return nil, err
	}
	defer t.UnlockWrites()
	rows, err := s.startQuery(ctx, st.Query, settings, timeNow())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	next := catalog.NewMemTable(t.Name(), t.Schema())
	defer next.Release()
	ncols := t.Schema().NumFields()
	var changed int64
	for rows.Next() {
		rec := rows.Record()
		flags := rec.Column(ncols).(*array.Boolean)
		for i := 0; i < flags.Len(); i++ {
			if flags.IsValid(i) && flags.Value(i) {
				changed++
			}
		}
		cols := make([]arrow.Array, ncols)
		copy(cols, rec.Columns()[:ncols])
		r := array.NewRecord(t.Schema(), cols, rec.NumRows())
		err := next.Append(r)
		r.Release()
		if err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := t.ReplaceWith(next); err != nil {
		return nil, err
	}
	return messageRows(ctx, s, fmt.Sprintf("UPDATE %d", changed), changed), nil
}
