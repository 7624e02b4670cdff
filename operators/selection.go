package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// A selection is the rows of a batch that are really an operator's
// output: ascending positions, nil for every row. A Filter hands one to a
// parent that asks (NextSel) instead of copying the rows it keeps, as
// DuckDB's operators pass selection vectors; a Project evaluates its
// expressions over the whole batch and passes the selection on; a
// HashAggregate reads only the selected rows. Q1 keeps 98% of lineitem,
// and its filter's copy was a quarter of the query.

// selSource is an operator that can return a batch with a selection.
type selSource interface {
	// NextSel is Next, except that only the rows in sel (valid until the
	// next call) are output; nil sel means every row.
	NextSel(t *Task) (arrow.Record, []int32, error)
}

// nextSel pulls the next batch of op, with a selection when op gives one.
func nextSel(t *Task, op Operator) (arrow.Record, []int32, error) {
	if s, ok := op.(selSource); ok {
		return s.NextSel(t)
	}
	rec, err := op.Next(t)
	return rec, nil, err
}

// denseSel reports whether sel keeps enough of n rows for a parent to
// compute over all of them rather than copy the selected ones first.
func denseSel(sel []int32, n int) bool { return 4*len(sel) >= 3*n }

// takeSel returns the rows sel selects from rec, copied, spending budget
// as it goes.
func takeSel(t *Task, rec arrow.Record, sel []int32) (arrow.Record, error) {
	if err := t.Spend(len(sel)); err != nil {
		return nil, err
	}
	return takeRows(t, rec, rec.Schema(), nil, sel, vector.RunsOf(sel, nil)), nil
}

// takeRows copies the rows sel selects (runs: sel's runs, or nil) of the
// columns cols of rec (nil: all of them) into a record of schema.
func takeRows(t *Task, rec arrow.Record, schema *arrow.Schema, cols []int, sel []int32, runs []vector.Run) arrow.Record {
	var out []arrow.Array
	if cols == nil {
		out = make([]arrow.Array, rec.NumCols())
		for i, c := range rec.Columns() {
			out[i] = takeArray(t, c, sel, runs)
		}
	} else {
		out = make([]arrow.Array, len(cols))
		for i, k := range cols {
			out[i] = takeArray(t, rec.Column(k), sel, runs)
		}
	}
	return vector.NewRecord(schema, out, len(sel))
}

// takeArray copies the rows sel selects from arr (runs: sel's runs, or
// nil when they are too short to copy run by run).
func takeArray(t *Task, arr arrow.Array, sel []int32, runs []vector.Run) arrow.Array {
	if runs != nil {
		return vector.TakeRuns(t.Alloc(), arr, runs, len(sel))
	}
	return vector.Take(t.Alloc(), arr, sel)
}
