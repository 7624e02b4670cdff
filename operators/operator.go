// Package operators holds minisql's physical operators and the execution
// contract they share: Operator, Task (context, budget, allocator, metrics)
// and Group (the only way a query starts a goroutine).
package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
)

// Operator is a node of a pull-based physical plan over Arrow record batches.
//
// Lifecycle. Open is called once, before the first Next, and opens the
// operator's children. Next returns the next batch; at the end of the stream
// it returns (nil, nil), and keeps doing so if called again. Close releases
// everything the operator holds (retained batches, hash tables, goroutines
// started through the query's Group) and closes its children. Close is
// idempotent, safe to call without Open, and safe to call after an error or
// a cancellation: it is the single teardown path, used both when a stream
// ends and when it is abandoned early (LIMIT satisfied, client gone).
//
// Ownership. The caller owns a returned record and must Release it. Next
// returns a record or an error, never both. A record is never empty: an operator whose input batch produced no rows pulls the
// next one. An operator never keeps a reference to a record it returned
// unless it Retained it.
//
// Cancellation. Every operator polls the query's context through the Task:
// each Next spends at least one unit of budget, and every loop that can
// outlast one batch (hash build, probe, sort, merge, nested loop, a filter
// rejecting batch after batch, an expensive per-row function) spends units in
// chunks of at most a few thousand rows. When Task.Spend returns an error the
// operator returns it unchanged, so errors.Is(err, context.Canceled) holds at
// the top. Blocking happens only in a select that also watches
// Task.Context().Done().
//
// Errors. Next returns errors; it never panics as control flow. A panic that
// escapes anyway is recovered at the goroutine boundary (Group.Go or the
// query's driver) and turned into an error naming the operator.
type Operator interface {
	// Schema is the schema of every record Next returns. It is known before
	// Open.
	Schema() *arrow.Schema
	// Open prepares the operator (and its children) to produce batches.
	Open(t *Task) error
	// Next returns the next non-empty batch, or (nil, nil) at the end.
	Next(t *Task) (arrow.Record, error)
	// Close releases all resources. Idempotent; safe without Open.
	Close() error
}

// Describer is implemented by operators that EXPLAIN can render: a name, a
// one-line detail (keys, predicate, limit, ...) and the operator's children.
type Describer interface {
	Describe() Description
}

// Description is one node of a rendered physical plan.
type Description struct {
	Name     string
	Detail   string
	Children []Operator
}
