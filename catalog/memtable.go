package catalog

import (
	"fmt"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/vector"
)

// MemChunkRows is the size of the slices an in-memory scan hands out as
// units of work.
const MemChunkRows = 64 * 1024

// MemTable is an in-memory table: a list of record batches. Readers get a
// snapshot of the batch list, so an INSERT never disturbs a running scan.
type MemTable struct {
	name   string
	schema *arrow.Schema

	mu      sync.RWMutex
	batches []arrow.Record // chunks (memchunk.go), then the tail
	tail    int            // batches at the end not yet in a chunk
	tailN   int64          // their rows
	rows    int64
	bytes   int64
	ndv     map[int]int64 // column -> estimated distinct values, cached
	ranges  map[int]valueRange

	writer chan struct{} // the write lock (memtable_write.go)
}

var _ Table = (*MemTable)(nil)

// NewMemTable returns an empty table.
func NewMemTable(name string, schema *arrow.Schema) *MemTable {
	return &MemTable{name: name, schema: schema, writer: make(chan struct{}, 1)}
}

func (m *MemTable) Name() string          { return m.name }
func (m *MemTable) Schema() *arrow.Schema { return m.schema }

func (m *MemTable) Stats() Stats {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return Stats{RowCount: m.rows, Bytes: m.bytes}
}

// Append adds records (retaining them). Their schema must match the
// table's types.
func (m *MemTable) Append(recs ...arrow.Record) error {
	for _, r := range recs {
		if err := sameTypes(m.schema, r.Schema()); err != nil {
			return err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range recs {
		if r.NumRows() == 0 {
			continue
		}
		r.Retain()
		m.ndv, m.ranges = nil, nil // the sample and the ranges may have changed
		m.batches = append(m.batches, r)
		m.tail++
		m.tailN += r.NumRows()
		m.rows += r.NumRows()
		m.bytes += recordBytes(r)
		for m.tailN >= MemChunkRows && m.compactTail() {
		}
	}
	return nil
}

// compactTail copies the first MemChunkRows rows of the tail into a
// chunk, which takes their place. A chunk that cannot be made (the copy
// failed) leaves the tail as it is, and the table whole: it returns
// false then.
func (m *MemTable) compactTail() bool {
	start := len(m.batches) - m.tail
	tail := m.batches[start:]
	var parts, slices []arrow.Record
	var rest arrow.Record // what is left of the last batch taken
	used, need := 0, int64(MemChunkRows)
	for need > 0 {
		b := tail[used]
		used++
		if n := b.NumRows(); n > need {
			head := b.NewSlice(0, need)
			rest = b.NewSlice(need, n)
			vector.SettleNulls(rest) // kept, and read by concurrent queries
			parts, slices = append(parts, head), append(slices, head)
			break
		}
		parts = append(parts, b)
		need -= b.NumRows()
	}
	chunk, err := compactChunk(m.schema, parts)
	for _, s := range slices {
		s.Release()
	}
	if err != nil {
		if rest != nil {
			rest.Release()
		}
		return false
	}
	batches := append(m.batches[:start:start], chunk)
	if rest != nil {
		batches = append(batches, rest)
	}
	batches = append(batches, tail[used:]...)
	for _, b := range tail[:used] {
		m.bytes -= recordBytes(b)
		b.Release()
	}
	m.bytes += recordBytes(chunk)
	if rest != nil {
		m.bytes += recordBytes(rest)
	}
	m.batches = batches
	m.tail = len(batches) - start - 1
	m.tailN -= MemChunkRows
	return true
}

func sameTypes(want, got *arrow.Schema) error {
	if want.NumFields() != got.NumFields() {
		return fmt.Errorf("expected %d columns, got %d", want.NumFields(), got.NumFields())
	}
	for i := range want.Fields() {
		if !arrow.TypeEqual(want.Field(i).Type, got.Field(i).Type) {
			return fmt.Errorf("column %s: expected %s, got %s", want.Field(i).Name, want.Field(i).Type, got.Field(i).Type)
		}
	}
	return nil
}

// Release drops the table's data (DROP TABLE). Running scans keep the
// batches they already took alive until they finish.
func (m *MemTable) Release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.batches {
		r.Release()
	}
	m.batches, m.rows, m.bytes = nil, 0, 0
	m.tail, m.tailN = 0, 0
}

func (m *MemTable) Source(req ScanRequest) (operators.Source, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	src := &memSource{name: m.name, cols: req.Columns, batchSize: req.BatchSize}
	fields := make([]arrow.Field, len(req.Columns))
	for i, c := range req.Columns {
		fields[i] = m.schema.Field(c)
	}
	src.schema = arrow.NewSchema(fields, nil)
	morsel := int64(MemChunkRows)
	if req.MorselRows > 0 {
		morsel = int64(req.MorselRows)
	}
	// Snapshot: retain every batch for as long as the source lives.
	for _, b := range m.batches {
		b.Retain()
		for off := int64(0); off < b.NumRows(); off += morsel {
			src.units = append(src.units, memUnit{batch: len(src.batches), off: off, end: min(off+morsel, b.NumRows())})
		}
		src.batches = append(src.batches, b)
	}
	return src, nil
}

type memUnit struct {
	batch    int
	off, end int64
}

// memSource scans a snapshot of a MemTable. Its units are slices of at most
// MemChunkRows rows; reading copies nothing (Arrow slices).
type memSource struct {
	name      string
	schema    *arrow.Schema
	cols      []int
	batchSize int
	batches   []arrow.Record
	units     []memUnit
	closeOnce sync.Once
}

func (s *memSource) Schema() *arrow.Schema { return s.schema }
func (s *memSource) Units() int            { return len(s.units) }
func (s *memSource) Describe() string      { return s.name }

func (s *memSource) OpenUnit(_ *operators.Task, i int) (operators.UnitReader, error) {
	return &memReader{src: s, u: s.units[i], pos: s.units[i].off}, nil
}

// Close releases the snapshot.
func (s *memSource) Close() error {
	s.closeOnce.Do(func() {
		for _, b := range s.batches {
			b.Release()
		}
	})
	return nil
}

type memReader struct {
	src *memSource
	u   memUnit
	pos int64
}

func (r *memReader) Next(t *operators.Task) (arrow.Record, error) {
	if r.pos >= r.u.end {
		return nil, nil
	}
	end := min(r.pos+int64(r.src.batchSize), r.u.end)
	b := r.src.batches[r.u.batch]
	cols := make([]arrow.Array, len(r.src.cols))
	for i, c := range r.src.cols {
		cols[i] = b.Column(c)
	}
	rec := arrowSlice(r.src.schema, cols, r.pos, end)
	r.pos = end
	return rec, nil
}

func (r *memReader) Close() error { return nil }

// AppendFrom appends every batch of another table with the same types.
// When this table has no tail, the other's chunks join it as chunks,
// shared and not copied: INSERT ... SELECT materialises its rows into a
// temporary table, which has copied them into chunks already, and
// copying them again cost the statement a second pass over its rows.
func (m *MemTable) AppendFrom(o *MemTable) error {
	if err := sameTypes(m.schema, o.schema); err != nil {
		return err
	}
	o.mu.RLock()
	batches := append([]arrow.Record(nil), o.batches...)
	chunks := len(o.batches) - o.tail
	for _, b := range batches {
		b.Retain()
	}
	o.mu.RUnlock()
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	relabelled := make([]arrow.Record, len(batches))
	for i, b := range batches {
		relabelled[i] = array.NewRecord(m.schema, b.Columns(), b.NumRows())
	}
	defer func() {
		for _, r := range relabelled {
			r.Release()
		}
	}()
	rest := m.appendChunks(relabelled[:chunks])
	return m.Append(relabelled[rest:]...)
}

// appendChunks adds whole chunks as this table's own when it has no tail
// (a chunk must not follow rows not yet in one), retaining them, and
// returns how many it took.
func (m *MemTable) appendChunks(chunks []arrow.Record) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tail > 0 {
		return 0
	}
	for _, c := range chunks {
		c.Retain()
		m.batches = append(m.batches, c)
		m.rows += c.NumRows()
		m.bytes += recordBytes(c)
	}
	if len(chunks) > 0 {
		m.ndv, m.ranges = nil, nil
	}
	return len(chunks)
}
