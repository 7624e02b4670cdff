package csvsrc

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// defaultMinChunk is the smallest chunk Chunks makes: below it the cost of
// another reader outweighs the parallelism.
const defaultMinChunk = 1 << 20

// File is an opened delimited file with a known schema. It holds no OS
// resources: every Reader opens the file itself, so a File may be shared by
// concurrent readers and needs no Close.
type File struct {
	path       string
	opts       Options // normalized
	schema     *arrow.Schema
	types      []types.T
	size       int64
	dataStart  int64 // file offset of the first data record (after the header)
	dataLine   int64 // physical line of the first data record
	skipped    int64 // lines skipped before the first record (Options.Skip)
	ncols      int
	trailing   bool // accept one extra empty last field
	header     bool
	splittable bool
	inferred   bool // the schema was inferred (errors suggest an explicit one)
	sampled    int  // data records inference looked at
	minChunk   int64
}

// Chunk is a byte range of a file's data. The ranges Chunks returns start at
// line starts; a reader scans the records that start inside its range.
type Chunk struct {
	Start, End int64
}

// Schema is the file's schema (all fields nullable).
func (f *File) Schema() *arrow.Schema { return f.schema }

// Size is the file's size in bytes when it was opened.
func (f *File) Size() int64 { return f.size }

// Path is the file's path.
func (f *File) Path() string { return f.path }

// HasHeader reports whether the first record was taken as a header.
func (f *File) HasHeader() bool { return f.header }

// Open opens the delimited file at path, reads a sample, and infers or
// checks its schema (see the package documentation). Errors name the file.
func Open(ctx context.Context, path string, opts Options) (*File, error) {
	o, err := opts.normalize(path)
	if err != nil {
		return nil, err
	}
	if o.Schema != nil && o.ColumnNames != nil {
		return nil, sqlerr.New(sqlerr.ErrInvalidSetting, "csv file %q: give either a schema or column names, not both", path)
	}
	fd, err := os.Open(path)
	if err != nil {
		return nil, ioError(path, err, "open")
	}
	defer fd.Close()
	st, err := fd.Stat()
	if err != nil {
		return nil, ioError(path, err, "stat")
	}
	f := &File{path: path, opts: o, size: st.Size(), dataLine: 1, minChunk: defaultMinChunk}
	if o.Skip > 0 {
		if f.dataStart, f.skipped, err = skipLines(ctx, fd, o.Skip); err != nil {
			return nil, f.readErr(ctx, err)
		}
		f.dataLine += f.skipped
	}
	if o.Schema != nil {
		if err := f.useSchema(o.Schema); err != nil {
			return nil, err
		}
	}
	if err := f.sniff(ctx, fd); err != nil {
		return nil, err
	}
	return f, nil
}

// useSchema checks an explicit schema and adopts it.
func (f *File) useSchema(s *arrow.Schema) error {
	if s.NumFields() == 0 {
		return sqlerr.New(sqlerr.ErrInvalidSetting, "csv file %q: the schema has no columns", f.path)
	}
	f.types = make([]types.T, s.NumFields())
	fields := make([]arrow.Field, s.NumFields())
	for i, fd := range s.Fields() {
		t, err := types.FromArrow(fd.Type)
		if err != nil || t.Kind == types.Null || t.Kind == types.Interval {
			return sqlerr.New(sqlerr.ErrNotSupported, "csv file %q: column %q has type %s, which is not a minisql column type", f.path, fd.Name, fd.Type)
		}
		f.types[i] = t
		fields[i] = arrow.Field{Name: fd.Name, Type: fd.Type, Nullable: true}
	}
	f.schema = arrow.NewSchema(fields, nil)
	f.ncols = len(fields)
	return nil
}

// sniff reads the sample: it finds the field count, the trailing delimiter,
// the header and (without a schema) the column types.
func (f *File) sniff(ctx context.Context, fd *os.File) error {
	o := &f.opts
	first := max(o.SampleRows/2, 2)
	sc := newScanner(o, 64, true)
	seg0, err := readSegment(ctx, fd, f.dataStart, first, sc, false)
	if err != nil {
		return f.readErr(ctx, err)
	}
	seg0.shiftLines(f.skipped)
	if seg0.status != scanOK {
		return invalidf(f.path, where{line: seg0.errLine}, "%s", statusText(seg0.status, o.Quote))
	}
	f.splittable = !o.SingleChunk && !seg0.quotedNL

	// The first non-blank record is the header candidate.
	r0 := -1
	var rec0 []span
	if err := seg0.each(ctx, func(r int, fields []span) {
		if r0 < 0 && !isBlank(fields) {
			r0, rec0 = r, fields
		}
	}); err != nil {
		return err
	}
	if r0 < 0 {
		if f.schema == nil {
			return sqlerr.New(sqlerr.ErrInvalidValue, "csv file %q is empty: cannot infer its columns; pass an explicit schema", f.path)
		}
		f.dataStart = seg0.end
		f.dataLine = seg0.lineAfter
		return nil
	}

	// Field count and trailing delimiter.
	c0 := len(rec0)
	switch o.TrailingDelimiter {
	case Yes:
		f.trailing = true
	case Auto:
		if f.trailing, err = f.detectTrailing(ctx, seg0, r0, rec0); err != nil {
			return err
		}
	}
	if f.schema == nil {
		f.ncols = c0
		if f.trailing && c0 >= 2 && lastEmpty(rec0) {
			f.ncols--
		}
	}
	var bad error
	if err := seg0.each(ctx, func(r int, fields []span) {
		if bad == nil && !f.countOK(fields) && !(f.ncols > 1 && isBlank(fields)) {
			bad = invalidf(f.path, where{line: seg0.lines[r]}, "%s", f.countMsg(len(fields)))
		}
	}); err != nil {
		return err
	}
	if bad != nil {
		return bad
	}

	// Header candidate values.
	var scratch []byte
	firstVals := make([][]byte, f.ncols)
	firstQuoted := make([]bool, f.ncols)
	for c := range firstVals {
		b := seg0.buf[rec0[c].s:rec0[c].e]
		var content []byte
		content, firstQuoted[c], scratch = sc.unquote(b, scratch)
		firstVals[c] = bytes.Clone(content)
	}

	var stats []colStats
	if f.schema == nil {
		stats = make([]colStats, f.ncols)
		if err := seg0.each(ctx, func(r int, fields []span) {
			if r > r0 && f.countOK(fields) {
				scratch = f.addStats(stats, seg0.buf, fields, sc, scratch)
			}
		}); err != nil {
			return err
		}
		more, err := f.sampleRest(ctx, fd, seg0, o.SampleRows-first, stats)
		if err != nil {
			return err
		}
		f.sampled = len(seg0.counts) - r0 - 1 + more
	}

	switch o.Header {
	case Yes:
		f.header = true
	case Auto:
		f.header = f.detectHeader(firstVals, firstQuoted, stats)
	}
	if f.header {
		f.dataStart = seg0.ends[r0]
		f.dataLine = seg0.lineAfter
		if r0+1 < len(seg0.lines) {
			f.dataLine = seg0.lines[r0+1]
		}
	} else if stats != nil {
		f.sampled++
		for c, v := range firstVals {
			if !f.isNull(v, firstQuoted[c]) {
				stats[c].add(v)
			}
		}
	}
	if f.schema != nil {
		return nil
	}

	names := make([]string, f.ncols)
	switch {
	case o.ColumnNames != nil:
		if len(o.ColumnNames) != f.ncols {
			return sqlerr.New(sqlerr.ErrInvalidSetting, "csv file %q has %d columns but %d column names were given", f.path, f.ncols, len(o.ColumnNames))
		}
		copy(names, o.ColumnNames)
	case f.header:
		for c, v := range firstVals {
			names[c] = string(v)
		}
	}
	names = uniqueNames(names)
	f.types = make([]types.T, f.ncols)
	fields := make([]arrow.Field, f.ncols)
	for c := range fields {
		f.types[c] = stats[c].typ()
		fields[c] = arrow.Field{Name: names[c], Type: f.types[c].Arrow(), Nullable: true}
	}
	f.schema = arrow.NewSchema(fields, nil)
	f.inferred = true
	return nil
}

// detectTrailing decides whether lines may end with a delimiter that does
// not start a field. With a schema: when a sampled record has one field too
// many and it is empty. Without: when every sampled record after the first
// (which may be a header written without one) ends with an empty field, or
// the first does if it is alone. A header-less file whose last column is
// empty in the whole sample is read as having trailing delimiters; pass
// TrailingDelimiter: No to keep such a column.
func (f *File) detectTrailing(ctx context.Context, seg0 *segment, r0 int, rec0 []span) (bool, error) {
	if f.schema != nil {
		found := false
		if err := seg0.each(ctx, func(_ int, fields []span) {
			if len(fields) == f.ncols+1 && lastEmpty(fields) {
				found = true
			}
		}); err != nil {
			return false, err
		}
		return found, nil
	}
	trailing, body := true, false
	if err := seg0.each(ctx, func(r int, fields []span) {
		if r > r0 && !isBlank(fields) {
			body = true
			if len(fields) < 2 || !lastEmpty(fields) {
				trailing = false
			}
		}
	}); err != nil {
		return false, err
	}
	if !body {
		return len(rec0) >= 2 && lastEmpty(rec0), nil
	}
	return trailing, nil
}

// sampleRest adds up to rows more records to stats: the rest of the file if
// it is small, else records from evenly spaced offsets. It returns how many
// records it used.
func (f *File) sampleRest(ctx context.Context, fd *os.File, seg0 *segment, rows int, stats []colStats) (int, error) {
	if seg0.eof || rows <= 0 || len(seg0.counts) == 0 {
		return 0, nil
	}
	sc := newScanner(&f.opts, f.ncols+1, true)
	remaining := f.size - seg0.end
	avg := max((seg0.end-seg0.start)/int64(len(seg0.counts)), 1)
	used := 0
	var scratch []byte
	if seg0.quotedNL || remaining <= int64(rows)*avg {
		// Exact continuation: only records before a malformed one count.
		seg, err := readSegment(ctx, fd, seg0.end, rows, sc, false)
		if err != nil {
			return 0, f.readErr(ctx, err)
		}
		if err := seg.each(ctx, func(_ int, fields []span) {
			if f.countOK(fields) {
				scratch = f.addStats(stats, seg.buf, fields, sc, scratch)
				used++
			}
		}); err != nil {
			return 0, err
		}
		return used, nil
	}
	const parts = 8
	per := max(rows/parts, 1)
	spanBytes := int64(per) * avg
	for k := 0; k < parts; k++ {
		off := seg0.end + (remaining-spanBytes)*int64(k)/(parts-1)
		seg, err := readSegment(ctx, fd, off, per, sc, true)
		if err != nil {
			return 0, f.readErr(ctx, err)
		}
		if seg.status != scanOK {
			continue // probably started inside a quoted field: discard
		}
		clean := true
		if err := seg.each(ctx, func(_ int, fields []span) {
			if !f.countOK(fields) && !isBlank(fields) {
				clean = false
			}
		}); err != nil {
			return 0, err
		}
		if !clean {
			continue
		}
		if err := seg.each(ctx, func(_ int, fields []span) {
			if f.countOK(fields) {
				scratch = f.addStats(stats, seg.buf, fields, sc, scratch)
				used++
			}
		}); err != nil {
			return 0, err
		}
	}
	return used, nil
}

// addStats adds one record's values to the column statistics.
func (f *File) addStats(stats []colStats, buf []byte, fields []span, sc *scanner, scratch []byte) []byte {
	for c := range stats {
		var v []byte
		var quoted bool
		v, quoted, scratch = sc.unquote(buf[fields[c].s:fields[c].e], scratch)
		if !f.isNull(v, quoted) {
			stats[c].add(v)
		}
	}
	return scratch
}

// detectHeader decides whether the first record is a header. With column
// statistics (inference), it is one when a value does not fit the type the
// rest of the sample gives its column; when no column says so because every
// column is VARCHAR (or there are no other rows), when its values are
// distinct and look like names. With an explicit schema, it is one when a
// value does not fit its column's type or all values equal the names.
func (f *File) detectHeader(vals [][]byte, quoted []bool, stats []colStats) bool {
	if stats == nil {
		sameNames := true
		for c, v := range vals {
			t := f.types[c]
			if t.Kind != types.String && !f.isNull(v, quoted[c]) && !fits(v, t) {
				return true
			}
			if !strings.EqualFold(string(v), f.schema.Field(c).Name) {
				sameNames = false
			}
		}
		return sameNames
	}
	allString := true
	for c, v := range vals {
		t := stats[c].typ()
		if t.Kind == types.String {
			continue
		}
		allString = false
		if !f.isNull(v, quoted[c]) && !fits(v, t) {
			return true
		}
	}
	if !allString {
		return false
	}
	seen := make(map[string]bool, len(vals))
	for _, v := range vals {
		if !nameLike(v) || seen[string(v)] {
			return false
		}
		seen[string(v)] = true
	}
	return true
}

// countOK reports whether a record has the file's number of fields, allowing
// one extra empty last field when trailing delimiters are on.
func (f *File) countOK(fields []span) bool {
	n := len(fields)
	return n == f.ncols || (f.trailing && n == f.ncols+1 && lastEmpty(fields))
}

func (f *File) countMsg(n int) string {
	return "expected " + strconv.Itoa(f.ncols) + " fields, found " + strconv.Itoa(n)
}

// isNull reports whether a field's content spells NULL.
func (f *File) isNull(v []byte, quoted bool) bool {
	if quoted {
		return false
	}
	for _, n := range f.opts.NullValues {
		if string(v) == n {
			return true
		}
	}
	return false
}

// readErr classifies an error from reading the sample.
func (f *File) readErr(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return err
	}
	if errors.Is(err, errRecordTooLong) {
		return invalidf(f.path, where{line: 1}, "a record is longer than %d bytes", maxBuffer)
	}
	return ioError(f.path, err, "read")
}

func isBlank(fields []span) bool { return len(fields) == 1 && fields[0].s == fields[0].e }

func lastEmpty(fields []span) bool {
	l := fields[len(fields)-1]
	return l.s == l.e
}

// Chunks splits the file's data into at most n byte ranges that start at
// line starts, for n readers to scan in parallel. It returns one chunk for
// n <= 1, for small files, for files whose sample has quoted fields with
// newlines, with Options.SingleChunk, and if probing the file fails.
func (f *File) Chunks(n int) []Chunk {
	whole := []Chunk{{Start: f.dataStart, End: f.size}}
	data := f.size - f.dataStart
	if n <= 1 || !f.splittable || data < 2*f.minChunk {
		return whole
	}
	n = int(min(int64(n), data/f.minChunk))
	fd, err := os.Open(f.path)
	if err != nil {
		return whole // the readers will report the error
	}
	defer fd.Close()
	chunks := make([]Chunk, 0, n)
	prev := f.dataStart
	for i := 1; i < n; i++ {
		target := f.dataStart + data*int64(i)/int64(n)
		if target <= prev {
			continue
		}
		b, err := nextLineStart(fd, target, f.size)
		if err != nil {
			return whole
		}
		if b >= f.size {
			break
		}
		if b > prev {
			chunks = append(chunks, Chunk{Start: prev, End: b})
			prev = b
		}
	}
	return append(chunks, Chunk{Start: prev, End: f.size})
}

// nextLineStart returns the first offset p >= off that starts a line
// (the byte before it is a newline), or size.
func nextLineStart(fd *os.File, off, size int64) (int64, error) {
	buf := make([]byte, 64<<10)
	pos := off - 1
	for pos < size {
		n, err := fd.ReadAt(buf, pos)
		if k := bytes.IndexByte(buf[:n], '\n'); k >= 0 {
			return pos + int64(k) + 1, nil
		}
		if err == io.EOF {
			return size, nil
		}
		if err != nil {
			return 0, err
		}
		pos += int64(n)
	}
	return size, nil
}
