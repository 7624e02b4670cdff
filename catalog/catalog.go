// Package catalog is what the planner knows about tables: their schema,
// their size, and how to make a scan source for some of their columns.
// In-memory tables live here; file-backed tables adapt the sources
// packages.
package catalog

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
)

// Table is a relation the planner can scan.
type Table interface {
	// Name is the table's name in the catalog.
	Name() string
	// Schema uses minisql's canonical Arrow types (see package types).
	Schema() *arrow.Schema
	// Stats are estimates for the optimizer.
	Stats() Stats
	// Source returns a scan source over the given columns (indexes into
	// Schema). filters are conjuncts over the table's columns (ColumnRef
	// Index = table column index) that the source may use to skip data;
	// the planner still applies them above the scan.
	Source(req ScanRequest) (operators.Source, error)
}

// ScanRequest describes what a scan needs from a table.
type ScanRequest struct {
	Columns   []int
	Filters   []expr.Expr
	BatchSize int
	// MorselRows asks in-memory tables for units of this many rows
	// (0: MemChunkRows); files keep their own units.
	MorselRows int
}

// Stats are table statistics. RowCount < 0 means unknown.
type Stats struct {
	RowCount int64
	Bytes    int64
}

// Catalog resolves table names.
type Catalog interface {
	// Table returns the named table, or an error wrapping
	// sqlerr.ErrUnknownTable. A name may also be a file path.
	Table(name string) (Table, error)
}

// NDVEstimator is implemented by tables that can estimate the number of
// distinct values of a column (for join ordering). It returns -1 when it
// cannot tell.
type NDVEstimator interface {
	NDV(col int) int64
}

// RangeEstimator is implemented by tables that know the range of a
// numeric or date column's values (for the selectivity of comparisons
// with constants), as float64: dates in days, decimals at their value.
// ok is false when it cannot tell.
type RangeEstimator interface {
	ValueRange(col int) (lo, hi float64, ok bool)
}

// Sample describes the values of a column seen in a sample of rows.
type Sample struct {
	Rows       int64 // rows in the sample
	Distinct   int64 // distinct values among them
	Singletons int64 // values seen exactly once
	Sorted     bool  // the sample is in (non-strict) order
}

// ExtrapolateNDV estimates a column's number of distinct values in a table
// of rows rows from a sample of its first rows. A sample of all-distinct
// values is a key (NDV = rows). A sorted sample (keys, dates of
// append-ordered data) sees a contiguous stretch of the domain, so its
// distinct count scales with the rows. Otherwise it uses Haas and Stokes'
// Duj1 estimator, d / (1 - (1-q) f1/n), which a bounded domain (a foreign
// key's) does not fool the way linear scaling does.
func ExtrapolateNDV(s Sample, rows int64) int64 {
	if s.Rows <= 0 {
		return -1
	}
	if s.Rows >= rows {
		return s.Distinct
	}
	if s.Distinct >= s.Rows*95/100 {
		return rows
	}
	if s.Sorted {
		return min(rows, s.Distinct*rows/s.Rows)
	}
	q := float64(s.Rows) / float64(rows)
	den := 1 - (1-q)*float64(s.Singletons)/float64(s.Rows)
	if den <= 0 {
		return rows
	}
	return min(rows, max(s.Distinct, int64(float64(s.Distinct)/den)))
}
