package csvsrc

import (
	"bytes"
	"context"
	"io"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

const (
	// initialBuffer is a reader's first buffer size; it grows (doubling)
	// until one batch of records fits.
	initialBuffer = 4 << 20
	// maxBuffer bounds the buffer, so that offsets fit in int32 spans and a
	// runaway record (say, an unterminated quote in a huge file) is an error
	// rather than an out-of-memory crash.
	maxBuffer = 1 << 30
	// softBatchBytes: a batch whose text exceeds this ends early instead of
	// growing the buffer further.
	softBatchBytes = 64 << 20
	// readAhead is how far past its chunk's end a reader reads at once: the
	// last record usually ends within it.
	readAhead = 64 << 10
	// checkRows is how many records a batch splits between two context
	// checks, for batch sizes larger than that.
	checkRows = 4096
)

// Reader scans one chunk of a File into records of the projected columns.
// It is not safe for concurrent use; use one Reader per goroutine.
type Reader struct {
	f      *File
	chunk  Chunk
	schema *arrow.Schema
	mem    memory.Allocator
	fd     *os.File
	sc     *scanner
	cols   []rcol
	nrows  int // batch size
	// colSpans holds every projected column's spans, column after column
	// (rcol.spans are views of it); proj lists their fields in the file.
	colSpans []span
	proj     []int

	buf     []byte
	bufOff  int64 // file offset of buf[0]
	bstart  int   // start of the current batch's text in buf
	cur     int   // start of the next record in buf
	dataEnd int   // end of the valid bytes in buf
	eof     bool  // buf holds the file up to its end
	stalls  int   // consecutive reads that returned nothing

	line      int64   // physical line of the record at cur
	lineKnown bool    // line is absolute (else relative to the chunk start)
	rowLines  []int64 // line of each row of the current batch

	quoting    bool
	quote      byte
	esc        byte
	emptyNull  bool
	otherNulls [][]byte

	done bool
	err  error // sticky: once failed, always failed
}

// rcol is one projected column.
type rcol struct {
	idx   int // column index in the file
	typ   types.T
	dt    arrow.DataType
	name  string
	spans []span // the column's field in each row of the batch
}

// NewReader returns a reader of the records that start inside chunk, with
// the given columns (indices into Schema(); nil means all, an empty slice
// none: the reader then only counts rows). Columns that are not projected
// are still split and counted but not parsed. A chunk whose start lies
// before the data (inside the header) starts at the data.
func (f *File) NewReader(chunk Chunk, columns []int, mem memory.Allocator) (*Reader, error) {
	if columns == nil {
		columns = make([]int, f.ncols)
		for i := range columns {
			columns[i] = i
		}
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	if chunk.Start < f.dataStart {
		chunk.Start = f.dataStart
	}
	if chunk.End > f.size {
		chunk.End = f.size
	}
	if chunk.End < chunk.Start {
		chunk.End = chunk.Start
	}
	fields := make([]arrow.Field, len(columns))
	cols := make([]rcol, len(columns))
	nrows := f.opts.BatchSize
	colSpans := make([]span, len(columns)*nrows)
	for j, c := range columns {
		if c < 0 || c >= f.ncols {
			return nil, sqlerr.New(sqlerr.ErrInvalidSetting, "csv file %q: column index %d out of range 0..%d", f.path, c, f.ncols-1)
		}
		fields[j] = f.schema.Field(c)
		cols[j] = rcol{idx: c, typ: f.types[c], dt: fields[j].Type, name: fields[j].Name,
			spans: colSpans[j*nrows : (j+1)*nrows : (j+1)*nrows]}
	}
	fd, err := os.Open(f.path)
	if err != nil {
		return nil, ioError(f.path, err, "open")
	}
	if chunk.Start > 0 {
		if _, err := fd.Seek(chunk.Start, io.SeekStart); err != nil {
			fd.Close()
			return nil, ioError(f.path, err, "seek")
		}
	}
	r := &Reader{
		f:         f,
		chunk:     chunk,
		schema:    arrow.NewSchema(fields, nil),
		mem:       mem,
		fd:        fd,
		sc:        newScanner(&f.opts, f.ncols+1, false),
		cols:      cols,
		nrows:     nrows,
		colSpans:  colSpans,
		proj:      append([]int(nil), columns...),
		buf:       make([]byte, min(initialBuffer, chunk.End-chunk.Start+readAhead)),
		bufOff:    chunk.Start,
		line:      1,
		rowLines:  make([]int64, nrows),
		quoting:   !f.opts.NoQuote,
		quote:     f.opts.Quote,
		esc:       f.opts.Escape,
		done:      chunk.Start >= chunk.End,
		lineKnown: chunk.Start == f.dataStart,
	}
	if r.lineKnown {
		r.line = f.dataLine
	}
	for _, v := range f.opts.NullValues {
		if v == "" {
			r.emptyNull = true
		} else {
			r.otherNulls = append(r.otherNulls, []byte(v))
		}
	}
	return r, nil
}

// Schema is the schema of the records Next returns (the projected columns).
func (r *Reader) Schema() *arrow.Schema { return r.schema }

// Next returns the next batch of at most BatchSize rows, or (nil, nil) at
// the end of the chunk. The caller owns the record. The context is checked
// once per batch (and every 4096 records for bigger batches); a cancelled
// call returns an error satisfying errors.Is(err, context.Canceled). After
// an error every call returns the same error.
func (r *Reader) Next(ctx context.Context) (arrow.Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.done {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		r.err = err
		return nil, err
	}
	n, err := r.split(ctx)
	if err == nil && n > 0 {
		var rec arrow.Record
		if rec, err = r.build(ctx, n); err == nil {
			return rec, nil
		}
	}
	if err != nil {
		r.err = err
		return nil, err
	}
	return nil, nil
}

// Close releases the reader's file and buffer. It is idempotent.
func (r *Reader) Close() {
	if r.fd != nil {
		r.fd.Close()
		r.fd = nil
	}
	r.buf = nil
	r.done = true
}

// split finds the next batch of records and records the projected fields'
// spans (relative to bstart). It returns the number of rows.
func (r *Reader) split(ctx context.Context) (int, error) {
	r.bstart = r.cur
	rows := 0
	for rows < r.nrows {
		if rows%checkRows == checkRows-1 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		if off := r.bufOff + int64(r.cur); off >= r.chunk.End {
			if off > r.chunk.End {
				return 0, invalidf(r.f.path, r.where(ctx, r.line-1, off), "a record runs past byte offset %d, where a parallel scan split the file: "+
					"a quoted field contains a line break; open the file with SingleChunk", r.chunk.End)
			}
			r.done = true
			break
		}
		if r.cur == r.dataEnd {
			if r.eof { // the file shrank since Open
				r.done = true
				break
			}
			if err := r.fill(); err != nil {
				return 0, err
			}
			continue
		}
		res := r.sc.scan(r.buf[r.bstart:r.dataEnd], r.cur-r.bstart, r.eof)
		if res.status == scanMore {
			if rows > 0 && r.bstart == 0 && r.dataEnd == len(r.buf) && len(r.buf) >= softBatchBytes {
				break // emit a shorter batch rather than grow the buffer
			}
			if err := r.fill(); err != nil {
				return 0, err
			}
			continue
		}
		if res.status != scanOK {
			return 0, r.scanError(ctx, res)
		}
		fields := r.sc.spans[:res.nf]
		if !r.f.countOK(fields) {
			if r.f.ncols > 1 && isBlank(fields) {
				r.cur = r.bstart + res.next
				r.line++
				continue
			}
			return 0, invalidf(r.f.path, r.where(ctx, r.line, r.bufOff+int64(r.cur)), "%s", r.f.countMsg(res.nf))
		}
		colSpans, k := r.colSpans, rows
		for _, fi := range r.proj {
			colSpans[k] = fields[fi]
			k += r.nrows
		}
		r.rowLines[rows] = r.line
		r.line += int64(res.lines) + 1
		r.cur = r.bstart + res.next
		rows++
	}
	return rows, nil
}

// fill reads more of the file, first moving the current batch's text to
// the front of the buffer (spans are relative to it, so they stay valid)
// and growing the buffer when it is full.
//
// The read itself cannot be interrupted. It runs on the caller's goroutine
// (no goroutine is ever left behind): from a local file or the page cache
// it takes well under a millisecond; on a slow file system Next returns,
// and sees the cancellation, only once the read does, so cancel latency
// then includes one read of at most the buffer's free space.
func (r *Reader) fill() error {
	if r.bstart > 0 {
		n := copy(r.buf, r.buf[r.bstart:r.dataEnd])
		r.bufOff += int64(r.bstart)
		r.cur -= r.bstart
		r.dataEnd = n
		r.bstart = 0
	}
	if r.dataEnd == len(r.buf) {
		if len(r.buf) >= maxBuffer {
			return invalidf(r.f.path, where{line: r.lineOrZero(), off: r.bufOff + int64(r.cur)}, "a record is longer than %d bytes (unterminated quote?)", maxBuffer)
		}
		nb := make([]byte, min(2*len(r.buf), maxBuffer))
		copy(nb, r.buf[:r.dataEnd])
		r.buf = nb
	}
	want := len(r.buf) - r.dataEnd
	if lim := r.chunk.End - (r.bufOff + int64(r.dataEnd)) + readAhead; lim > 0 && lim < int64(want) {
		want = int(lim)
	}
	n, err := r.fd.Read(r.buf[r.dataEnd : r.dataEnd+want])
	r.dataEnd += n
	switch {
	case err == io.EOF:
		r.eof = true
	case err != nil:
		return ioError(r.f.path, err, "read")
	case n == 0:
		if r.stalls++; r.stalls > 100 {
			return ioError(r.f.path, io.ErrNoProgress, "read")
		}
	default:
		r.stalls = 0
	}
	return nil
}

// scanError reports a malformed record.
func (r *Reader) scanError(ctx context.Context, res scanResult) error {
	off := r.bufOff + int64(r.cur)
	switch res.status {
	case scanTooMany:
		// Count the fields for the message with a scanner that may grow.
		counter := newScanner(&r.f.opts, r.f.ncols+1, true)
		if c := counter.scan(r.buf[r.bstart:r.dataEnd], r.cur-r.bstart, r.eof); c.status == scanOK {
			return invalidf(r.f.path, r.where(ctx, r.line, off), "%s", r.f.countMsg(c.nf))
		}
		return invalidf(r.f.path, r.where(ctx, r.line, off), "more than %d fields, expected %d", r.f.ncols+1, r.f.ncols)
	case scanUnterminated:
		return invalidf(r.f.path, r.where(ctx, r.line, off), "%s", statusText(res.status, r.quote))
	default:
		return invalidf(r.f.path, r.where(ctx, r.line+int64(res.lines), off), "%s", statusText(res.status, r.quote))
	}
}

func (r *Reader) lineOrZero() int64 {
	if r.lineKnown {
		return r.line
	}
	return 0
}

// where locates line (absolute if known, else relative to the chunk start)
// for an error message. A reader of a later chunk counts the newlines
// before its chunk only now, on the error path; if that fails the message
// gives the byte offset instead.
func (r *Reader) where(ctx context.Context, line, off int64) where {
	if r.lineKnown {
		return where{line: line, off: off}
	}
	base, err := countNewlines(ctx, r.f.path, r.chunk.Start)
	if err != nil {
		return where{off: off}
	}
	return where{line: base + line, off: off}
}

// countNewlines counts the newlines in the first n bytes of the file.
func countNewlines(ctx context.Context, path string, n int64) (int64, error) {
	fd, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer fd.Close()
	buf := make([]byte, 1<<20)
	var count int64
	for done := int64(0); done < n; {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		k, err := fd.Read(buf[:min(int64(len(buf)), n-done)])
		count += int64(bytes.Count(buf[:k], []byte("\n")))
		done += int64(k)
		if err != nil {
			if err == io.EOF && done >= n {
				break
			}
			return 0, err
		}
	}
	return count, nil
}

// build parses the projected columns of the current batch into a record.
func (r *Reader) build(ctx context.Context, n int) (arrow.Record, error) {
	arrs := make([]arrow.Array, 0, len(r.cols))
	release := func() {
		for _, a := range arrs {
			a.Release()
		}
	}
	for j := range r.cols {
		if j > 0 && n > checkRows { // big batches: look between columns too
			if err := ctx.Err(); err != nil {
				release()
				return nil, err
			}
		}
		a, bad, why := r.buildColumn(&r.cols[j], n)
		if bad >= 0 {
			release()
			return nil, r.valueError(ctx, &r.cols[j], bad, why)
		}
		arrs = append(arrs, a)
	}
	rec := array.NewRecord(r.schema, arrs, int64(n))
	release()
	return rec, nil
}

// valueError reports a value that does not parse as its column's type.
func (r *Reader) valueError(ctx context.Context, c *rcol, row int, why parseErr) error {
	sp := c.spans[row]
	b := r.buf[r.bstart+int(sp.s) : r.bstart+int(sp.e)]
	at := r.where(ctx, r.rowLines[row], r.bufOff+int64(r.bstart)+int64(sp.s))
	msg := "cannot parse " + quoteValue(b) + " as " + c.typ.String()
	switch why {
	case parseOverflow:
		msg += " (out of range)"
	case parseRange:
		msg += " (no such date)"
	}
	if r.f.inferred {
		msg += "; the type was inferred from a sample of " + itoa(r.f.sampled) + " rows: pass an explicit schema"
	}
	return invalidf(r.f.path, at, "column %q (%d): %s", c.name, c.idx+1, msg)
}
