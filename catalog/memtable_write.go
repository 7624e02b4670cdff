package catalog

import (
	"context"

	"github.com/apache/arrow/go/v17/arrow"
)

// Writes to a MemTable (INSERT, UPDATE, DELETE) take its write lock for
// their whole run, so that an UPDATE's rewrite of the table cannot lose
// rows an INSERT appended meanwhile. Readers never take it: a scan reads a
// snapshot of the batch list. The lock is a channel so that a statement
// waiting for it stops when its query is cancelled.

// LockWrites takes the table's write lock, or returns the context's cause.
func (m *MemTable) LockWrites(ctx context.Context) error {
	select {
	case m.writer <- struct{}{}:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// UnlockWrites releases the write lock.
func (m *MemTable) UnlockWrites() { <-m.writer }

// ReplaceWith makes src's batches the table's (UPDATE and DELETE rewrite a
// table whole). Scans already running keep the batches they took; src
// keeps its own references, for the caller to release.
func (m *MemTable) ReplaceWith(src *MemTable) error {
	if err := sameTypes(m.schema, src.schema); err != nil {
		return err
	}
	src.mu.RLock()
	batches := append([]arrow.Record(nil), src.batches...)
	rows, bytes, tail, tailN := src.rows, src.bytes, src.tail, src.tailN
	src.mu.RUnlock()
	for _, b := range batches {
		b.Retain()
	}
	m.mu.Lock()
	old := m.batches
	m.batches, m.rows, m.bytes = batches, rows, bytes
	m.tail, m.tailN = tail, tailN
	m.ndv, m.ranges = nil, nil
	m.mu.Unlock()
	for _, b := range old {
		b.Release()
	}
	return nil
}
