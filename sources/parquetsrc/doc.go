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
// Pages are decoded with parquet/file's record readers and converted with
// plain loops over the decoded buffers: INT64, DOUBLE and DATE columns are
// handed over without a copy, narrower integers, floats and integer decimals
// are widened in one pass. pqarrow's own conversion is not used for reading:
// for narrow integers, dates and integer decimals it goes through reflection
// per value and allocates outside the caller's allocator.
//
// A row group is the unit of parallel work: File is safe for concurrent use,
// and each Reader (one goroutine) scans a list of row groups. Batches never
// span two row groups. The library starts no goroutines.
//
// Corrupt input never panics through this package: the library's panics on
// malformed pages or footers are recovered into sqlerr.ErrIO errors that name
// the file.
package parquetsrc
