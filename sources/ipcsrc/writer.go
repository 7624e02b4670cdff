package ipcsrc

import (
	"context"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// DefaultBatchRows bounds the rows of each record batch written, which is
// also the unit a reader of the file loads at once.
const DefaultBatchRows = 65536

// WriterOptions configure a Writer. The zero value is usable.
type WriterOptions struct {
	// BatchRows is the maximum number of rows per record batch in the file;
	// 0 means DefaultBatchRows. Larger records are split.
	BatchRows int64
	// LZ4 compresses the buffers with LZ4 frames.
	LZ4 bool
	// Mem allocates the writer's buffers; nil means the Go allocator.
	Mem memory.Allocator
}

// Writer writes records of the engine's canonical types to an Arrow IPC
// file.
type Writer struct {
	fw     *ipc.FileWriter
	schema *arrow.Schema
	rows   int64
	err    error
	closed bool
}

// NewWriter starts an Arrow IPC file on w. Every field of schema must have a
// canonical engine type. The schema is written without metadata. w is not
// closed by the Writer.
func NewWriter(w io.WriteSeeker, schema *arrow.Schema, opts WriterOptions) (*Writer, error) {
	clean := make([]arrow.Field, schema.NumFields())
	for i, fld := range schema.Fields() {
		t, err := types.FromArrow(fld.Type)
		if err != nil || t.Kind == types.Null || t.Kind == types.Interval {
			return nil, sqlerr.New(sqlerr.ErrNotSupported, "writing column %q of type %s to an arrow file", fld.Name, fld.Type)
		}
		clean[i] = arrow.Field{Name: fld.Name, Type: fld.Type, Nullable: fld.Nullable}
	}
	if opts.BatchRows <= 0 {
		opts.BatchRows = DefaultBatchRows
	}
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	sc := arrow.NewSchema(clean, nil)
	ipcOpts := []ipc.Option{ipc.WithSchema(sc), ipc.WithAllocator(opts.Mem)}
	if opts.LZ4 {
		ipcOpts = append(ipcOpts, ipc.WithLZ4())
	}
	fw, err := ipc.NewFileWriter(w, ipcOpts...)
	if err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "writing arrow file: %v", err)
	}
	return &Writer{fw: fw, schema: sc, rows: opts.BatchRows}, nil
}

// Write appends the rows of rec, whose columns must have the writer
// schema's types (names and nullability are not compared), as one or more
// record batches, checking ctx before each. After an error the Writer only
// accepts Close.
func (w *Writer) Write(ctx context.Context, rec arrow.Record) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return sqlerr.New(sqlerr.ErrInternal, "arrow writer: Write after Close")
	}
	if int(rec.NumCols()) != w.schema.NumFields() {
		return sqlerr.New(sqlerr.ErrInternal, "arrow writer: record has %d columns, file has %d", rec.NumCols(), w.schema.NumFields())
	}
	for i, fld := range w.schema.Fields() {
		if !arrow.TypeEqual(rec.Column(i).DataType(), fld.Type) {
			return sqlerr.New(sqlerr.ErrInternal, "arrow writer: column %q is %s, file has %s", fld.Name, rec.Column(i).DataType(), fld.Type)
		}
	}
	whole := array.NewRecord(w.schema, rec.Columns(), rec.NumRows())
	defer whole.Release()
	for off := int64(0); off < whole.NumRows(); off += w.rows {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		part := whole.NewSlice(off, min(off+w.rows, whole.NumRows()))
		err := w.write(part)
		part.Release()
		if err != nil {
			w.err = sqlerr.Wrap(sqlerr.ErrIO, err, "writing arrow file: %v", err)
			return w.err
		}
	}
	return nil
}

func (w *Writer) write(rec arrow.Record) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = sqlerr.New(sqlerr.ErrInternal, "arrow writer panicked: %v", r)
		}
	}()
	return w.fw.Write(rec)
}

// Close writes the footer. It is idempotent; it does not close the
// destination.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.fw.Close(); err != nil {
		return sqlerr.Wrap(sqlerr.ErrIO, err, "writing arrow file: %v", err)
	}
	return nil
}
