package catalog

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/sources/csvsrc"
	"github.com/minisql/minisql/tpchgen"
)

// csvChunkBytes is the size of the byte ranges a CSV scan hands out as
// units of work.
const csvChunkBytes = 16 << 20

// CSVTable is a CSV (or TPC-H .tbl) file queried where it lies.
type CSVTable struct {
	name string
	f    *csvsrc.File
	rows int64 // estimated
}

var _ Table = (*CSVTable)(nil)

// OpenCSV opens a CSV file as a table, inferring its schema from a sample
// of rows. A .tbl file whose stem is a TPC-H table name (lineitem.tbl) gets
// that table's schema: dbgen's files have no header.
func OpenCSV(ctx context.Context, name, path string) (*CSVTable, error) {
	opts := csvsrc.Options{}
	if strings.EqualFold(filepath.Ext(path), ".tbl") {
		if s, err := tpchgen.Schema(name); err == nil {
			opts.Schema, opts.Header = s, csvsrc.No
		}
	}
	f, err := csvsrc.Open(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	return newCSVTable(name, f), nil
}

func newCSVTable(name string, f *csvsrc.File) *CSVTable {
	// Without a row count, estimate from the size (about 100 bytes a row
	// for the wide tables analysts keep in CSV).
	return &CSVTable{name: name, f: f, rows: max(f.Size()/100, 1)}
}

func (c *CSVTable) Name() string          { return c.name }
func (c *CSVTable) Schema() *arrow.Schema { return c.f.Schema() }
func (c *CSVTable) Stats() Stats          { return Stats{RowCount: c.rows, Bytes: c.f.Size()} }

func (c *CSVTable) Source(req ScanRequest) (operators.Source, error) {
	n := int(max(c.f.Size()/csvChunkBytes, 1))
	fields := make([]arrow.Field, len(req.Columns))
	for i, col := range req.Columns {
		fields[i] = c.f.Schema().Field(col)
	}
	return &csvSource{t: c, chunks: c.f.Chunks(n), cols: req.Columns, schema: arrow.NewSchema(fields, nil)}, nil
}

type csvSource struct {
	t      *CSVTable
	chunks []csvsrc.Chunk
	cols   []int
	schema *arrow.Schema
}

func (s *csvSource) Schema() *arrow.Schema { return s.schema }
func (s *csvSource) Units() int            { return len(s.chunks) }
func (s *csvSource) Close() error          { return nil }
func (s *csvSource) Describe() string {
	return fmt.Sprintf("%s (csv, %d chunks)", s.t.name, len(s.chunks))
}

func (s *csvSource) OpenUnit(t *operators.Task, i int) (operators.UnitReader, error) {
	r, err := s.t.f.NewReader(s.chunks[i], s.cols, t.Alloc())
	if err != nil {
		return nil, err
	}
	return &csvUnit{r: r}, nil
}

type csvUnit struct{ r *csvsrc.Reader }

func (u *csvUnit) Next(t *operators.Task) (arrow.Record, error) { return u.r.Next(t.Context()) }

func (u *csvUnit) Close() error {
	u.r.Close()
	return nil
}
