package tpchgen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// rowGroupRows is the Parquet row group size, the same as DuckDB's.
const rowGroupRows = 122_880

// dictColumns are dictionary encoded: the low-cardinality ones (domains,
// dates, small integers), where a dictionary makes the file much smaller.
// The others are written plain: arrow v17's dictionary encoders allocate per
// value, which made them most of the cost of writing a file, and on keys,
// prices and comments a dictionary mostly overflows and falls back anyway.
var dictColumns = map[string]bool{
	"n_name": true, "n_regionkey": true, "r_name": true,
	"s_nationkey": true,
	"c_nationkey": true, "c_mktsegment": true,
	"p_mfgr": true, "p_brand": true, "p_type": true, "p_size": true, "p_container": true,
	"o_orderstatus": true, "o_orderdate": true, "o_orderpriority": true, "o_clerk": true, "o_shippriority": true,
	"l_linenumber": true, "l_quantity": true, "l_discount": true, "l_tax": true,
	"l_returnflag": true, "l_linestatus": true, "l_shipdate": true, "l_commitdate": true,
	"l_receiptdate": true, "l_shipinstruct": true, "l_shipmode": true,
}

// parquetWriter writes records with parquet's column writers directly
// rather than through pqarrow.FileWriter, for two reasons:
//
//   - Cancellation. pqarrow encodes a whole row group (~50 ms for lineitem)
//     inside one call when it starts the next one, and its only way to free
//     a writer is Close, which encodes what is pending. Here each column of
//     a row group is finished separately, with a context check in between,
//     and an abandoned writer is simply dropped.
//   - Memory. Because a cancelled writer is dropped rather than closed, its
//     buffers come from a Go allocator (reclaimed by the GC), not from the
//     caller's: an unreleased buffer there would read as a leak.
//
// Decimals are stored as INT64 with the DECIMAL(15,2) annotation and dates
// as INT32 DATE, as DuckDB writes them.
type parquetWriter struct {
	bw     *bufio.Writer
	fw     *file.Writer
	rgw    file.BufferedRowGroupWriter // nil between row groups
	rgRows int64
	kinds  []colKind

	// scratch, reused for every record
	ints  []int64
	bytes []parquet.ByteArray
}

func newParquetWriter(w io.Writer, schema *arrow.Schema) (*parquetWriter, error) {
	opts := []parquet.WriterProperty{
		parquet.WithAllocator(memory.NewGoAllocator()),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(rowGroupRows),
		parquet.WithStoreDecimalAsInteger(true),
		parquet.WithDictionaryDefault(false),
		parquet.WithCreatedBy("minisql tpchgen"),
	}
	for _, f := range schema.Fields() {
		if dictColumns[f.Name] {
			opts = append(opts, parquet.WithDictionaryFor(f.Name, true))
		}
		// Min/max of free text prunes nothing and costs a comparison per
		// value.
		if strings.HasSuffix(f.Name, "_comment") || strings.HasSuffix(f.Name, "_address") {
			opts = append(opts, parquet.WithStatsFor(f.Name, false))
		}
	}
	props := parquet.NewWriterProperties(opts...)
	sc, err := pqarrow.ToParquet(schema, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	p := &parquetWriter{
		bw: bw,
		fw: file.NewParquetWriter(bw, sc.Root(), file.WithWriterProps(props)),
	}
	for _, f := range schema.Fields() {
		p.kinds = append(p.kinds, kindOf(f.Type))
	}
	return p, nil
}

// write appends rec, finishing row groups as they fill up. It checks ctx
// between columns.
func (p *parquetWriter) write(ctx context.Context, rec arrow.Record) error {
	n := rec.NumRows()
	for off := int64(0); off < n; {
		if p.rgw == nil {
			p.rgw = p.fw.AppendBufferedRowGroup()
			p.rgRows = 0
		}
		take := min(n-off, rowGroupRows-p.rgRows)
		for i := range p.kinds {
			if err := ctx.Err(); err != nil {
				return context.Cause(ctx)
			}
			if err := p.writeColumn(i, rec.Column(i), off, take); err != nil {
				return err
			}
		}
		p.rgRows += take
		off += take
		if p.rgRows == rowGroupRows {
			if err := p.finishRowGroup(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeColumn writes rows [off, off+n) of one column to the row group.
func (p *parquetWriter) writeColumn(i int, col arrow.Array, off, n int64) error {
	cw, err := p.rgw.Column(i)
	if err != nil {
		return err
	}
	switch p.kinds[i] {
	case kInt:
		vals := col.(*array.Int64).Int64Values()[off : off+n]
		_, err = cw.(*file.Int64ColumnChunkWriter).WriteBatch(vals, nil, nil)
	case kDec:
		// TPC-H decimals fit in the low 64 bits: store them as INT64.
		dec := col.(*array.Decimal128)
		p.ints = p.ints[:0]
		for j := off; j < off+n; j++ {
			p.ints = append(p.ints, int64(dec.Value(int(j)).LowBits()))
		}
		_, err = cw.(*file.Int64ColumnChunkWriter).WriteBatch(p.ints, nil, nil)
	case kDate:
		data := col.Data()
		days := arrow.Int32Traits.CastFromBytes(data.Buffers()[1].Bytes())[data.Offset():]
		_, err = cw.(*file.Int32ColumnChunkWriter).WriteBatch(days[off:off+n], nil, nil)
	default:
		str := col.(*array.String)
		offs := str.ValueOffsets() // absolute positions in the data buffer
		var data []byte
		if buf := str.Data().Buffers()[2]; buf != nil {
			data = buf.Bytes()
		}
		p.bytes = p.bytes[:0]
		for j := off; j < off+n; j++ {
			p.bytes = append(p.bytes, data[offs[j]:offs[j+1]:offs[j+1]])
		}
		_, err = cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(p.bytes, nil, nil)
	}
	if err != nil {
		return fmt.Errorf("column %d: %w", i, err)
	}
	return nil
}

// finishRowGroup encodes and flushes the pending pages one column at a time
// (the dictionary columns hold a whole row group of indices until here).
func (p *parquetWriter) finishRowGroup(ctx context.Context) error {
	for i := range p.kinds {
		if err := ctx.Err(); err != nil {
			return context.Cause(ctx)
		}
		cw, err := p.rgw.Column(i)
		if err != nil {
			return err
		}
		if err := cw.Close(); err != nil {
			return err
		}
	}
	err := p.rgw.Close()
	p.rgw = nil
	return err
}

func (p *parquetWriter) close(ctx context.Context) error {
	if p.rgw != nil && p.rgRows > 0 {
		if err := p.finishRowGroup(ctx); err != nil {
			return err
		}
	}
	if err := p.fw.Close(); err != nil {
		return err
	}
	return p.bw.Flush()
}

// abort drops the writer: its buffers belong to the Go heap.
func (p *parquetWriter) abort() {}
