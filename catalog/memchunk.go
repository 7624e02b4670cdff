package catalog

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/osmem"
)

// An in-memory table keeps its rows in chunks of MemChunkRows rows, each
// copied into one mapping outside the Go heap (osmem.Arena says why).
// Appended batches wait as they came until there are enough rows for a
// chunk; a table smaller than one chunk stays on the heap.

// compactChunk copies recs (in order, MemChunkRows rows or fewer) into
// one record whose buffers share one mapping.
func compactChunk(schema *arrow.Schema, recs []arrow.Record) (arrow.Record, error) {
	var rows int64
	size := 4096
	for _, r := range recs {
		rows += r.NumRows()
		for _, c := range r.Columns() {
			size += arrayBytes(c) + 3*64 // each buffer rounds up to 64 bytes
		}
	}
	arena := osmem.NewArena(size, memory.DefaultAllocator)
	defer arena.Seal()
	cols := make([]arrow.Array, schema.NumFields())
	release := func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}
	parts := make([]arrow.Array, len(recs))
	for i := range cols {
		for j, r := range recs {
			parts[j] = r.Column(i)
		}
		c, err := array.Concatenate(parts, arena)
		if err != nil {
			release()
			return nil, fmt.Errorf("column %s: %w", schema.Field(i).Name, err)
		}
		cols[i] = c
	}
	defer release()
	return array.NewRecord(schema, cols, rows), nil
}

// arrayBytes is the size of the buffers a copy of a takes: of its rows
// only, however large the buffers it slices. It counts a validity bitmap
// even without NULLs, since a concatenation makes one for every row once
// any part has a NULL; room not used is at the arena's end, which Seal
// gives back.
func arrayBytes(a arrow.Array) int {
	return int(bitutil.BytesForBits(int64(a.Len()))) + valueBytes(a)
}

// valueBytes is arrayBytes without the validity bitmap.
func valueBytes(a arrow.Array) int {
	n := a.Len()
	switch t := a.DataType().(type) {
	case *arrow.BooleanType:
		return int(bitutil.BytesForBits(int64(n)))
	case arrow.FixedWidthDataType:
		return n * t.BitWidth() / 8
	case arrow.BinaryDataType:
		size := (n + 1) * 4
		if s, ok := a.(interface{ ValueOffsets() []int32 }); ok && n > 0 {
			off := s.ValueOffsets()
			size += int(off[n] - off[0])
		}
		return size
	}
	return 0
}

// recordBytes is the size of r's data (Stats.Bytes): its values, and the
// bitmaps of the columns with NULLs.
func recordBytes(r arrow.Record) int64 {
	var n int64
	for _, c := range r.Columns() {
		n += int64(valueBytes(c))
		if c.NullN() > 0 {
			n += bitutil.BytesForBits(int64(c.Len()))
		}
	}
	return n
}
