package catalog

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/sources/parquetsrc"
	"github.com/minisql/minisql/types"
)

// ParquetTable is a Parquet file queried where it lies. Scans read only the
// needed columns, skip row groups whose statistics refute the pushed
// filters, and hand out row groups as units of work.
type ParquetTable struct {
	name string
	f    *parquetsrc.File
	size int64

	mu  sync.Mutex
	ndv map[int]int64
}

var _ Table = (*ParquetTable)(nil)

// OpenParquet opens a Parquet file as a table.
func OpenParquet(name, path string) (*ParquetTable, error) {
	f, err := parquetsrc.Open(path)
	if err != nil {
		return nil, err
	}
	var size int64
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	return &ParquetTable{name: name, f: f, size: size}, nil
}

func (p *ParquetTable) Name() string          { return p.name }
func (p *ParquetTable) Schema() *arrow.Schema { return p.f.Schema() }
func (p *ParquetTable) Stats() Stats          { return Stats{RowCount: p.f.NumRows(), Bytes: p.size} }

// Close closes the file.
func (p *ParquetTable) Close() error { return p.f.Close() }

// Path is the file's path.
func (p *ParquetTable) Path() string { return p.f.Path() }

func (p *ParquetTable) Source(req ScanRequest) (operators.Source, error) {
	groups := p.f.Prune(parquetPredicates(req.Filters, p.f.Schema()))
	fields := make([]arrow.Field, len(req.Columns))
	for i, c := range req.Columns {
		fields[i] = p.f.Schema().Field(c)
	}
	return &parquetSource{t: p, groups: groups, cols: req.Columns, batchSize: req.BatchSize,
		schema: arrow.NewSchema(fields, nil)}, nil
}

// NDV estimates distinct values from the first row group.
func (p *ParquetTable) NDV(col int) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.ndv[col]; ok {
		return v
	}
	v := int64(-1)
	if p.f.NumRowGroups() > 0 {
		if r, err := p.f.NewReader([]int{0}, []int{col}, ndvSampleRows, nil); err == nil {
			var arrs []arrow.Array
			for len(arrs) == 0 || sampled(arrs) < ndvSampleRows {
				rec, err := r.Next(context.Background())
				if err != nil || rec == nil {
					break
				}
				c := rec.Column(0)
				c.Retain()
				rec.Release()
				arrs = append(arrs, c)
			}
			r.Close()
			sample := SampleColumn(arrs, ndvSampleRows)
			for _, a := range arrs {
				a.Release()
			}
			v = ExtrapolateNDV(sample, p.f.NumRows())
		}
	}
	if p.ndv == nil {
		p.ndv = map[int]int64{}
	}
	p.ndv[col] = v
	return v
}

func sampled(arrs []arrow.Array) int {
	n := 0
	for _, a := range arrs {
		n += a.Len()
	}
	return n
}

type parquetSource struct {
	t         *ParquetTable
	groups    []int
	cols      []int
	batchSize int
	schema    *arrow.Schema
}

func (s *parquetSource) Schema() *arrow.Schema { return s.schema }
func (s *parquetSource) Units() int            { return len(s.groups) }
func (s *parquetSource) Close() error          { return nil }

func (s *parquetSource) Describe() string {
	return fmt.Sprintf("%s (parquet, %d of %d row groups)", s.t.name, len(s.groups), s.t.f.NumRowGroups())
}

func (s *parquetSource) OpenUnit(t *operators.Task, i int) (operators.UnitReader, error) {
	r, err := s.t.f.NewReader([]int{s.groups[i]}, s.cols, s.batchSize, t.Alloc())
	if err != nil {
		return nil, err
	}
	return &parquetUnit{r: r}, nil
}

type parquetUnit struct{ r *parquetsrc.Reader }

func (u *parquetUnit) Next(t *operators.Task) (arrow.Record, error) {
	return u.r.NextTask(t.Context(), t)
}

func (u *parquetUnit) Close() error {
	u.r.Close()
	return nil
}

// parquetPredicates translates pushed filters (column <op> constant over
// table column positions) into row-group pruning predicates.
func parquetPredicates(filters []expr.Expr, schema *arrow.Schema) []parquetsrc.Predicate {
	var out []parquetsrc.Predicate
	var add func(e expr.Expr)
	add = func(e expr.Expr) {
		switch x := e.(type) {
		case *expr.And:
			for _, a := range x.Args {
				add(a)
			}
		case *expr.Binary:
			col, lit, op := x.L, x.R, x.Op
			if _, ok := col.(*expr.Literal); ok {
				col, lit, op = x.R, x.L, x.Op.Flip()
			}
			c, ok1 := col.(*expr.ColumnRef)
			l, ok2 := lit.(*expr.Literal)
			if !ok1 || !ok2 || c.Index < 0 || c.Index >= schema.NumFields() {
				return
			}
			pop, ok := map[expr.BinOp]parquetsrc.Op{expr.OpEq: parquetsrc.Eq, expr.OpLt: parquetsrc.Lt,
				expr.OpLe: parquetsrc.Le, expr.OpGt: parquetsrc.Gt, expr.OpGe: parquetsrc.Ge}[op]
			if !ok {
				return
			}
			if v, ok := goValue(l.Value, l.T); ok {
				out = append(out, parquetsrc.Predicate{Col: c.Index, Op: pop, Values: []any{v}})
			}
		case *expr.InList:
			c, ok := x.X.(*expr.ColumnRef)
			if !ok || x.Negated || c.Index < 0 {
				return
			}
			var vals []any
			for _, item := range x.List {
				l, ok := item.(*expr.Literal)
				if !ok {
					return
				}
				v, ok := goValue(l.Value, l.T)
				if !ok {
					return
				}
				vals = append(vals, v)
			}
			out = append(out, parquetsrc.Predicate{Col: c.Index, Op: parquetsrc.In, Values: vals})
		}
	}
	for _, f := range filters {
		add(f)
	}
	return out
}

// goValue converts a datum to the Go value parquetsrc compares with.
func goValue(d expr.Datum, t types.T) (any, bool) {
	if !d.Valid {
		return nil, true
	}
	switch t.Kind {
	case types.Int64:
		return d.I, true
	case types.Float64:
		return d.F, true
	case types.Decimal:
		return d.D, true
	case types.String:
		return d.S, true
	case types.Date:
		return arrow.Date32(d.I), true
	case types.Timestamp:
		return arrow.Timestamp(d.I), true
	case types.Bool:
		return d.Bool(), true
	}
	return nil, false
}
