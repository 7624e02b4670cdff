package vector

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// RowRef addresses row Row of batch Batch in a list of batches.
type RowRef struct {
	Batch int32
	Row   int32
}

// TakeMulti gathers rows from several arrays of the same type (one per
// batch) in the order of refs. Sort merges and top-k use it.
func TakeMulti(mem memory.Allocator, arrs []arrow.Array, refs []RowRef) arrow.Array {
	if len(arrs) == 1 {
		idx := make([]int32, len(refs))
		for i, r := range refs {
			idx[i] = r.Row
		}
		return Take(mem, arrs[0], idx)
	}
	b := array.NewBuilder(mem, arrs[0].DataType())
	defer b.Release()
	b.Reserve(len(refs))
	switch bb := b.(type) {
	case *array.Int64Builder:
		vals := make([][]int64, len(arrs))
		for i, a := range arrs {
			vals[i] = a.(*array.Int64).Int64Values()
		}
		for _, r := range refs {
			if arrs[r.Batch].IsNull(int(r.Row)) {
				bb.AppendNull()
			} else {
				bb.UnsafeAppend(vals[r.Batch][r.Row])
			}
		}
	case *array.Float64Builder:
		for _, r := range refs {
			a := arrs[r.Batch].(*array.Float64)
			if a.IsNull(int(r.Row)) {
				bb.AppendNull()
			} else {
				bb.UnsafeAppend(a.Value(int(r.Row)))
			}
		}
	case *array.Date32Builder:
		for _, r := range refs {
			a := arrs[r.Batch].(*array.Date32)
			if a.IsNull(int(r.Row)) {
				bb.AppendNull()
			} else {
				bb.UnsafeAppend(a.Value(int(r.Row)))
			}
		}
	case *array.Decimal128Builder:
		for _, r := range refs {
			a := arrs[r.Batch].(*array.Decimal128)
			if a.IsNull(int(r.Row)) {
				bb.AppendNull()
			} else {
				bb.UnsafeAppend(a.Value(int(r.Row)))
			}
		}
	case *array.StringBuilder:
		for _, r := range refs {
			a := arrs[r.Batch].(*array.String)
			if a.IsNull(int(r.Row)) {
				bb.AppendNull()
			} else {
				bb.BinaryBuilder.Append(StringAt(a, int(r.Row)))
			}
		}
	case *array.BooleanBuilder:
		for _, r := range refs {
			a := arrs[r.Batch].(*array.Boolean)
			if a.IsNull(int(r.Row)) {
				bb.AppendNull()
			} else {
				bb.UnsafeAppend(a.Value(int(r.Row)))
			}
		}
	case *array.NullBuilder:
		bb.AppendNulls(len(refs))
	}
	return b.NewArray()
}

// TakeMultiRecord gathers rows of several records with one schema.
func TakeMultiRecord(mem memory.Allocator, schema *arrow.Schema, recs []arrow.Record, refs []RowRef) arrow.Record {
	cols := make([]arrow.Array, schema.NumFields())
	arrs := make([]arrow.Array, len(recs))
	for c := range cols {
		for i, r := range recs {
			arrs[i] = r.Column(c)
		}
		cols[c] = TakeMulti(mem, arrs, refs)
	}
	return NewRecord(schema, cols, len(refs))
}
