package catalog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/vector"
)

// RangeTable is the table function range(start, stop[, step]) (and
// range(stop)): one BIGINT column named range, generated lazily a morsel
// at a time, as in DuckDB. range(9223372036854775807) is, for any
// practical purpose, an endless source: the cancellation tests use it.
// generate_series is the same with stop included, and its column is named
// generate_series.
type RangeTable struct {
	name              string
	start, stop, step int64
	inclusive         bool
	schema            *arrow.Schema
}

var _ Table = (*RangeTable)(nil)

// ParseRange recognises a table name of the form range(a[, b[, c]]) or
// generate_series(a[, b[, c]]); ok is false for any other name.
func ParseRange(name string) (*RangeTable, bool, error) {
	lower := strings.ToLower(strings.TrimSpace(name))
	fn := ""
	for _, f := range []string{"range", "generate_series"} {
		if strings.HasPrefix(lower, f+"(") && strings.HasSuffix(lower, ")") {
			fn = f
		}
	}
	if fn == "" {
		return nil, false, nil
	}
	parts := strings.Split(lower[len(fn)+1:len(lower)-1], ",")
	var args []int64
	for _, p := range parts {
		v, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil {
			return nil, true, fmt.Errorf("%s() takes integer constants, got %q", fn, strings.TrimSpace(p))
		}
		args = append(args, v)
	}
	t := &RangeTable{name: name, step: 1, inclusive: fn == "generate_series",
		schema: arrow.NewSchema([]arrow.Field{{Name: fn, Type: arrow.PrimitiveTypes.Int64}}, nil)}
	switch len(args) {
	case 1:
		t.stop = args[0]
	case 2:
		t.start, t.stop = args[0], args[1]
	case 3:
		t.start, t.stop, t.step = args[0], args[1], args[2]
	default:
		return nil, true, fmt.Errorf("%s() takes 1 to 3 arguments", fn)
	}
	if t.step == 0 {
		return nil, true, fmt.Errorf("%s() step must not be 0", fn)
	}
	return t, true, nil
}

func (r *RangeTable) Name() string          { return r.name }
func (r *RangeTable) Schema() *arrow.Schema { return r.schema }

// rows is the number of values, saturating at 2^62.
func (r *RangeTable) rows() int64 {
	var span, step uint64
	switch {
	case r.inclusive && r.stop == r.start:
		return 1
	case r.step > 0 && r.stop > r.start:
		span, step = uint64(r.stop)-uint64(r.start), uint64(r.step)
	case r.step < 0 && r.stop < r.start:
		span, step = uint64(r.start)-uint64(r.stop), uint64(-r.step)
	default:
		return 0
	}
	n := span / step
	if r.inclusive || span%step != 0 {
		// [start, stop] holds span/step + 1 values; [start, stop) one
		// fewer when stop falls on a step
		n++
	}
	return int64(min(n, 1<<62))
}

func (r *RangeTable) Stats() Stats {
	n := r.rows()
	return Stats{RowCount: n, Bytes: n * 8}
}

// NDV: every value is distinct.
func (r *RangeTable) NDV(int) int64 { return r.rows() }

func (r *RangeTable) Source(req ScanRequest) (operators.Source, error) {
	morsel := int64(MemChunkRows)
	if req.MorselRows > 0 {
		morsel = int64(req.MorselRows)
	}
	n := r.rows()
	units := (n + morsel - 1) / morsel
	if units > 1<<30 {
		units = 1 << 30 // a billion morsels is endless enough
	}
	schema := r.schema
	if len(req.Columns) == 0 {
		schema = arrow.NewSchema(nil, nil)
	}
	return &rangeSource{t: r, rows: n, morsel: morsel, units: int(units), batch: req.BatchSize, schema: schema}, nil
}

type rangeSource struct {
	t      *RangeTable
	rows   int64
	morsel int64
	units  int
	batch  int
	schema *arrow.Schema
}

func (s *rangeSource) Schema() *arrow.Schema { return s.schema }
func (s *rangeSource) Units() int            { return s.units }
func (s *rangeSource) Close() error          { return nil }
func (s *rangeSource) Describe() string      { return s.t.name }

func (s *rangeSource) OpenUnit(_ *operators.Task, i int) (operators.UnitReader, error) {
	from := int64(i) * s.morsel
	return &rangeReader{s: s, pos: from, end: min(from+s.morsel, s.rows)}, nil
}

type rangeReader struct {
	s        *rangeSource
	pos, end int64
}

func (r *rangeReader) Next(t *operators.Task) (arrow.Record, error) {
	if r.pos >= r.end {
		return nil, nil
	}
	n := int(min(int64(r.s.batch), r.end-r.pos))
	if r.s.schema.NumFields() == 0 {
		r.pos += int64(n)
		return vector.NewRecord(r.s.schema, nil, n), nil
	}
	buf, vals := vector.AllocValues[int64](t.Alloc(), n)
	v := r.s.t.start + r.pos*r.s.t.step
	for i := range vals {
		vals[i] = v
		v += r.s.t.step
	}
	r.pos += int64(n)
	col := vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, buf)
	return vector.NewRecord(r.s.schema, []arrow.Array{col}, n), nil
}

func (r *rangeReader) Close() error { return nil }
