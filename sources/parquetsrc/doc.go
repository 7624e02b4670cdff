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
//	TIMESTAMP (INT64: MILLIS, MICROS, NANOS), INT96   -> Timestamp(µs)
//	  UTC-adjusted instants read as their UTC time; nanoseconds round down
//	BYTE_ARRAY (STRING, UTF8, ENUM, JSON, BSON, none) -> String
//	BOOLEAN                                           -> Boolean
//
// Anything else (TIME, INTERVAL, UUID, FLOAT16, a plain
// FIXED_LEN_BYTE_ARRAY, DECIMAL wider than 38 digits, and every nested or
// repeated column) makes Open fail with sqlerr.ErrNotSupported naming the
// column, e.g. `not supported: parquet column "t" of type TIME in
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
// Column chunks in the common encodings (PLAIN and dictionary values, RLE
// or BIT_PACKED definition levels, v1 and v2 data pages, any codec of
// parquet/compress) are decoded by the package's own page decoder
// (chunkDecoder), which the chunk's list of encodings selects at Open. It
// parses page headers itself, reads each chunk through one reused buffer
// and decompresses pages into another, converts a chunk's dictionary once
// into the engine layout (e.g. INT64 decimals to Decimal128) so that
// dictionary indices gather finished values, writes fixed-width values
// straight into the result buffer, copies strings straight into one
// values buffer with their offsets, and turns definition levels directly
// into the validity bitmap (none when a batch has no NULLs). Nothing is
// allocated per value or per page.
//
// Other chunks (DELTA_* encodings, BOOLEAN columns, encrypted chunks,
// files of parquet-mr before 1.2.9) are read with parquet/file's typed
// column chunk readers, also into buffers from the caller's allocator:
// narrower integers, FLOAT and integer decimals are decoded into scratch
// and widened in one loop; strings are copied once into exactly sized
// offset and data buffers; NULL slots are spread from the definition
// levels. pqarrow is used only for writing: its read path converts narrow
// integers, dates and integer decimals through reflection per value,
// allocates them outside the caller's allocator, and builds strings
// through a builder.
//
// A row group is the unit of parallel work: File is safe for concurrent use,
// and each Reader (one goroutine) scans a list of row groups, typically the
// ones Prune keeps, dealt out to the engine's workers. Batches never span
// two row groups. Neither this package nor the way it uses the library
// starts goroutines (pqarrow's parallel column reading is not used).
//
// Cancellation: Reader.Next checks its context before every batch and
// between the column chunks it opens at a row group start. The work
// between two checks is one batch of decoding plus the page reads and
// decompression it needs (pages are read whole; chunks are read in pieces
// of at least 64 KiB, never whole).
//
// Memory: the returned arrays are allocated from the allocator given to
// NewReader and owned by the caller. Read buffers, decompressed pages,
// dictionaries and decoder scratch are ordinary Go memory (see NewReader
// for why): per column about one page plus 64 KiB. A closed Reader's
// decoders go to a pool in its File for the next Reader, as the engine
// opens one Reader per row group.
//
// Corrupt input never panics through this package: the library's panics on
// malformed pages or footers are recovered into sqlerr.ErrIO errors that name
// the file.
package parquetsrc
