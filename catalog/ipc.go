package catalog

import (
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/sources/ipcsrc"
)

// IPCTable is an Arrow IPC (Feather v2) file; record batches are the scan
// units.
type IPCTable struct {
	name string
	f    *ipcsrc.File
	size int64
}

var _ Table = (*IPCTable)(nil)

// OpenIPC opens an Arrow IPC file as a table.
func OpenIPC(name, path string) (*IPCTable, error) {
	f, err := ipcsrc.Open(path)
	if err != nil {
		return nil, err
	}
	var size int64
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	return &IPCTable{name: name, f: f, size: size}, nil
}

func (t *IPCTable) Name() string          { return t.name }
func (t *IPCTable) Schema() *arrow.Schema { return t.f.Schema() }

// Stats estimates rows from the size: the footer does not count rows.
func (t *IPCTable) Stats() Stats { return Stats{RowCount: max(t.size/32, 1), Bytes: t.size} }

// Close closes the file.
func (t *IPCTable) Close() error { return t.f.Close() }

func (t *IPCTable) Source(req ScanRequest) (operators.Source, error) {
	fields := make([]arrow.Field, len(req.Columns))
	for i, c := range req.Columns {
		fields[i] = t.f.Schema().Field(c)
	}
	return &ipcSource{t: t, cols: req.Columns, batchSize: req.BatchSize, schema: arrow.NewSchema(fields, nil)}, nil
}

type ipcSource struct {
	t         *IPCTable
	cols      []int
	batchSize int
	schema    *arrow.Schema
}

func (s *ipcSource) Schema() *arrow.Schema { return s.schema }
func (s *ipcSource) Units() int            { return s.t.f.NumRecordBatches() }
func (s *ipcSource) Close() error          { return nil }
func (s *ipcSource) Describe() string {
	return fmt.Sprintf("%s (arrow, %d batches)", s.t.name, s.t.f.NumRecordBatches())
}

func (s *ipcSource) OpenUnit(t *operators.Task, i int) (operators.UnitReader, error) {
	r, err := s.t.f.NewReader([]int{i}, s.cols, s.batchSize, t.Alloc())
	if err != nil {
		return nil, err
	}
	return &ipcUnit{r: r}, nil
}

type ipcUnit struct{ r *ipcsrc.Reader }

func (u *ipcUnit) Next(t *operators.Task) (arrow.Record, error) { return u.r.Next(t.Context()) }

func (u *ipcUnit) Close() error {
	u.r.Close()
	return nil
}
