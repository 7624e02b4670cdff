package vector

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// A filter that keeps most rows keeps them in long runs: Q1's keeps 98%,
// about 50 rows between two dropped ones. Copying a run is one memmove
// (and, for strings, one pass adding a constant to the offsets), where
// Take moves one element per index.

// Run is the rows [Start, End) of a batch.
type Run struct{ Start, End int32 }

// MinRunLength is the average run length from which TakeRuns pays: below
// it the per-run setup costs more than gathering by index. At 4, Q6's
// date range (kept rows in clusters of a few) ran 10-20% slower
// (BenchmarkTakeRuns puts the crossing between 4 and 16 by type).
const MinRunLength = 16

// RunsOf appends to runs[:0] the runs of consecutive rows in sel, which
// is ascending and non-negative (a filter's selection). It returns nil
// when the runs average fewer than MinRunLength rows, so that the caller
// gathers by index instead.
func RunsOf(sel []int32, runs []Run) []Run {
	runs = runs[:0]
	if len(sel) == 0 {
		return nil
	}
	limit := len(sel) / MinRunLength
	start, prev := sel[0], sel[0]
	for _, j := range sel[1:] {
		if j != prev+1 {
			if len(runs) == limit {
				return nil
			}
			runs = append(runs, Run{start, prev + 1})
			start = j
		}
		prev = j
	}
	if len(runs) == limit {
		return nil
	}
	return append(runs, Run{start, prev + 1})
}

// TakeRuns copies the rows of runs (n of them in all) of arr into a new
// array.
func TakeRuns(mem memory.Allocator, arr arrow.Array, runs []Run, n int) arrow.Array {
	validity, nulls := takeRunsValidity(mem, arr, runs, n)
	switch a := arr.(type) {
	case *array.Int64:
		return NewFixedArray(arr.DataType(), n, validity, nulls, takeRunsFixed(mem, a.Int64Values(), runs, n))
	case *array.Float64:
		return NewFixedArray(arr.DataType(), n, validity, nulls, takeRunsFixed(mem, a.Float64Values(), runs, n))
	case *array.Date32:
		return NewFixedArray(arr.DataType(), n, validity, nulls, takeRunsFixed(mem, a.Date32Values(), runs, n))
	case *array.Timestamp:
		return NewFixedArray(arr.DataType(), n, validity, nulls, takeRunsFixed(mem, a.TimestampValues(), runs, n))
	case *array.Decimal128:
		return NewFixedArray(arr.DataType(), n, validity, nulls, takeRunsFixed(mem, a.Values(), runs, n))
	case *array.String:
		return takeRunsString(mem, a, runs, n, validity, nulls)
	case *array.Boolean:
		vbuf, dst := AllocBitmap(mem, n)
		copyRunBits(dst, BoolBits(a), a.Data().Offset(), runs)
		return NewBoolArray(n, validity, nulls, vbuf)
	case *array.Null:
		if validity != nil {
			validity.Release()
		}
		return array.NewNull(n)
	}
	panic(fmt.Sprintf("vector.TakeRuns: unsupported array type %s", arr.DataType()))
}

// TakeRecordRuns is TakeRuns over every column of rec.
func TakeRecordRuns(mem memory.Allocator, rec arrow.Record, runs []Run, n int) arrow.Record {
	cols := make([]arrow.Array, rec.NumCols())
	for i, c := range rec.Columns() {
		cols[i] = TakeRuns(mem, c, runs, n)
	}
	return NewRecord(rec.Schema(), cols, n)
}

func takeRunsFixed[T any](mem memory.Allocator, src []T, runs []Run, n int) *memory.Buffer {
	buf, dst := AllocValuesUninit[T](mem, n)
	k := 0
	for _, r := range runs {
		k += copy(dst[k:], src[r.Start:r.End])
	}
	return buf
}

func takeRunsValidity(mem memory.Allocator, arr arrow.Array, runs []Run, n int) (*memory.Buffer, int) {
	if arr.NullN() == 0 {
		return nil, 0
	}
	buf, b := AllocBitmap(mem, n)
	copyRunBits(b, arr.NullBitmapBytes(), arr.Data().Offset(), runs)
	return buf, n - bitutil.CountSetBits(b, 0, n)
}

// copyRunBits copies bits off+[Start, End) of src for every run, one after
// another, into dst (zeroed).
func copyRunBits(dst, src []byte, off int, runs []Run) {
	k := 0
	for _, r := range runs {
		for j := off + int(r.Start); j < off+int(r.End); j++ {
			if bitutil.BitIsSet(src, j) {
				bitutil.SetBit(dst, k)
			}
			k++
		}
	}
}

func takeRunsString(mem memory.Allocator, a *array.String, runs []Run, n int, validity *memory.Buffer, nulls int) arrow.Array {
	offs, data := StringData(a)
	total := 0
	for _, r := range runs {
		total += int(offs[r.End] - offs[r.Start])
	}
	obuf, dstOffs := AllocValuesUninit[int32](mem, n+1)
	dbuf := NewBufferUninit(mem, total)
	dst := dbuf.Bytes()
	k, pos := 0, int32(0)
	for _, r := range runs {
		delta := pos - offs[r.Start]
		for _, o := range offs[r.Start:r.End] {
			dstOffs[k] = o + delta
			k++
		}
		pos += int32(copy(dst[pos:], data[offs[r.Start]:offs[r.End]]))
	}
	dstOffs[n] = pos
	return NewStringArray(n, validity, nulls, obuf, dbuf)
}
