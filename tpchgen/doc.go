// Package tpchgen generates TPC-H data in process: no download, no dbgen.
//
// It follows the TPC-H specification (v3, clause 4.2) for the schema, the
// cardinalities, the key relationships and the value domains, so the 22
// queries return plausible results of the right shape at any scale factor.
// The values are not dbgen's: the random streams are this package's own.
//
// # Determinism and parallel parts
//
// Every value is a pure function of (Seed, column, row): each column has its
// own counter-based random stream (SplitMix64 over the row number), so any
// row can be generated without generating the rows before it. That is what
// lets a table be cut into parts that are generated independently (in
// parallel) and concatenate to exactly the single-part output, and lets the
// orders generator compute o_totalprice and o_orderstatus from the lines of
// each order without running the lineitem generator.
//
// Comments are substrings of a text pool built once per process from the
// spec's word grammar (clause 4.2.2.10), as dbgen does; addresses, phones and
// names follow clauses 4.2.2.7 to 4.2.2.9. Word weights and the pool size
// were tuned against the official SF0.01 data and DuckDB's dbgen at SF 0.1
// and 1, so LIKE selectivities (q13, q16, q9, q20) and the number of
// distinct comments are close to the reference.
//
// # Streams and files
//
// NewGenerator streams one table (or one part of it) as Arrow records built
// directly into allocator-owned buffers. Generate writes all eight tables as
// Parquet or CSV files; at SF 1 that takes about 3.6 s on two cores (DuckDB's
// dbgen plus its Parquet writer: about 20 s).
package tpchgen
