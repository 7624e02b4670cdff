package parquetsrc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"

	"github.com/minisql/minisql/sqlerr"
)

// streamBufferSize is the read buffer of each column chunk stream of the
// library's reader (chunks chunkDecoder does not read). Pages larger than
// it are read straight into the page buffer; smaller reads go through it.
// Streaming (rather than the library's default of reading a whole chunk up
// front) avoids two extra copies of every chunk and keeps each read short.
const streamBufferSize = 1 << 16

// DefaultBatchSize is the number of rows per batch when NewReader is given
// a batch size <= 0.
const DefaultBatchSize = 8192

// Reader scans some columns of some row groups of a File, in batches. It is
// used by one goroutine at a time; scan row groups in parallel with one
// Reader per goroutine.
type Reader struct {
	f         *File
	pf        *file.Reader
	rowGroups []int
	cols      []colState
	schema    *arrow.Schema
	batchSize int64
	mem       memory.Allocator

	nextRG int   // index into rowGroups of the next row group to start
	cur    int   // row group being read, for messages
	left   int64 // rows of the current row group not yet returned

	// check is the caller's checkpoint for the Next call under way, and
	// checkpoint (a method value made once) calls it for the decoders and
	// keeps its error in stopped.
	check      func() error
	checkpoint func() error
	stopped    error
	// ctx is the Next call's context, and io (made once) waits on it for
	// the pieces of a chunk still on their way from disk (nowait.go).
	ctx    context.Context
	waited func() // the Next call's Checkpoint.Waited, or nil
	io     chunkIO

	err    error // sticky: the reader is unusable after a read error
	closed bool
}

// NewReader returns a reader of the given row groups (in the given order)
// and columns (indices into Schema, in the given order; none at all yields
// batches of rows without columns, for COUNT(*)). Batches hold at most
// batchSize rows (DefaultBatchSize if <= 0) and never span row groups.
// Every Arrow buffer is allocated from mem (the Go allocator if nil).
//
// The package's own decoder reads and decompresses pages into buffers
// from mem too, given back at Close (pageReader). The library's reader and
// every decoder's other state (dictionaries, levels) live in Go memory
// outside mem: the library frees decompressed pages to its allocator while
// still reading from them, which would be wrong for any allocator that
// reuses memory. Per column a Reader holds a read buffer of at least 64
// KiB, the page being decoded and the chunk's dictionary.
func (f *File) NewReader(rowGroups []int, columns []int, batchSize int, mem memory.Allocator) (r *Reader, err error) {
	if f.osf == nil {
		return nil, sqlerr.New(sqlerr.ErrInternal, "parquet file %q: NewReader after Close", f.path)
	}
	for _, rg := range rowGroups {
		if rg < 0 || rg >= len(f.rgRows) {
			return nil, sqlerr.New(sqlerr.ErrInternal, "parquet file %q: no row group %d (file has %d)", f.path, rg, len(f.rgRows))
		}
	}
	fields := make([]arrow.Field, len(columns))
	cols := make([]colState, len(columns))
	for i, c := range columns {
		if c < 0 || c >= len(f.cols) {
			return nil, sqlerr.New(sqlerr.ErrInternal, "parquet file %q: no column %d (file has %d)", f.path, c, len(f.cols))
		}
		col := &f.cols[c]
		cols[i] = colState{c: col, idx: c, maxDef: col.descr.MaxDefinitionLevel()}
		fields[i] = f.schema.Field(c)
	}
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}

	r = &Reader{
		f:         f,
		rowGroups: append([]int(nil), rowGroups...),
		cols:      cols,
		schema:    arrow.NewSchema(fields, nil),
		batchSize: int64(batchSize),
		mem:       mem,
		cur:       -1,
	}
	r.checkpoint = r.runCheck
	r.io = chunkIO{cached: f.cached, advise: r.advise, wait: r.waitIO}
	return r, nil
}

// Schema is the schema of the batches: the requested columns, in order.
func (r *Reader) Schema() *arrow.Schema { return r.schema }

// Next returns the next batch, or (nil, nil) after the last one. It checks
// ctx before every batch, between columns and between pieces of large
// pages, and returns context.Cause(ctx) once ctx is done. The caller owns
// the batch and must Release it. After an error the Reader returns that
// error forever.
func (r *Reader) Next(ctx context.Context) (arrow.Record, error) {
	return r.NextChecked(ctx, func() error {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return nil
	})
}

// NextChecked is Next with the caller's checkpoint: check is called where
// Next would look at ctx, so that a query's task counts its checks and
// enforces its limits, and an error it returns stops the read and is
// returned as is.
func (r *Reader) NextChecked(ctx context.Context, check func() error) (arrow.Record, error) {
	return r.next(ctx, check, nil)
}

// Checkpoint is a query task as NextTask sees it: Check is NextChecked's
// check, and Waited marks the end of a wait that watched the context (for
// a piece of a chunk on its way from disk), which is not time the task
// went without looking at it.
type Checkpoint interface {
	Check() error
	Waited()
}

// NextTask is NextChecked for a checkpoint that also hears of waits.
func (r *Reader) NextTask(ctx context.Context, cp Checkpoint) (arrow.Record, error) {
	return r.next(ctx, cp.Check, cp.Waited)
}

func (r *Reader) next(ctx context.Context, check func() error, waited func()) (arrow.Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.closed {
		return nil, sqlerr.New(sqlerr.ErrInternal, "parquet file %q: Next after Close", r.f.path)
	}
	if err := check(); err != nil {
		return nil, err // nothing started: the reader can go on later
	}
	r.check, r.waited, r.ctx = check, waited, ctx
	defer func() { r.check, r.waited, r.ctx = nil, nil, nil }()
	rec, err := r.read()
	if err != nil {
		// Even a cancel is sticky here: it may stop the decoders half way
		// through a page.
		r.err = err
	}
	return rec, err
}

// advise asks the OS to start reading [off, off+n) of the file.
func (r *Reader) advise(off, n int64) { willNeed(r.f.osf, off, n) }

// waitIO waits d for a piece of a chunk on its way from disk, in a select
// on the Next call's context, and checks.
func (r *Reader) waitIO(d time.Duration) error {
	ctx := r.ctx
	if ctx == nil { // not inside Next: nothing to cancel, only to wait
		ctx = context.Background()
	}
	if err := waitIO(ctx, d, r.afterWait); err != nil {
		if r.stopped == nil {
			r.stopped = err
		}
		return r.stopped
	}
	return nil
}

// afterWait tells the checkpoint a wait ended, then checks.
func (r *Reader) afterWait() error {
	if r.waited != nil {
		r.waited()
	}
	return r.runCheck()
}

// runCheck calls the caller's checkpoint and remembers its error, which
// the decoders' own errors would otherwise wrap.
func (r *Reader) runCheck() error {
	if r.stopped == nil && r.check != nil {
		r.stopped = r.check()
	}
	return r.stopped
}

func (r *Reader) read() (rec arrow.Record, err error) {
	defer r.recoverRead(&err)
	for r.left == 0 {
		if r.nextRG == len(r.rowGroups) {
			return nil, nil
		}
		if err := r.startRowGroup(r.rowGroups[r.nextRG]); err != nil {
			return nil, err
		}
		r.nextRG++
	}
	n := min(r.batchSize, r.left)
	cols := make([]arrow.Array, len(r.cols))
	defer func() {
		for _, a := range cols {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i := range r.cols {
		if i > 0 {
			if err := r.runCheck(); err != nil {
				return nil, err
			}
		}
		if cols[i], err = r.readColumn(i, n); err != nil {
			return nil, err
		}
	}
	r.left -= n
	return array.NewRecord(r.schema, cols, n), nil
}

// startRowGroup points every column at its chunk of row group rg: the
// package's decoder for the common encodings, which reads nothing yet, or
// the library's column reader. The checkpoint runs between columns (the
// library's reader may read).
func (r *Reader) startRowGroup(rg int) error {
	r.cur = rg
	for i := range r.cols {
		if info := &r.f.chunks[rg][r.cols[i].idx]; info.fast {
			r.advise(info.start, info.length)
		}
	}
	for i := range r.cols {
		if err := r.runCheck(); err != nil {
			return err
		}
		s := &r.cols[i]
		s.cr = nil
		info := &r.f.chunks[rg][s.idx]
		s.fast = info.fast
		if info.fast {
			if s.dec == nil {
				s.dec = r.f.decoder(s.c)
			}
			s.dec.start(r.f.osf, info.start, info.length, info.codec, r.checkpoint, r.io, r.mem)
			continue
		}
		if err := r.openLibraryReader(); err != nil {
			return err
		}
		pr, err := r.pf.RowGroup(rg).GetColumnPageReader(s.c.leaf)
		if err != nil {
			return r.f.ioError(err, r.columnWhere(s.c))
		}
		// The decoders keep dictionaries and level buffers in Go memory,
		// which is collected with the chunk reader.
		s.cr = file.NewColumnReader(s.c.descr, pr, memory.DefaultAllocator, r.pf.BufferPool())
	}
	r.left = r.f.rgRows[rg]
	return nil
}

// openLibraryReader opens the library's file reader, for the chunks
// chunkDecoder does not read, on first use.
func (r *Reader) openLibraryReader() (err error) {
	if r.pf != nil {
		return nil
	}
	defer r.f.recoverInto(&err, "opening reader")
	props := parquet.NewReaderProperties(memory.DefaultAllocator)
	props.BufferedStreamEnabled = true
	props.BufferSize = streamBufferSize
	r.pf, err = file.NewParquetReader(io.NewSectionReader(r.f.osf, 0, r.f.size),
		file.WithReadProps(props), file.WithMetadata(r.f.meta))
	if err != nil {
		return r.f.ioError(err, "opening reader")
	}
	return nil
}

// readColumn reads the next n values of column i.
func (r *Reader) readColumn(i int, n int64) (arrow.Array, error) {
	s := &r.cols[i]
	var arr arrow.Array
	var err error
	if s.fast {
		arr, err = s.dec.read(int(n), r.mem)
	} else {
		arr, err = s.read(int(n), r.mem)
	}
	if err != nil {
		if r.stopped != nil {
			return nil, r.stopped // cancelled half way through a page
		}
		var of errUint64Overflow
		if errors.As(err, &of) {
			return nil, sqlerr.Wrap(sqlerr.ErrOverflow, err, "parquet file %q: row group %d %s", r.f.path, r.cur, err)
		}
		if errors.Is(err, errTimestampRange) {
			return nil, sqlerr.Wrap(sqlerr.ErrOverflow, err, "parquet file %q: %s: %s", r.f.path, r.columnWhere(s.c), errTimestampRange)
		}
		return nil, r.f.ioError(err, r.columnWhere(s.c))
	}
	return arr, nil
}

// recoverRead turns a panic of the library while reading (it panics on
// some corrupt pages) into an error naming the file and row group.
func (r *Reader) recoverRead(err *error) {
	if p := recover(); p != nil {
		*err = sqlerr.New(sqlerr.ErrIO, "parquet file %q is corrupt: reading row group %d: %v", r.f.path, r.cur, p)
	}
}

func (r *Reader) columnWhere(c *column) string {
	return fmt.Sprintf("row group %d column %q", r.cur, c.name)
}

// Close ends the reader. It is idempotent. It gives the decoders' page
// buffers back to the reader's allocator (every other buffer allocated
// from it belongs to a returned batch) and drops the chunks and scratch
// held in Go memory.
func (r *Reader) Close() {
	r.closed = true
	for i := range r.cols {
		if d := r.cols[i].dec; d != nil {
			r.f.putDecoder(d)
		}
		r.cols[i] = colState{c: r.cols[i].c, idx: r.cols[i].idx}
	}
}
