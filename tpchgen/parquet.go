package tpchgen

import (
	"bufio"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// rowGroupRows is the Parquet row group size, the same as DuckDB's.
const rowGroupRows = 122_880

type parquetWriter struct {
	bw *bufio.Writer
	fw *pqarrow.FileWriter
}

func newParquetWriter(w io.Writer, schema *arrow.Schema, mem memory.Allocator) (*parquetWriter, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(mem),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(rowGroupRows),
		// INT64 with the DECIMAL(15,2) annotation, as DuckDB writes it:
		// smaller and faster than 16-byte fixed-length decimals.
		parquet.WithStoreDecimalAsInteger(true),
	)
	fw, err := pqarrow.NewFileWriter(schema, bw, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem)))
	if err != nil {
		return nil, err
	}
	return &parquetWriter{bw: bw, fw: fw}, nil
}

// write appends rec to the current row group; WriteBuffered (unlike Write)
// starts a new row group only when the current one is full.
func (p *parquetWriter) write(rec arrow.Record) error { return p.fw.WriteBuffered(rec) }

func (p *parquetWriter) close() error {
	if err := p.fw.Close(); err != nil {
		return err
	}
	return p.bw.Flush()
}

// abort closes the writer to release its buffered row group; the footer it
// writes goes to a file that is about to be removed.
func (p *parquetWriter) abort() { _ = p.fw.Close() }
