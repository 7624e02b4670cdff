package ipcsrc

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/minisql/minisql/sqlerr"
)

// DefaultBatchSize is the number of rows per batch when NewReader is given
// a batch size <= 0.
const DefaultBatchSize = 8192

// Reader scans some columns of some record batches of a File. It is used
// by one goroutine at a time.
type Reader struct {
	f         *File
	fr        *ipc.FileReader
	alloc     *batchAlloc
	batches   []int
	cols      []*column
	schema    *arrow.Schema
	batchSize int64
	mem       memory.Allocator

	next int          // index into batches of the next one to load
	cur  arrow.Record // the loaded batch, in engine types
	pos  int64        // rows of cur already returned
	curI int          // file index of cur, for messages

	err    error
	closed bool
}

// NewReader returns a reader of the given record batches (in the given
// order) and columns (indices into Schema, in the given order; none yields
// batches of rows without columns). Batches hold at most batchSize rows
// (DefaultBatchSize if <= 0): larger record batches of the file are
// returned as zero-copy slices. Every buffer is allocated from mem (the Go
// allocator if nil).
func (f *File) NewReader(batches []int, columns []int, batchSize int, mem memory.Allocator) (r *Reader, err error) {
	if f.osf == nil {
		return nil, sqlerr.New(sqlerr.ErrInternal, "arrow file %q: NewReader after Close", f.path)
	}
	for _, b := range batches {
		if b < 0 || b >= f.batches {
			return nil, sqlerr.New(sqlerr.ErrInternal, "arrow file %q: no record batch %d (file has %d)", f.path, b, f.batches)
		}
	}
	fields := make([]arrow.Field, len(columns))
	cols := make([]*column, len(columns))
	for i, c := range columns {
		if c < 0 || c >= len(f.cols) {
			return nil, sqlerr.New(sqlerr.ErrInternal, "arrow file %q: no column %d (file has %d)", f.path, c, len(f.cols))
		}
		cols[i], fields[i] = &f.cols[c], f.schema.Field(c)
	}
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	defer f.recoverInto(&err, "opening reader")
	alloc := newBatchAlloc(mem, f.size)
	fr, err := f.newLibReader(alloc)
	if err != nil {
		return nil, err
	}
	return &Reader{
		f:         f,
		fr:        fr,
		alloc:     alloc,
		batches:   append([]int(nil), batches...),
		cols:      cols,
		schema:    arrow.NewSchema(fields, nil),
		batchSize: int64(batchSize),
		mem:       mem,
		curI:      -1,
	}, nil
}

// Schema is the schema of the batches: the requested columns, in order.
func (r *Reader) Schema() *arrow.Schema { return r.schema }

// Next returns the next batch, or (nil, nil) after the last one. It checks
// ctx before every batch and returns context.Cause(ctx) once ctx is done.
// The caller owns the batch and must Release it. After any other error the
// Reader returns that error forever.
func (r *Reader) Next(ctx context.Context) (arrow.Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.closed {
		return nil, sqlerr.New(sqlerr.ErrInternal, "arrow file %q: Next after Close", r.f.path)
	}
	for r.cur == nil || r.pos == r.cur.NumRows() {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		r.dropCurrent()
		if r.next == len(r.batches) {
			return nil, nil
		}
		cur, err := r.load(r.batches[r.next])
		if err != nil {
			r.err = err
			return nil, err
		}
		r.cur, r.pos, r.curI = cur, 0, r.batches[r.next]
		r.next++
	}
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	rows := r.cur.NumRows()
	n := min(r.batchSize, rows-r.pos)
	if r.pos == 0 && n == rows {
		// The whole batch fits: hand it over.
		rec := r.cur
		r.cur, r.pos = nil, 0
		return rec, nil
	}
	rec := r.cur.NewSlice(r.pos, r.pos+n)
	r.pos += n
	return rec, nil
}

// load reads record batch i and converts the requested columns.
func (r *Reader) load(i int) (rec arrow.Record, err error) {
	r.alloc.track()
	defer func() {
		if p := recover(); p != nil {
			// Free what the library allocated before it panicked.
			r.alloc.freeAll()
			err = sqlerr.New(sqlerr.ErrIO, "arrow file %q is corrupt: record batch %d: %v", r.f.path, i, p)
		}
	}()
	raw, err := r.fr.RecordAt(i)
	if err != nil {
		r.alloc.freeAll()
		return nil, r.f.ioError(err, fmt.Sprintf("record batch %d", i))
	}
	r.alloc.keep()
	defer raw.Release()
	if int(raw.NumCols()) != len(r.f.cols) {
		return nil, r.f.corrupt("record batch %d has %d columns, schema has %d", i, raw.NumCols(), len(r.f.cols))
	}
	cols := make([]arrow.Array, len(r.cols))
	defer func() {
		for _, a := range cols {
			if a != nil {
				a.Release()
			}
		}
	}()
	for k, c := range r.cols {
		in := raw.Column(c.idx)
		if int64(in.Len()) != raw.NumRows() {
			return nil, r.f.corrupt("record batch %d column %q has %d rows, batch has %d", i, c.name, in.Len(), raw.NumRows())
		}
		if err := validate(in); err != nil {
			return nil, r.f.corrupt("record batch %d column %q: %v", i, c.name, err)
		}
		if cols[k], err = normalize(c, in, r.mem); err != nil {
			var of errUint64Overflow
			if errors.As(err, &of) {
				return nil, sqlerr.Wrap(sqlerr.ErrOverflow, err, "arrow file %q: record batch %d %s", r.f.path, i, err)
			}
			return nil, r.f.ioError(err, fmt.Sprintf("record batch %d", i))
		}
	}
	return array.NewRecord(r.schema, cols, raw.NumRows()), nil
}

func (r *Reader) dropCurrent() {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

// Close releases the batch being sliced, if any. It is idempotent.
func (r *Reader) Close() {
	if r.closed {
		return
	}
	r.closed = true
	r.dropCurrent()
	r.fr.Close()
}
