package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// keptChunkRows is the fewest rows of a record a large kept input is held
// in: 256 KiB a BIGINT column, still a heap allocation of the engine's
// allocator (bufpool maps 1 MiB and more from the OS, and unmapping costs
// a system call a buffer at release).
const keptChunkRows = 1 << 15

// keptLoose is how many records a kept input holds as they came before it
// joins small ones: freeing 128 batches takes some 0.05 ms, and below it
// a join's copy is not worth it (a 1M-row sort over batches the source
// keeps, which the copy only adds to, ran 11% slower joined).
const keptLoose = 128

// keptBatches is an operator's whole input, kept until Close (a sort's).
// Held as it came, 20M rows were 2,441 batches, whose release in Close
// (record, arrays, data and buffers, each back to the allocator) took 1-3
// ms per 10M rows, and longer while a collection's write barriers were
// on: a cancelled sort was not quiet until then. So past keptLoose
// records, small batches are joined into records of keptChunkRows: one
// copy of the rest of the input, with checks, as it arrives, for an
// eighth of the objects to free. The batches the copy frees go back to
// the allocator, which hands them to the scan again.
type keptBatches struct {
	schema  *arrow.Schema
	join    bool           // every column's type can be concatenated
	loose   int            // records kept as they came before joining
	batches []arrow.Record // kept, in input order; nil once released early
	pending []arrow.Record // small batches after batches, not joined yet
	rows    int            // rows in pending
	bytes   int64          // Arrow memory of batches and pending
}

func newKeptBatches(schema *arrow.Schema) keptBatches {
	join := true
	for _, f := range schema.Fields() {
		join = join && vector.CanConcat(f.Type)
	}
	return keptBatches{schema: schema, join: join, loose: keptLoose}
}

// add keeps rec, taking over the caller's reference.
func (k *keptBatches) add(t *Task, rec arrow.Record) error {
	k.bytes += recordBytes(rec)
	if !k.join || len(k.batches) < k.loose || len(k.pending) == 0 && rec.NumRows() >= keptChunkRows {
		k.batches = append(k.batches, rec)
		return nil
	}
	k.pending = append(k.pending, rec)
	k.rows += int(rec.NumRows())
	if k.rows < keptChunkRows {
		return nil
	}
	chunk, err := vector.ConcatRecords(t.Alloc(), k.schema, k.pending, t.Spend)
	if err != nil {
		return err // pending is released with the rest
	}
	k.bytes += recordBytes(chunk)
	for i, p := range k.pending {
		k.bytes -= recordBytes(p)
		p.Release()
		k.pending[i] = nil
	}
	k.pending, k.rows = k.pending[:0], 0
	k.batches = append(k.batches, chunk)
	return nil
}

// done returns every kept record in input order: the pending ones, too
// few to join, are kept as they came.
func (k *keptBatches) done() []arrow.Record {
	k.batches = append(k.batches, k.pending...)
	clear(k.pending)
	k.pending, k.rows = k.pending[:0], 0
	return k.batches
}

// release frees everything still kept.
func (k *keptBatches) release() {
	for _, list := range [][]arrow.Record{k.batches, k.pending} {
		for i, r := range list {
			if r != nil { // released early (closeEarly)
				r.Release()
				list[i] = nil
			}
		}
	}
	k.batches, k.pending, k.rows, k.bytes = nil, nil, 0, 0
}
