// Package ipcsrc scans Arrow IPC files (the random-access file format, also
// known as Feather v2) into record batches of minisql's canonical Arrow
// types, and writes query results to such files.
//
// # Type mapping
//
// Each column is mapped once, when the file is opened:
//
//	Int8..Int64, Uint8..Uint64  -> Int64 (Uint64 values above MaxInt64 fail
//	                               the scan, naming file and column)
//	Float16, Float32, Float64   -> Float64
//	Decimal128(p, s)            -> Decimal128(p, s)
//	Date32                      -> Date32
//	Date64                      -> Date32 (days, rounded down)
//	Timestamp (any unit, any zone) -> Timestamp(µs) (zoned values as UTC
//	                               time; nanoseconds rounded down)
//	String, LargeString, Binary, LargeBinary -> String
//	Boolean                     -> Boolean
//
// Other types (times, durations, intervals, Decimal256, views,
// dictionaries, nested and Null columns) make Open fail with
// sqlerr.ErrNotSupported naming the column.
//
// # Reading
//
// The record batches of the file are the units of parallel work: File is
// safe for concurrent use and each Reader (one goroutine) reads a list of
// them. Canonical columns are handed over without a copy; others are
// converted with one loop over the buffers. Batches larger than the
// requested batch size are returned as zero-copy slices. The IPC library
// reads a whole record batch at once (the one step that cannot observe
// cancellation; its cost is a read and a copy of that batch).
//
// Corrupt files never panic through this package and never exhaust memory:
// the library's panics are recovered into sqlerr.ErrIO errors naming the
// file; the footer flatbuffer is walked before the library sizes slices
// from it, and the allocator given to the library refuses absurd buffer
// sizes (the runtime's out-of-memory failure cannot be recovered); string
// offsets are checked before a batch reaches the engine.
//
// The IPC library's ZSTD decompressor (ZSTD-compressed files only) starts
// goroutines of its own while it loads a record batch and closes the
// decoder at the end of that load; this package starts none.
package ipcsrc
