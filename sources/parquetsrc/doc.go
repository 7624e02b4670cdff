// Package parquetsrc scans Parquet files into record batches of minisql's
// canonical Arrow types and writes query results back to Parquet.
//
// # Type mapping
//
// Every column of a file is mapped once, when the file is opened, to exactly
// one engine type (see package types):
//
//	INT32, INT64 (any Int logical type, signed or not) -> Int64
//	  UINT64 values above math.MaxInt64 fail the scan with an error naming
//	  the file and the column
//	FLOAT, DOUBLE                                     -> Float64
//	DECIMAL(p<=38) on INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY
//	                                                  -> Decimal128(p, s)
//	DATE (INT32)                                      -> Date32
//	BYTE_ARRAY (STRING, UTF8, ENUM, JSON, BSON, none) -> String
//	BOOLEAN                                           -> Boolean
//
// Anything else (TIMESTAMP, INT96, TIME, INTERVAL, UUID, FLOAT16, a plain
// FIXED_LEN_BYTE_ARRAY, DECIMAL wider than 38 digits, and every nested or
// repeated column) makes Open fail with sqlerr.ErrNotSupported naming the
// column, e.g. `not supported: parquet column "ts" of type TIMESTAMP in
// "f.parquet"`. Failing at Open rather than when the column is read keeps
// Schema total (every column of the file has an engine type) and reports the
// problem before a query starts; a file with such columns can be converted
// with another tool first.
//
// Field names are those of the file; the schema carries no metadata (no
// PARQUET:field_id), so schemas compare equal to ones the engine builds.
//
// # Reading
//
// Pages are decoded with parquet/file's typed column chunk readers straight
// into Arrow buffers from the caller's allocator: INT64, DOUBLE and DATE
// values are decoded into the result buffer itself; narrower integers, FLOAT
// and integer decimals are decoded into scratch and widened in one loop;
// strings are copied once into exactly sized offset and data buffers; NULL
// slots are spread from the definition levels. pqarrow is used only for
// writing: its read path converts narrow integers, dates and integer
// decimals through reflection per value, allocates them outside the
// caller's allocator, and builds strings through a builder.
//
// A row group is the unit of parallel work: File is safe for concurrent use,
// and each Reader (one goroutine) scans a list of row groups, typically the
// ones Prune keeps, dealt out to the engine's workers. Batches never span
// two row groups. Neither this package nor the way it uses the library
// starts goroutines (pqarrow's parallel column reading is not used).
//
// Cancellation: Reader.Next checks its context before every batch and
// between the column chunk streams it opens at a row group start. Column
// chunks are streamed through 64 KiB buffers, so the work between two
// checks is one batch of decoding plus the page reads it needs.
//
// Memory: the returned arrays are allocated from the allocator given to
// NewReader and owned by the caller. Decompressed pages, read buffers and
// decoder scratch are ordinary Go memory held by the Reader (see NewReader
// for why), about one page and 64 KiB per column.
//
// Corrupt input never panics through this package: the library's panics on
// malformed pages or footers are recovered into sqlerr.ErrIO errors that name
// the file.
package parquetsrc
