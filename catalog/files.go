package catalog

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// FilesTable is several files of one schema read as one table: a glob or
// a list of paths in read_csv or read_parquet. Each file keeps its own
// units of work (row groups, CSV chunks), so the files are read in
// parallel as one file's units are.
type FilesTable struct {
	name  string
	parts []Table
}

var _ Table = (*FilesTable)(nil)

// NewFilesTable joins tables read from paths (in the same order). Their
// schemas must be equal: a difference is an error naming two of the files.
func NewFilesTable(name string, parts []Table, paths []string) (*FilesTable, error) {
	if len(parts) == 0 || len(parts) != len(paths) {
		return nil, sqlerr.New(sqlerr.ErrInternal, "files table %s: %d tables for %d paths", name, len(parts), len(paths))
	}
	first := parts[0].Schema()
	for i, p := range parts[1:] {
		if !sameColumns(first, p.Schema()) {
			return nil, sqlerr.New(sqlerr.ErrInvalidValue, "schema mismatch: %q has columns (%s) but %q has (%s)",
				paths[0], columnList(first), paths[i+1], columnList(p.Schema()))
		}
	}
	return &FilesTable{name: name, parts: parts}, nil
}

// sameColumns compares names (case-insensitively, as SQL names) and types.
func sameColumns(a, b *arrow.Schema) bool {
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i := range a.Fields() {
		fa, fb := a.Field(i), b.Field(i)
		if !strings.EqualFold(fa.Name, fb.Name) || !arrow.TypeEqual(fa.Type, fb.Type) {
			return false
		}
	}
	return true
}

// columnList renders a schema as "a BIGINT, b VARCHAR".
func columnList(s *arrow.Schema) string {
	out := ""
	for i, f := range s.Fields() {
		if i > 0 {
			out += ", "
		}
		name := f.Type.String()
		if t, err := types.FromArrow(f.Type); err == nil {
			name = t.String()
		}
		out += f.Name + " " + name
	}
	return out
}

func (t *FilesTable) Name() string          { return t.name }
func (t *FilesTable) Schema() *arrow.Schema { return t.parts[0].Schema() }

// Stats adds up the files' statistics (unknown if any file's is).
func (t *FilesTable) Stats() Stats {
	var s Stats
	for _, p := range t.parts {
		ps := p.Stats()
		if ps.RowCount < 0 || s.RowCount < 0 {
			s.RowCount = -1
		} else {
			s.RowCount += ps.RowCount
		}
		s.Bytes += ps.Bytes
	}
	return s
}

// Source opens a source per file and numbers their units one after another.
func (t *FilesTable) Source(req ScanRequest) (operators.Source, error) {
	s := &filesSource{t: t}
	for _, p := range t.parts {
		ps, err := p.Source(req)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.parts = append(s.parts, ps)
		s.first = append(s.first, s.units)
		s.units += ps.Units()
	}
	return s, nil
}

// Close closes the files that hold OS resources.
func (t *FilesTable) Close() error {
	var errs []error
	for _, p := range t.parts {
		if c, ok := p.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

type filesSource struct {
	t     *FilesTable
	parts []operators.Source
	first []int // the number of part i's first unit
	units int
}

func (s *filesSource) Schema() *arrow.Schema { return s.parts[0].Schema() }
func (s *filesSource) Units() int            { return s.units }
func (s *filesSource) Describe() string {
	return fmt.Sprintf("%s (%d files, %d units)", s.t.name, len(s.parts), s.units)
}

func (s *filesSource) OpenUnit(t *operators.Task, i int) (operators.UnitReader, error) {
	for p := len(s.parts) - 1; p >= 0; p-- {
		if i >= s.first[p] {
			return s.parts[p].OpenUnit(t, i-s.first[p])
		}
	}
	return nil, sqlerr.New(sqlerr.ErrInternal, "files source %s: no unit %d", s.t.name, i)
}

func (s *filesSource) Close() error {
	var errs []error
	for _, p := range s.parts {
		errs = append(errs, p.Close())
	}
	return errors.Join(errs...)
}
