package tpchgen

import (
	"bufio"
	"context"
	"io"
	"strconv"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// csvWriter writes records as RFC 4180 CSV with a header row. It formats
// straight into one reused line buffer; dates come from a table of the
// TPC-H date range instead of a calendar computation per value.
type csvWriter struct {
	bw    *bufio.Writer
	kinds []colKind
	line  []byte
	dates dateText
}

func newCSVWriter(w io.Writer, schema *arrow.Schema) (*csvWriter, error) {
	c := &csvWriter{bw: bufio.NewWriterSize(w, 1<<20), dates: newDateText()}
	for i, f := range schema.Fields() {
		if i > 0 {
			c.line = append(c.line, ',')
		}
		c.line = appendCSVField(c.line, f.Name)
		c.kinds = append(c.kinds, kindOf(f.Type))
	}
	c.line = append(c.line, '\n')
	_, err := c.bw.Write(c.line)
	return c, err
}

func kindOf(dt arrow.DataType) colKind {
	switch dt.ID() {
	case arrow.INT64:
		return kInt
	case arrow.DECIMAL128:
		return kDec
	case arrow.DATE32:
		return kDate
	default:
		return kStr
	}
}

func (c *csvWriter) write(ctx context.Context, rec arrow.Record) error {
	// Resolve each column's typed view once per record.
	ints := make([][]int64, len(c.kinds))
	decs := make([]*array.Decimal128, len(c.kinds))
	dates := make([][]arrow.Date32, len(c.kinds))
	strs := make([]*array.String, len(c.kinds))
	for i, k := range c.kinds {
		switch col := rec.Column(i); k {
		case kInt:
			ints[i] = col.(*array.Int64).Int64Values()
		case kDec:
			decs[i] = col.(*array.Decimal128)
		case kDate:
			dates[i] = col.(*array.Date32).Date32Values()
		default:
			strs[i] = col.(*array.String)
		}
	}
	for r := 0; r < int(rec.NumRows()); r++ {
		if r%chunkRows == chunkRows-1 && ctx.Err() != nil {
			return context.Cause(ctx)
		}
		line := c.line[:0]
		for i, k := range c.kinds {
			if i > 0 {
				line = append(line, ',')
			}
			switch k {
			case kInt:
				line = strconv.AppendInt(line, ints[i][r], 10)
			case kDec:
				// Every TPC-H decimal fits in the low 64 bits.
				line = appendCents(line, int64(decs[i].Value(r).LowBits()))
			case kDate:
				line = c.dates.append(line, int32(dates[i][r]))
			default:
				line = appendCSVField(line, strs[i].Value(r))
			}
		}
		line = append(line, '\n')
		c.line = line
		if _, err := c.bw.Write(line); err != nil {
			return err
		}
	}
	return nil
}

func (c *csvWriter) close(context.Context) error { return c.bw.Flush() }
func (c *csvWriter) abort()                      {}

// appendCents writes hundredths as a decimal with two digits: -12.05.
func appendCents(dst []byte, v int64) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	dst = strconv.AppendInt(dst, v/100, 10)
	return append(dst, '.', byte('0'+v%100/10), byte('0'+v%10))
}

// appendCSVField quotes a field when RFC 4180 requires it (delimiter, quote,
// line break) and also when it is empty or starts or ends with a space, so
// readers that trim or treat empty as NULL read it back unchanged.
func appendCSVField(dst []byte, s string) []byte {
	quote := s == "" || s[0] == ' ' || s[len(s)-1] == ' '
	for i := 0; i < len(s) && !quote; i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			quote = true
		}
	}
	if !quote {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

// dateText formats dates as YYYY-MM-DD, from a table for TPC-H's range.
type dateText struct {
	table []byte // 10 bytes per day from dateTextFirst
}

const (
	dateTextFirst = startDate
	dateTextLast  = endDate + 200
)

func newDateText() dateText {
	t := make([]byte, 0, (dateTextLast-dateTextFirst+1)*10)
	for d := int32(dateTextFirst); d <= dateTextLast; d++ {
		t = appendDate(t, d)
	}
	return dateText{table: t}
}

func (dt dateText) append(dst []byte, d int32) []byte {
	if d >= dateTextFirst && d <= dateTextLast {
		i := int(d-dateTextFirst) * 10
		return append(dst, dt.table[i:i+10]...)
	}
	return appendDate(dst, d)
}

func appendDate(dst []byte, d int32) []byte {
	return time.Unix(int64(d)*86400, 0).UTC().AppendFormat(dst, time.DateOnly)
}
