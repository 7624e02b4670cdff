package csvsrc

import (
	"context"
	"io"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// flushAt is the buffered size at which Write passes text on to the
// underlying writer.
const flushAt = 64 << 10

// Writer writes records as RFC 4180 CSV: a header row (unless NoHeader),
// NULL as an empty field, strings quoted when they are empty or contain the
// delimiter, the quote or a line break (so "" reads back as the empty
// string, not NULL), decimals with their full scale, dates as YYYY-MM-DD,
// floats as AppendFloat writes them and booleans as true/false.
type Writer struct {
	w         io.Writer
	schema    *arrow.Schema
	kinds     []types.Kind
	delim     byte
	quote     byte
	eol       string
	special   [256]bool // bytes that force quoting
	checkNums bool      // the delimiter can occur in formatted numbers, dates or timestamps
	buf       []byte
	scratch   []byte
	cols      []colFmt
	err       error
}

// colFmt is one column of the record being written, with its typed values
// taken out once so that the row loop makes no interface calls.
type colFmt struct {
	kind   types.Kind
	valid  []byte // validity bitmap, nil when the column has no nulls
	off    int    // the array's offset into valid
	i64    []int64
	f64    []float64
	dec    []decimal128.Num
	scale  int32
	dates  []arrow.Date32
	stamps []arrow.Timestamp
	strs   *array.String
	bools  *array.Boolean
	isNull bool // a NULL-typed column
}

// NewWriter returns a writer of records with the given schema. The header
// row is written (to w) by the first Write or Flush.
func NewWriter(w io.Writer, schema *arrow.Schema, opts WriterOptions) (*Writer, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	cw := &Writer{w: w, schema: schema, delim: o.Delimiter, quote: o.Quote, eol: "\n"}
	if o.CRLF {
		cw.eol = "\r\n"
	}
	cw.special[o.Delimiter], cw.special[o.Quote], cw.special['\n'], cw.special['\r'] = true, true, true, true
	for _, c := range []byte("0123456789+-.eEinfatrul :") { // timestamps have ' ' and ':'
		if c == o.Delimiter || c == o.Quote {
			cw.checkNums = true
		}
	}
	cw.kinds = make([]types.Kind, schema.NumFields())
	for i, f := range schema.Fields() {
		t, err := types.FromArrow(f.Type)
		if err != nil || t.Kind == types.Interval {
			return nil, sqlerr.New(sqlerr.ErrNotSupported, "csv writer: column %q has type %s", f.Name, f.Type)
		}
		cw.kinds[i] = t.Kind
	}
	cw.cols = make([]colFmt, len(cw.kinds))
	if !o.NoHeader {
		for i, f := range schema.Fields() {
			if i > 0 {
				cw.buf = append(cw.buf, cw.delim)
			}
			cw.buf = cw.appendQuoted(cw.buf, []byte(f.Name), false)
		}
		cw.buf = append(cw.buf, cw.eol...)
	}
	return cw, nil
}

// Write appends the rows of rec, which must have the writer's schema. It
// checks ctx every 4096 rows.
func (w *Writer) Write(ctx context.Context, rec arrow.Record) error {
	if w.err != nil {
		return w.err
	}
	if int(rec.NumCols()) != len(w.kinds) {
		return sqlerr.New(sqlerr.ErrInternal, "csv writer: record has %d columns, schema has %d", rec.NumCols(), len(w.kinds))
	}
	for j := range w.cols {
		if err := w.cols[j].set(rec.Column(j), w.kinds[j]); err != nil {
			return err
		}
	}
	n := int(rec.NumRows())
	for i := 0; i < n; i++ {
		if i%checkRows == checkRows-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		w.appendRow(i)
		if len(w.buf) >= flushAt {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	for j := range w.cols {
		w.cols[j] = colFmt{} // keep no reference to the caller's arrays
	}
	return nil
}

// Flush writes everything buffered (at least the header) to the
// underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	return w.flush()
}

func (w *Writer) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	if _, err := w.w.Write(w.buf); err != nil {
		w.err = sqlerr.Wrap(sqlerr.ErrIO, err, "csv writer: %v", err)
		return w.err
	}
	w.buf = w.buf[:0]
	return nil
}

func (c *colFmt) set(a arrow.Array, k types.Kind) error {
	*c = colFmt{kind: k}
	if a.NullN() > 0 {
		c.valid, c.off = a.NullBitmapBytes(), a.Data().Offset()
	}
	ok := true
	switch k {
	case types.Int64:
		var x *array.Int64
		if x, ok = a.(*array.Int64); ok {
			c.i64 = x.Int64Values()
		}
	case types.Float64:
		var x *array.Float64
		if x, ok = a.(*array.Float64); ok {
			c.f64 = x.Float64Values()
		}
	case types.Decimal:
		var x *array.Decimal128
		if x, ok = a.(*array.Decimal128); ok {
			c.dec = x.Values()
			c.scale = x.DataType().(*arrow.Decimal128Type).Scale
		}
	case types.Date:
		var x *array.Date32
		if x, ok = a.(*array.Date32); ok {
			c.dates = x.Date32Values()
		}
	case types.Timestamp:
		var x *array.Timestamp
		if x, ok = a.(*array.Timestamp); ok {
			c.stamps = x.TimestampValues()
		}
	case types.String:
		c.strs, ok = a.(*array.String)
	case types.Bool:
		c.bools, ok = a.(*array.Boolean)
	case types.Null:
		c.isNull = true
	}
	if !ok {
		return sqlerr.New(sqlerr.ErrInternal, "csv writer: column of type %s does not match the schema", a.DataType())
	}
	return nil
}

// appendRow formats row i of the current record.
func (w *Writer) appendRow(i int) {
	buf := w.buf
	for j := range w.cols {
		if j > 0 {
			buf = append(buf, w.delim)
		}
		c := &w.cols[j]
		if c.isNull || (c.valid != nil && !bitutil.BitIsSet(c.valid, c.off+i)) {
			continue
		}
		if c.kind == types.String {
			buf = w.appendQuoted(buf, unsafeBytes(c.strs.Value(i)), true)
			continue
		}
		start := len(buf)
		switch c.kind {
		case types.Int64:
			buf = strconv.AppendInt(buf, c.i64[i], 10)
		case types.Float64:
			buf = AppendFloat(buf, c.f64[i])
		case types.Decimal:
			buf = AppendDecimal(buf, c.dec[i], c.scale)
		case types.Date:
			buf = AppendDate(buf, c.dates[i])
		case types.Timestamp:
			buf = types.AppendTimestamp(buf, int64(c.stamps[i]))
		case types.Bool:
			buf = AppendBool(buf, c.bools.Value(i))
		}
		if w.checkNums {
			w.scratch = append(w.scratch[:0], buf[start:]...)
			buf = w.appendQuoted(buf[:start], w.scratch, false)
		}
	}
	w.buf = append(buf, w.eol...)
}

// appendQuoted appends s, quoted if it contains a special byte (or, with
// quoteEmpty, if it is empty), with quotes inside doubled.
func (w *Writer) appendQuoted(dst, s []byte, quoteEmpty bool) []byte {
	need := quoteEmpty && len(s) == 0
	for _, c := range s {
		if w.special[c] {
			need = true
			break
		}
	}
	if !need {
		return append(dst, s...)
	}
	dst = append(dst, w.quote)
	for _, c := range s {
		if c == w.quote {
			dst = append(dst, c)
		}
		dst = append(dst, c)
	}
	return append(dst, w.quote)
}
