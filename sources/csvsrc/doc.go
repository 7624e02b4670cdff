// Package csvsrc reads and writes delimited text files (CSV, TPC-H .tbl) as
// Arrow record batches in minisql's physical types.
//
// # Reading
//
// Open(ctx, path, opts) samples the file, infers (or checks) its schema and
// returns a File.
// File.Chunks splits the data into byte ranges that start at line starts, and
// File.NewReader scans one range, producing records of BatchSize rows with
// only the projected columns parsed.
//
// The reader is written for speed: it reads large blocks into one buffer,
// splits a whole batch of records into field offsets first (a line without a
// quote character takes a fast path: one SIMD search for the newline, one for
// the quote, one byte loop for the delimiters), and then parses column by
// column straight into Arrow buffers allocated from the caller's allocator.
// There is no per-value allocation, no interface call per value and no
// math/big: integers, decimals and dates have hand-written parsers.
//
// # Format
//
// Fields are separated by a one-byte delimiter (',' by default, '|' for
// .tbl files) and records by "\n" or "\r\n". Quoting follows RFC 4180: a
// field that starts with the quote character runs to the matching closing
// quote, a doubled quote inside it stands for one quote, and it may contain
// delimiters and newlines; with Options.Escape another byte (DuckDB's
// escape = '\') makes the byte after it literal instead. Options.Skip
// skips lines before the header without parsing them. An empty unquoted
// field is NULL by default, a quoted empty field ("") is the empty string;
// quoted fields are never NULL.
// Completely empty lines are skipped when the file has more than one column.
// A line ending with the delimiter (as TPC-H .tbl files do) has one empty last
// field that is dropped (TrailingDelimiter). Auto turns this on when every
// sampled record after the first ends with an empty field (the first may be
// a header written without the trailing delimiter); lines with and without
// the extra field are then both accepted. A header-less file whose last
// column is empty throughout the sample is therefore read without that
// column: pass TrailingDelimiter: No to keep it.
//
// Header detection (Header: Auto): the first record is a header when one of
// its values does not fit the type the rest of the sample gives its column
// (with an explicit schema: the schema's type, or when its values equal the
// schema's names). When every column is VARCHAR it is a header when its
// values are distinct, non-empty and start with a letter or '_'.
//
// # Type inference
//
// Unless Options.Schema is given, each column gets the narrowest of BOOLEAN,
// BIGINT, DECIMAL(p,s), DOUBLE, DATE and VARCHAR that accepts every sampled
// value. The sample is the first SampleRows/2 records plus SampleRows/2
// records taken from eight evenly spaced byte offsets (each re-synchronised to
// the next line start; the last one reaches the end of the file). When the
// rest of the file is smaller than the sample budget, it is read completely
// instead, so inference over small files is exact. A resynchronised segment
// whose records do not parse cleanly is discarded: extra samples can only
// widen a type, never narrow it. If the first segment contains a quoted field
// with a newline, resynchronising to a line start is unreliable, so only the
// start of the file is sampled (up to SampleRows records) and the file is not
// split (see Chunks).
//
// DECIMAL precision: a column whose sampled values need at most 18 digits is
// DECIMAL(18,s), otherwise DECIMAL(38,s), where s is the largest number of
// fractional digits seen. Giving the integer part room beyond the sample keeps
// a bigger value later in the file from failing the scan. Values needing more
// than 38 digits make the column DOUBLE.
//
// A value outside the sample that does not fit the inferred type is an
// error naming the file, line and column, never a silent NULL.
//
// # Parsing rules
//
//   - BIGINT: optional sign and decimal digits; overflow is an error.
//   - DECIMAL(p,s): optional sign, digits, optional '.' and digits (".5" and
//     "5." are accepted; exponents are not). Extra fractional digits are
//     rounded half away from zero, like DuckDB; a value needing more than p
//     digits is an error.
//   - DOUBLE: strconv.ParseFloat (accepts inf, infinity and nan).
//   - DATE: exactly YYYY-MM-DD, validated including leap years.
//   - BOOLEAN: true/false, t/f, yes/no, y/n, 1/0, any case.
//   - VARCHAR: the bytes as they are (quotes removed, doubled quotes undone).
//
// # Errors
//
// Every error names the file. Bad values, wrong field counts, unterminated
// quotes and stray characters after a closing quote are sqlerr.ErrInvalidValue
// errors that also name the physical line (1-based) and, where it applies,
// the column (name and 1-based index). I/O failures are sqlerr.ErrIO.
// Nothing panics on any input.
//
// # Splitting
//
// Chunks(n) cuts the data at line starts. A cut is wrong only if it falls
// inside a quoted field that contains a newline; that cannot be ruled out
// without reading the whole file, so it is detected instead: the reader of
// each chunk checks that its last record ends exactly at the chunk's end
// (by induction from the first chunk, which starts at a true record start,
// every accepted cut is then a true record boundary) and fails with
// sqlerr.ErrInvalidValue otherwise, telling the user to set SingleChunk.
// Files whose sample shows quoted newlines, and files opened with SingleChunk,
// are never split. A reader of a chunk other than the first learns its line
// numbers only when it has to report an error, by counting the newlines
// before the chunk; if even that fails the error says "near byte offset X".
//
// # Writing
//
// Writer produces RFC 4180 CSV with a header row, NULL as an empty field and
// the empty string as "". The value formatting (AppendValue, AppendDecimal,
// AppendDate, AppendFloat) is exported so that every front end prints values
// the same way.
package csvsrc
