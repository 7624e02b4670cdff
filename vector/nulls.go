package vector

import "github.com/apache/arrow/go/v17/arrow"

// SettleNulls computes the null count of every column of rec now. A
// slice (NewSlice) leaves its count unknown, and the first NullN call
// counts the bitmap and stores the result in the array: a write. An
// array that several goroutines read at once (a batch kept in an
// in-memory table for concurrent queries, a join's build side for its
// probe workers) must have it stored before it is shared, or two first
// calls race.
func SettleNulls(rec arrow.Record) {
	for _, c := range rec.Columns() {
		c.NullN()
	}
}
