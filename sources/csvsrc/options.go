package csvsrc

import (
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/sqlerr"
)

// Mode is a three-way switch whose zero value means "detect it".
type Mode uint8

const (
	// Auto detects the setting from the data.
	Auto Mode = iota
	// Yes forces the setting on.
	Yes
	// No forces the setting off.
	No
)

// Defaults.
const (
	DefaultBatchSize  = 8192
	DefaultSampleRows = 20000
)

// Options configure Open. The zero value reads a comma-separated file (or a
// '|'-separated one if the name ends in .tbl), detects the header and the
// trailing delimiter, and infers the schema.
type Options struct {
	// Header says whether the first record holds column names. Auto treats
	// it as a header when one of its values does not fit the type the rest
	// of the sample gives its column, or, when every column is VARCHAR, when
	// all its values are distinct, non-empty and name-like (start with a
	// letter or '_').
	Header Mode
	// Delimiter separates fields. 0 means ',' (or '|' for *.tbl files).
	Delimiter byte
	// Quote starts and ends a quoted field. 0 means '"'.
	Quote byte
	// NoQuote disables quoting: the quote character is an ordinary byte.
	NoQuote bool
	// Escape, inside a quoted field, makes the byte after it literal (as
	// DuckDB's escape option: with '\' it reads "a\"b" as a"b). 0 means the
	// quote character itself: a doubled quote stands for one quote.
	Escape byte
	// Skip is the number of lines skipped at the start of the file, before
	// the header (DuckDB's skip). Skipped lines are not parsed at all.
	Skip int
	// NullValues are the spellings of NULL in unquoted fields. nil means
	// [""] (an empty unquoted field is NULL); an empty non-nil slice means
	// no value is NULL. Quoted fields are never NULL.
	NullValues []string
	// TrailingDelimiter: a line ending with the delimiter has one empty last
	// field that is dropped. Auto turns this on when every record of the
	// first sample segment ends with the delimiter; Yes accepts lines with
	// and without it.
	TrailingDelimiter Mode
	// Schema, if set, gives the column names and types (minisql physical
	// types only); no inference is done but every value is still checked.
	Schema *arrow.Schema
	// SampleRows is the number of records type inference looks at.
	// 0 means DefaultSampleRows.
	SampleRows int
	// BatchSize is the number of rows per record. 0 means DefaultBatchSize.
	BatchSize int
	// ColumnNames names the columns (overriding a header, if any). Without
	// it a header-less file's columns are column0, column1, ...
	ColumnNames []string
	// SingleChunk makes Chunks return one chunk: use it for files whose
	// quoted fields contain newlines beyond the inference sample.
	SingleChunk bool
}

// WriterOptions configure NewWriter. The zero value writes comma-separated
// values with a header row and "\n" line ends.
type WriterOptions struct {
	// Delimiter separates fields. 0 means ','.
	Delimiter byte
	// Quote quotes fields that need it. 0 means '"'.
	Quote byte
	// NoHeader suppresses the header row.
	NoHeader bool
	// CRLF ends lines with "\r\n" (as RFC 4180 says) instead of "\n".
	CRLF bool
}

// normalize fills in defaults and validates o for the file at path.
func (o Options) normalize(path string) (Options, error) {
	if o.Delimiter == 0 {
		o.Delimiter = ','
		if strings.EqualFold(filepath.Ext(path), ".tbl") {
			o.Delimiter = '|'
		}
	}
	if o.Quote == 0 {
		o.Quote = '"'
	}
	if o.Escape == 0 {
		o.Escape = o.Quote
	}
	if o.NullValues == nil {
		o.NullValues = []string{""}
	}
	if o.SampleRows <= 0 {
		o.SampleRows = DefaultSampleRows
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.Header > No || o.TrailingDelimiter > No {
		return o, sqlerr.New(sqlerr.ErrInvalidSetting, "csv: invalid mode")
	}
	if o.Delimiter == '\n' || o.Delimiter == '\r' {
		return o, sqlerr.New(sqlerr.ErrInvalidSetting, "csv: the delimiter cannot be a line break")
	}
	if !o.NoQuote && (o.Quote == o.Delimiter || o.Quote == '\n' || o.Quote == '\r') {
		return o, sqlerr.New(sqlerr.ErrInvalidSetting, "csv: the quote character %q cannot be the delimiter or a line break", o.Quote)
	}
	if !o.NoQuote && (o.Escape == o.Delimiter || o.Escape == '\n' || o.Escape == '\r') {
		return o, sqlerr.New(sqlerr.ErrInvalidSetting, "csv: the escape character %q cannot be the delimiter or a line break", o.Escape)
	}
	if o.Skip < 0 {
		return o, sqlerr.New(sqlerr.ErrInvalidSetting, "csv: cannot skip %d lines", o.Skip)
	}
	return o, nil
}

func (o WriterOptions) normalize() (WriterOptions, error) {
	if o.Delimiter == 0 {
		o.Delimiter = ','
	}
	if o.Quote == 0 {
		o.Quote = '"'
	}
	if o.Delimiter == '\n' || o.Delimiter == '\r' || o.Delimiter == o.Quote {
		return o, sqlerr.New(sqlerr.ErrInvalidSetting, "csv: invalid delimiter %q", o.Delimiter)
	}
	return o, nil
}
