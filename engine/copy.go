package engine

import (
	"context"
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/planner/binder"
	"github.com/minisql/minisql/sources/csvsrc"
	"github.com/minisql/minisql/sources/ipcsrc"
	"github.com/minisql/minisql/sources/parquetsrc"
	"github.com/minisql/minisql/sqlerr"
)

// recordWriter is what the three file writers have in common.
type recordWriter interface {
	Write(ctx context.Context, rec arrow.Record) error
}

// copyTo runs a query and writes its result to a file. The file is written
// under a temporary name and renamed when complete, so a failed or
// cancelled COPY leaves nothing behind.
func (s *Session) copyTo(ctx context.Context, st *binder.Copy, settings Settings) (*Rows, error) {
	rows, err := s.startQuery(ctx, st.Query, settings, timeNow())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tmp := st.Path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "%v", err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	schema := namedSchema(rows.Schema(), st.Query.Names)
	var w recordWriter
	var finish func() error
	switch st.Format {
	case "parquet":
		pw, err := parquetsrc.NewWriter(f, schema, parquetsrc.WriterOptions{Mem: s.eng.mem})
		if err != nil {
			return nil, err
		}
		w, finish = pw, pw.Close
	case "arrow":
		iw, err := ipcsrc.NewWriter(f, schema, ipcsrc.WriterOptions{Mem: s.eng.mem})
		if err != nil {
			return nil, err
		}
		w, finish = iw, iw.Close
	default:
		cw, err := csvsrc.NewWriter(f, schema, csvsrc.WriterOptions{})
		if err != nil {
			return nil, err
		}
		w, finish = cw, cw.Flush
	}
	n := int64(0)
	for rows.Next() {
		if err := w.Write(rows.ctx, rows.Record()); err != nil {
			return nil, err
		}
		n += rows.Record().NumRows()
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "%v", err)
	}
	if err := os.Rename(tmp, st.Path); err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "%v", err)
	}
	ok = true
	return messageRows(ctx, s, fmt.Sprintf("COPY %d", n), n), nil
}
