package parquetsrc

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/metadata"

	"github.com/minisql/minisql/sqlerr"
)

// File is an open Parquet file: its footer, the engine schema and the
// statistics of every column chunk. After Open it is read-only, so its
// methods and any number of Readers may be used concurrently. Close the
// Readers before the File.
type File struct {
	path   string
	osf    *os.File
	cached cachedReader // reads of what is in memory only; nil: none
	size   int64
	meta   *metadata.FileMetaData
	cols   []column
	schema *arrow.Schema
	rgRows []int64
	stats  [][]ColumnStats // [row group][column]
	chunks [][]chunkInfo   // [row group][column]

	// decoders holds the chunkDecoders (page and dictionary buffers) of
	// closed Readers for the next ones: the engine opens a Reader per row
	// group, and their buffers are the same size every time.
	decoders sync.Pool
}

// chunkInfo locates a column chunk and says how to read it.
type chunkInfo struct {
	start, length int64
	// fast: the chunk is read by chunkDecoder with codec; otherwise by
	// the library's column reader.
	fast  bool
	codec pageCodec
}

// Open opens a Parquet file and reads its footer. Errors name the file:
// ErrIO for a missing, empty, truncated or corrupt file, ErrNotSupported for
// a column type minisql cannot read (see the package comment).
func Open(path string) (f *File, err error) {
	osf, err := os.Open(path)
	if err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "parquet file %q: %v", path, err)
	}
	defer func() {
		if err != nil {
			osf.Close()
		}
	}()
	st, err := osf.Stat()
	if err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "parquet file %q: %v", path, err)
	}
	if st.IsDir() {
		return nil, sqlerr.New(sqlerr.ErrIO, "parquet file %q is a directory", path)
	}
	if st.Size() == 0 {
		return nil, sqlerr.New(sqlerr.ErrIO, "parquet file %q is empty", path)
	}
	f = &File{path: path, osf: osf, size: st.Size(), cached: cachedFrom(osf)}
	if err := f.readFooter(); err != nil {
		return nil, err
	}
	return f, nil
}

// readFooter parses and validates the footer; the library panics on some
// malformed footers, so it runs under recover.
func (f *File) readFooter() (err error) {
	defer f.recoverInto(&err, "reading footer")
	rdr, err := file.NewParquetReader(io.NewSectionReader(f.osf, 0, f.size),
		file.WithReadProps(parquet.NewReaderProperties(memory.DefaultAllocator)))
	if err != nil {
		return f.ioError(err, "reading footer")
	}
	f.meta = rdr.MetaData()
	// WriterVersion is computed lazily on first use: compute it now, before
	// concurrent Readers would race to do it.
	f.meta.WriterVersion()

	if f.cols, err = mapSchema(f.path, f.meta.Schema); err != nil {
		return err
	}
	fields := make([]arrow.Field, len(f.cols))
	for i, c := range f.cols {
		// REQUIRED columns are not nullable; OPTIONAL ones are.
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: c.descr.MaxDefinitionLevel() > 0}
	}
	f.schema = arrow.NewSchema(fields, nil)
	if err := f.validateRowGroups(); err != nil {
		return err
	}
	f.stats = make([][]ColumnStats, len(f.rgRows))
	for rg := range f.rgRows {
		f.stats[rg] = f.readStats(rg)
	}
	return nil
}

// validateRowGroups checks what the readers later trust: row counts, and
// column chunks that lie inside the file with the schema's physical type.
func (f *File) validateRowGroups() error {
	n := len(f.meta.RowGroups)
	f.rgRows = make([]int64, n)
	f.chunks = make([][]chunkInfo, n)
	// Files of parquet-mr before 1.2.9 understate chunk lengths; the
	// library's reader knows how to pad them.
	oldWriter := f.meta.WriterVersion().LessThan(metadata.Parquet816FixedVersion)
	var total int64
	for rg := 0; rg < n; rg++ {
		rgm := f.meta.RowGroup(rg)
		rows := rgm.NumRows()
		if rows < 0 {
			return f.corrupt("row group %d has %d rows", rg, rows)
		}
		if rgm.NumColumns() != f.meta.Schema.NumColumns() {
			return f.corrupt("row group %d has %d columns, schema has %d", rg, rgm.NumColumns(), f.meta.Schema.NumColumns())
		}
		f.chunks[rg] = make([]chunkInfo, len(f.cols))
		for i, c := range f.cols {
			cc, err := rgm.ColumnChunk(c.leaf)
			if err != nil {
				return f.ioError(err, fmt.Sprintf("row group %d column %q", rg, c.name))
			}
			start := cc.DataPageOffset()
			if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && cc.DictionaryPageOffset() < start {
				start = cc.DictionaryPageOffset()
			}
			length := cc.TotalCompressedSize()
			if start < 0 || length < 0 || start > f.size || length > f.size-start {
				return f.corrupt("row group %d column %q: chunk at %d of %d bytes lies outside the file (%d bytes)",
					rg, c.name, start, length, f.size)
			}
			if cc.Type() != c.descr.PhysicalType() {
				return f.corrupt("row group %d column %q: chunk type %s, schema type %s", rg, c.name, cc.Type(), c.descr.PhysicalType())
			}
			info := chunkInfo{start: start, length: length}
			if !oldWriter {
				info.codec, info.fast = fastChunk(&c, cc)
			}
			f.chunks[rg][i] = info
		}
		f.rgRows[rg] = rows
		total += rows
	}
	if total != f.meta.GetNumRows() {
		return f.corrupt("row groups hold %d rows, footer says %d", total, f.meta.GetNumRows())
	}
	return nil
}

// Path is the file's path as given to Open.
func (f *File) Path() string { return f.path }

// Schema is the engine schema: one field per column of the file, with the
// file's names and nullability and the canonical engine types.
func (f *File) Schema() *arrow.Schema { return f.schema }

// NumRows is the number of rows in the file.
func (f *File) NumRows() int64 { return f.meta.GetNumRows() }

// NumRowGroups is the number of row groups, the units of parallel scans.
func (f *File) NumRowGroups() int { return len(f.rgRows) }

// RowGroupRows is the number of rows of row group rg.
func (f *File) RowGroupRows(rg int) int64 { return f.rgRows[rg] }

// AllRowGroups returns the indices of every row group, in order.
func (f *File) AllRowGroups() []int {
	rgs := make([]int, len(f.rgRows))
	for i := range rgs {
		rgs[i] = i
	}
	return rgs
}

// Close closes the file. Readers must be closed first.
func (f *File) Close() error {
	if f.osf == nil {
		return nil
	}
	err := f.osf.Close()
	f.osf = nil
	if err != nil {
		return sqlerr.Wrap(sqlerr.ErrIO, err, "parquet file %q: %v", f.path, err)
	}
	return nil
}

// ioError wraps a library error as ErrIO naming the file and what was done.
func (f *File) ioError(err error, what string) error {
	return sqlerr.Wrap(sqlerr.ErrIO, err, "parquet file %q: %s: %v", f.path, what, err)
}

// corrupt reports an inconsistency the library did not catch.
func (f *File) corrupt(format string, args ...any) error {
	return sqlerr.New(sqlerr.ErrIO, "parquet file %q is corrupt: %s", f.path, fmt.Sprintf(format, args...))
}

// recoverInto turns a panic of the Parquet library into an ErrIO error
// naming the file. The library panics on some corrupt input (snappy
// errors, impossible lengths); it must never take the process down.
func (f *File) recoverInto(err *error, what string) {
	if r := recover(); r != nil {
		*err = sqlerr.New(sqlerr.ErrIO, "parquet file %q is corrupt: %s: %v", f.path, what, r)
	}
}

// fastChunk reports whether chunkDecoder reads the chunk (see its doc
// comment) and with which codec. The chunk's list of encodings is what the
// format provides to decide this before reading.
func fastChunk(c *column, cc *metadata.ColumnChunkMetaData) (pageCodec, bool) {
	if c.conv == convBool || cc.CryptoMetadata() != nil {
		return pageCodec{}, false
	}
	for _, e := range cc.Encodings() {
		switch e {
		case parquet.Encodings.Plain, parquet.Encodings.PlainDict, parquet.Encodings.RLE,
			parquet.Encodings.RLEDict, parquet.Encodings.BitPacked:
		default:
			return pageCodec{}, false
		}
	}
	if cc.Compression() == compress.Codecs.Uncompressed {
		return pageCodec{}, true
	}
	codec, err := compress.GetCodec(cc.Compression())
	if err != nil {
		return pageCodec{}, false // the library's reader reports it
	}
	return pageCodec{c: codec, snappy: cc.Compression() == compress.Codecs.Snappy}, true
}

// decoder returns a chunkDecoder for column c, reusing a pooled one.
func (f *File) decoder(c *column) *chunkDecoder {
	d, _ := f.decoders.Get().(*chunkDecoder)
	if d == nil {
		d = new(chunkDecoder)
	}
	d.c, d.maxDef = c, c.descr.MaxDefinitionLevel()
	return d
}

// putDecoder returns d to the pool.
func (f *File) putDecoder(d *chunkDecoder) {
	d.drop()
	f.decoders.Put(d)
}
