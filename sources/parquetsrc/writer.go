package parquetsrc

import (
	"context"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// DefaultRowGroupRows is the row group size of written files when
// WriterOptions.RowGroupRows is 0 (DuckDB's default as well).
const DefaultRowGroupRows = 122880

// writeChunkRows bounds the rows written between two context checks.
const writeChunkRows = 16384

// WriterOptions configure a Writer. The zero value is usable.
type WriterOptions struct {
	// RowGroupRows is the number of rows per row group (the last one may be
	// smaller); 0 means DefaultRowGroupRows.
	RowGroupRows int64
	// Mem allocates the writer's buffers; nil means the Go allocator.
	Mem memory.Allocator
}

// Writer writes records of the engine's canonical types to a Parquet file:
// snappy-compressed, with statistics, decimals as INT32/INT64 when they fit
// (FIXED_LEN_BYTE_ARRAY otherwise) with the DECIMAL logical type, dates as
// INT32 DATE and strings as BYTE_ARRAY STRING. Records are buffered into row
// groups of RowGroupRows rows however they are batched.
//
// Built with -tags assert, pqarrow's debug assertions reject negative
// values of DECIMAL(p<=9) columns (stored as INT32; the assertion is wrong,
// normal builds write them correctly); Write then fails with an error.

type Writer struct {
	fw     *pqarrow.FileWriter
	schema *arrow.Schema
	closed bool
	err    error
}

// NewWriter starts a Parquet file on w. Every field of schema must have a
// canonical engine type. w is not closed by the Writer.
func NewWriter(w io.Writer, schema *arrow.Schema, opts WriterOptions) (*Writer, error) {
	for _, fld := range schema.Fields() {
		t, err := types.FromArrow(fld.Type)
		if err != nil || t.Kind == types.Null || t.Kind == types.Interval {
			return nil, sqlerr.New(sqlerr.ErrNotSupported, "writing column %q of type %s to parquet", fld.Name, fld.Type)
		}
	}
	if opts.RowGroupRows <= 0 {
		opts.RowGroupRows = DefaultRowGroupRows
	}
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(opts.Mem),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(opts.RowGroupRows),
		parquet.WithStoreDecimalAsInteger(true),
		parquet.WithCreatedBy("minisql"),
	)
	// The file schema carries no metadata: a clean schema keeps field_id and
	// other keys out of the file.
	clean := make([]arrow.Field, schema.NumFields())
	for i, fld := range schema.Fields() {
		clean[i] = arrow.Field{Name: fld.Name, Type: fld.Type, Nullable: fld.Nullable}
	}
	sc := arrow.NewSchema(clean, nil)
	fw, err := pqarrow.NewFileWriter(sc, noClose{w}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(opts.Mem)))
	if err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "writing parquet: %v", err)
	}
	return &Writer{fw: fw, schema: sc}, nil
}

// noClose hides the Close method of the destination: the library closes
// its sink, and the caller owns it.
type noClose struct{ io.Writer }

// Write appends the rows of rec, whose columns must have the writer
// schema's types (names and nullability are not compared). Large records
// are written in chunks with a context check before each. After an error
// the Writer only accepts Close.
func (w *Writer) Write(ctx context.Context, rec arrow.Record) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return sqlerr.New(sqlerr.ErrInternal, "parquet writer: Write after Close")
	}
	if int(rec.NumCols()) != w.schema.NumFields() {
		return sqlerr.New(sqlerr.ErrInternal, "parquet writer: record has %d columns, file has %d", rec.NumCols(), w.schema.NumFields())
	}
	for i, fld := range w.schema.Fields() {
		if !arrow.TypeEqual(rec.Column(i).DataType(), fld.Type) {
			return sqlerr.New(sqlerr.ErrInternal, "parquet writer: column %q is %s, file has %s", fld.Name, rec.Column(i).DataType(), fld.Type)
		}
	}
	// Rewrap under the writer's schema, which the library compares exactly.
	whole := array.NewRecord(w.schema, rec.Columns(), rec.NumRows())
	defer whole.Release()
	for off := int64(0); off < whole.NumRows(); off += writeChunkRows {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		part := whole.NewSlice(off, min(off+writeChunkRows, whole.NumRows()))
		err := w.writeBuffered(part)
		part.Release()
		if err != nil {
			w.err = sqlerr.Wrap(sqlerr.ErrIO, err, "writing parquet: %v", err)
			return w.err
		}
	}
	return nil
}

func (w *Writer) writeBuffered(rec arrow.Record) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = sqlerr.New(sqlerr.ErrInternal, "parquet writer panicked: %v", r)
		}
	}()
	return w.fw.WriteBuffered(rec)
}

// Close flushes the last row group and writes the footer. It is idempotent;
// it does not close the destination.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.fw.Close(); err != nil {
		return sqlerr.Wrap(sqlerr.ErrIO, err, "writing parquet: %v", err)
	}
	return nil
}
