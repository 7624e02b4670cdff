package tpchgen

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/metadata"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/minisql/minisql/sqlerr"
)

// rowGroupRows is the Parquet row group size, the same as DuckDB's.
const rowGroupRows = 122_880

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
	cols   []pqColumn

	// scratch, reused for every record
	ints  []int64
	idx   []int32
	bytes []parquet.ByteArray
}

// pqColumn is the writer's state for one column.
type pqColumn struct {
	name    string
	kind    colKind
	dict    *fixedDict // nil: plain, or hashed dictionary for o_clerk
	dictSet bool       // dict given to this row group's encoder
}

// dictPutter is the part of parquet's (internal) dictionary encoder
// interface used to seed it with a fixed dictionary.
type dictPutter interface {
	PutDictionary(arrow.Array) error
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
	var cols []pqColumn
	for _, f := range schema.Fields() {
		c := pqColumn{name: f.Name, kind: kindOf(f.Type)}
		c.dict = newFixedDict(f.Name, c.kind)
		// Dictionaries pay off on low-cardinality columns only; on keys,
		// prices and text they mostly overflow and fall back to plain.
		// o_clerk (1000 values per SF) goes through parquet's own hashing.
		if c.dict != nil || f.Name == "o_clerk" {
			opts = append(opts, parquet.WithDictionaryFor(f.Name, true))
		}
		// String min/max prune nothing here (every row group holds every
		// value of the domains, and text is random) and cost a comparison
		// per value.
		if c.kind == kStr {
			opts = append(opts, parquet.WithStatsFor(f.Name, false))
		}
		cols = append(cols, c)
	}
	props := parquet.NewWriterProperties(opts...)
	sc, err := pqarrow.ToParquet(schema, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	p := &parquetWriter{
		bw:   bw,
		fw:   file.NewParquetWriter(bw, sc.Root(), file.WithWriterProps(props)),
		cols: cols,
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
			for i := range p.cols {
				p.cols[i].dictSet = false
			}
		}
		take := min(n-off, rowGroupRows-p.rgRows)
		for i := range p.cols {
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

// writeColumn writes rows [off, off+n) of column i to the row group.
func (p *parquetWriter) writeColumn(i int, col arrow.Array, off, n int64) error {
	cw, err := p.rgw.Column(i)
	if err != nil {
		return err
	}
	c := &p.cols[i]
	if c.dict != nil {
		err = p.writeDictColumn(c, cw, col, off, n)
	} else {
		err = p.writePlainColumn(c, cw, col, off, n)
	}
	if err != nil {
		return fmt.Errorf("column %s: %w", c.name, err)
	}
	return nil
}

func (p *parquetWriter) writePlainColumn(c *pqColumn, cw file.ColumnChunkWriter, col arrow.Array, off, n int64) error {
	var err error
	switch c.kind {
	case kInt:
		vals := col.(*array.Int64).Int64Values()[off : off+n]
		_, err = cw.(*file.Int64ColumnChunkWriter).WriteBatch(vals, nil, nil)
	case kDec:
		_, err = cw.(*file.Int64ColumnChunkWriter).WriteBatch(p.lowWords(col, off, n), nil, nil)
	case kDate:
		_, err = cw.(*file.Int32ColumnChunkWriter).WriteBatch(dateValues(col)[off:off+n], nil, nil)
	default:
		offs, data := stringParts(col)
		p.bytes = p.bytes[:0]
		for j := off; j < off+n; j++ {
			p.bytes = append(p.bytes, data[offs[j]:offs[j+1]:offs[j+1]])
		}
		_, err = cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(p.bytes, nil, nil)
	}
	return err
}

// writeDictColumn writes the indices of the values in the column's fixed
// dictionary, seeding the row group's encoder with it on first use.
func (p *parquetWriter) writeDictColumn(c *pqColumn, cw file.ColumnChunkWriter, col arrow.Array, off, n int64) error {
	p.idx = p.idx[:0]
	bad := false
	switch c.kind {
	case kInt, kDec:
		var vals []int64
		if c.kind == kInt {
			vals = col.(*array.Int64).Int64Values()[off : off+n]
		} else {
			vals = p.lowWords(col, off, n)
		}
		for _, v := range vals {
			k, ok := c.dict.intIndex(v)
			bad = bad || !ok
			p.idx = append(p.idx, k)
		}
		if st, ok := cw.PageStatistics().(*metadata.Int64Statistics); ok {
			st.Update(vals, 0)
		}
	case kDate:
		days := dateValues(col)[off : off+n]
		for _, v := range days {
			k, ok := c.dict.intIndex(int64(v))
			bad = bad || !ok
			p.idx = append(p.idx, k)
		}
		if st, ok := cw.PageStatistics().(*metadata.Int32Statistics); ok {
			st.Update(days, 0)
		}
	default:
		offs, data := stringParts(col)
		for j := off; j < off+n; j++ {
			k, ok := c.dict.strs.index(data[offs[j]:offs[j+1]])
			bad = bad || !ok
			p.idx = append(p.idx, k)
		}
	}
	if bad {
		return sqlerr.New(sqlerr.ErrInternal, "value outside the TPC-H domain of %s", c.name)
	}
	if !c.dictSet {
		dp, ok := cw.CurrentEncoder().(dictPutter)
		if !ok {
			return sqlerr.New(sqlerr.ErrInternal, "no dictionary encoder for %s", c.name)
		}
		if err := dp.PutDictionary(c.dict.dict); err != nil {
			return err
		}
		c.dictSet = true
	}
	// The indices array borrows the scratch slice: the encoder copies them.
	data := array.NewData(arrow.PrimitiveTypes.Int32, len(p.idx),
		[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(p.idx))}, nil, 0, 0)
	indices := array.NewInt32Data(data)
	data.Release()
	defer indices.Release()
	return cw.WriteDictIndices(indices, nil, nil)
}

// lowWords returns the low 64 bits of decimals [off, off+n) in scratch:
// every TPC-H decimal fits, and they are stored as INT64.
func (p *parquetWriter) lowWords(col arrow.Array, off, n int64) []int64 {
	dec := col.(*array.Decimal128)
	p.ints = p.ints[:0]
	for j := off; j < off+n; j++ {
		p.ints = append(p.ints, int64(dec.Value(int(j)).LowBits()))
	}
	return p.ints
}

func dateValues(col arrow.Array) []int32 {
	data := col.Data()
	return arrow.Int32Traits.CastFromBytes(data.Buffers()[1].Bytes())[data.Offset():]
}

// stringParts returns a string array's offsets (absolute positions) and data.
func stringParts(col arrow.Array) ([]int32, []byte) {
	str := col.(*array.String)
	var data []byte
	if buf := str.Data().Buffers()[2]; buf != nil {
		data = buf.Bytes()
	}
	return str.ValueOffsets(), data
}

// finishRowGroup encodes and flushes the pending pages one column at a time
// (the dictionary columns hold a whole row group of indices until here).
func (p *parquetWriter) finishRowGroup(ctx context.Context) error {
	for i := range p.cols {
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
