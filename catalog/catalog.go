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

// ExtrapolateNDV turns the distinct count of a sample into an estimate for
// the whole table: a sample of all-distinct values means a key (NDV =
// rows); a small distinct count means the domain is exhausted; in between
// it scales linearly.
func ExtrapolateNDV(distinct, sample, rows int64) int64 {
	switch {
	case sample <= 0:
		return -1
	case distinct >= sample*95/100:
		return rows
	case distinct*10 <= sample || sample >= rows:
		return distinct
	}
	return min(rows, distinct*rows/sample)
}
