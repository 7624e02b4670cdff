package operators

import (
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/vector"
)

// buildShift is log2 of the rows of a full build chunk: 64K rows, 0.5 to
// 1 MB a fixed-width column. Each chunk's columns are allocated whole, and
// the runtime zeroes reused memory in one call: at 256K rows, up to 6 ms
// between two checks (q18's build of orders with their strings).
const buildShift = 16

// buildRows is a join's build side: its rows in chunks of 1<<buildShift
// rows (the last one shorter), row r being row r&(1<<buildShift-1) of
// chunk r>>buildShift. A build used to be concatenated into one record: 80
// MB of one BIGINT column for 10M rows, an allocation the runtime zeroes in
// one call that no cancellation check interrupts. A build of at most a
// chunk, the common case, is one record as before.
type buildRows struct {
	schema *arrow.Schema
	chunks []arrow.Record
	n      int
	shift  int // log2 of a full chunk's rows: buildShift but in tests
	// scratch holds the chunk references of a take, reused: made fresh
	// for every column of every batch, they were a quarter of the heap
	// TPC-H's joins allocated. A pool, as several workers probe a build.
	scratch sync.Pool // of *[]vector.RowRef
}

// newBuildRows copies batches into chunks, spending as it copies. A single
// batch is kept as it is. It takes over nothing: the caller still owns
// batches.
func newBuildRows(t *Task, schema *arrow.Schema, batches []arrow.Record) (*buildRows, error) {
	return newBuildRowsSized(t, schema, batches, buildShift)
}

// newBuildRowsSized is newBuildRows with chunks of 1<<shift rows.
func newBuildRowsSized(t *Task, schema *arrow.Schema, batches []arrow.Record, shift int) (*buildRows, error) {
	return chunkBuildRows(t, schema, batches, shift, false)
}

// newBuildRowsDropping is newBuildRowsSized that also gives up the
// caller's reference to each batch once it is copied, setting it to nil
// in batches: the build then holds at most a chunk's worth of batches
// beside its chunks, not all of them (Q13's 1.5M-row build: 24 MB less at
// the peak). The caller releases the batches left non-nil.
func newBuildRowsDropping(t *Task, schema *arrow.Schema, batches []arrow.Record, shift int) (*buildRows, error) {
	return chunkBuildRows(t, schema, batches, shift, true)
}

func chunkBuildRows(t *Task, schema *arrow.Schema, batches []arrow.Record, shift int, drop bool) (*buildRows, error) {
	b := &buildRows{schema: schema, shift: shift}
	if len(batches) == 1 && batches[0].NumRows() <= 1<<shift {
		batches[0].Retain()
		b.add(batches[0])
		return b, nil
	}
	var pending []arrow.Record // slices of batches making up the next chunk
	rows := 0
	flush := func() error {
		defer func() {
			for _, p := range pending {
				p.Release()
			}
			pending, rows = pending[:0], 0
		}()
		chunk, err := vector.ConcatRecords(t.Alloc(), schema, pending, t.Spend)
		if err != nil {
			return err
		}
		b.add(chunk)
		return nil
	}
	for i, rec := range batches {
		// Slicing makes a record and an array per column: a few µs a
		// batch, milliseconds over a large build without a check.
		if err := t.Spend(int(rec.NumCols())); err != nil {
			b.release()
			for _, p := range pending {
				p.Release()
			}
			return nil, err
		}
		for off := 0; off < int(rec.NumRows()); {
			take := min(int(rec.NumRows())-off, 1<<shift-rows)
			if off == 0 && take == int(rec.NumRows()) {
				rec.Retain() // the whole batch: no slice to make
				pending = append(pending, rec)
			} else {
				pending = append(pending, rec.NewSlice(int64(off), int64(off+take)))
			}
			rows, off = rows+take, off+take
			if rows == 1<<shift {
				if err := flush(); err != nil {
					b.release()
					return nil, err
				}
			}
		}
		if drop {
			rec.Release() // pending holds what is not copied yet
			batches[i] = nil
		}
	}
	if rows > 0 || len(b.chunks) == 0 {
		if err := flush(); err != nil {
			b.release()
			return nil, err
		}
	}
	return b, nil
}

func (b *buildRows) add(chunk arrow.Record) {
	vector.SettleNulls(chunk) // the probe workers read it at once
	b.chunks = append(b.chunks, chunk)
	b.n += int(chunk.NumRows())
}

// release frees the chunks.
func (b *buildRows) release() {
	for _, c := range b.chunks {
		c.Release()
	}
	b.chunks = nil
}

func (b *buildRows) numRows() int { return b.n }
func (b *buildRows) numCols() int { return b.schema.NumFields() }

// bytes is the memory of the chunks' buffers.
func (b *buildRows) bytes() int64 {
	var n int64
	for _, c := range b.chunks {
		n += recordBytes(c)
	}
	return n
}

// column returns column k of every chunk.
func (b *buildRows) column(k int) []arrow.Array {
	out := make([]arrow.Array, len(b.chunks))
	for i, c := range b.chunks {
		out[i] = c.Column(k)
	}
	return out
}

// take gathers rows idx of column k; an index of -1 gives NULL.
func (b *buildRows) take(mem memory.Allocator, k int, idx []int32) arrow.Array {
	if len(b.chunks) == 1 {
		return vector.Take(mem, b.chunks[0].Column(k), idx)
	}
	refs := b.refs(idx)
	defer b.scratch.Put(refs)
	return vector.TakeMulti(mem, b.column(k), *refs)
}

// takeChecked is take with a check after every missChunk rows: build rows
// are read all over the build side, a cache miss or more each. On an error
// it returns no array.
func (b *buildRows) takeChecked(t *Task, k int, idx []int32) (arrow.Array, error) {
	if len(idx) <= missChunk {
		a := b.take(t.Alloc(), k, idx)
		if err := t.Spend(len(idx) * missUnits); err != nil {
			a.Release()
			return nil, err
		}
		return a, nil
	}
	return inPieces(t, len(idx), missChunk, func(from, to int) (arrow.Array, error) {
		return b.take(t.Alloc(), k, idx[from:to]), nil
	})
}

// takeColumns appends rows idx of every column to cols, column by column
// as takeChecked gathers them. On an error it releases what it appended.
func (b *buildRows) takeColumns(t *Task, cols []arrow.Array, idx []int32) ([]arrow.Array, error) {
	from := len(cols)
	for k := range b.numCols() {
		c, err := b.takeChecked(t, k, idx)
		if err != nil {
			releaseArrays(cols[from:])
			return cols[:from], err
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// refs turns build row numbers into chunk references, in a slice from
// scratch that the caller puts back once done with it.
func (b *buildRows) refs(idx []int32) *[]vector.RowRef {
	p, _ := b.scratch.Get().(*[]vector.RowRef)
	if p == nil {
		p = new([]vector.RowRef)
	}
	if cap(*p) < len(idx) {
		*p = make([]vector.RowRef, len(idx))
	}
	refs := (*p)[:len(idx)]
	*p = refs
	for i, r := range idx {
		if r < 0 {
			refs[i] = vector.RowRef{Batch: -1}
			continue
		}
		refs[i] = vector.RowRef{Batch: r >> b.shift, Row: r & (1<<b.shift - 1)}
	}
	return p
}
