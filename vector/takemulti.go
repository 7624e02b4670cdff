package vector

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// RowRef addresses row Row of batch Batch in a list of batches. A
// negative Batch takes a NULL.
type RowRef struct {
	Batch int32
	Row   int32
}

// TakeMulti gathers rows from several arrays of the same type (one per
// batch) in the order of refs. Like Take, it writes the buffers directly:
// the per-batch value slices and bitmaps are looked up once, not per row.
// To gather from the same arrays many times, make a Gatherer once.
func TakeMulti(mem memory.Allocator, arrs []arrow.Array, refs []RowRef) arrow.Array {
	if len(arrs) == 1 {
		idx := make([]int32, len(refs))
		for i, r := range refs {
			idx[i] = r.Row
			if r.Batch < 0 {
				idx[i] = -1
			}
		}
		return Take(mem, arrs[0], idx)
	}
	g, _ := NewGatherer(arrs, nil) // no budget: cannot fail
	return g.Take(mem, refs)
}

// Gatherer gathers rows from a fixed list of arrays of one type (one per
// batch), with the per-batch lookups (value slices, bitmaps) done once. A
// sort's output gathers every batch from all of its input batches: made
// per output batch, the lookups cost the number of input batches each
// time, quadratic in the input (a 6M-row sort of 733 batches spent 80% of
// its time there).
type Gatherer struct {
	dt       arrow.DataType
	null     bool // the NULL type: every row is NULL
	views    []bitmapView
	hasNulls bool
	fixed    any // [][]T of a fixed-width type
	offs     [][]int32
	data     [][]byte
	bools    []bitmapView
}

// gatherUnits is the budget one array's lookups spend: a few hundred ns,
// as much as copying some 64 values.
const gatherUnits = 64

// NewGatherer prepares to gather from arrs, which must outlive it. Over
// thousands of batches the lookups take milliseconds: spend, when not
// nil, is called as they go, and its error is returned.
func NewGatherer(arrs []arrow.Array, spend func(int) error) (*Gatherer, error) {
	g := &Gatherer{dt: arrs[0].DataType(), views: make([]bitmapView, len(arrs))}
	if _, ok := arrs[0].(*array.Null); ok {
		g.null = true
		return g, nil
	}
	for i, a := range arrs {
		if a.NullN() > 0 {
			g.views[i] = bitmapView{a.NullBitmapBytes(), a.Data().Offset()}
			g.hasNulls = true
		}
		if spend != nil && i%64 == 63 {
			if err := spend(64 * gatherUnits); err != nil {
				return nil, err
			}
		}
	}
	switch arrs[0].(type) {
	case *array.Int64:
		g.fixed = batchValues(arrs, func(a arrow.Array) []int64 { return a.(*array.Int64).Int64Values() })
	case *array.Float64:
		g.fixed = batchValues(arrs, func(a arrow.Array) []float64 { return a.(*array.Float64).Float64Values() })
	case *array.Date32:
		g.fixed = batchValues(arrs, func(a arrow.Array) []arrow.Date32 { return a.(*array.Date32).Date32Values() })
	case *array.Timestamp:
		g.fixed = batchValues(arrs, func(a arrow.Array) []arrow.Timestamp { return a.(*array.Timestamp).TimestampValues() })
	case *array.Decimal128:
		g.fixed = batchValues(arrs, func(a arrow.Array) []decimal128.Num { return a.(*array.Decimal128).Values() })
	case *array.String:
		g.offs, g.data = make([][]int32, len(arrs)), make([][]byte, len(arrs))
		for i, a := range arrs {
			g.offs[i], g.data[i] = StringData(a.(*array.String))
		}
	case *array.Boolean:
		g.bools = make([]bitmapView, len(arrs))
		for i, a := range arrs {
			g.bools[i] = bitmapView{BoolBits(a), a.Data().Offset()}
		}
	default:
		panic(fmt.Sprintf("vector.Gatherer: unsupported array type %s", g.dt))
	}
	if spend != nil {
		return g, spend(len(arrs) * gatherUnits)
	}
	return g, nil
}

func batchValues[T any](arrs []arrow.Array, values func(arrow.Array) []T) [][]T {
	src := make([][]T, len(arrs))
	for i, a := range arrs {
		src[i] = values(a)
	}
	return src
}

// Take gathers the rows refs names; a negative Batch takes a NULL.
func (g *Gatherer) Take(mem memory.Allocator, refs []RowRef) arrow.Array {
	n := len(refs)
	if g.null {
		return array.NewNull(n)
	}
	validity, nulls := g.validity(mem, refs)
	switch src := g.fixed.(type) {
	case [][]int64:
		return NewFixedArray(g.dt, n, validity, nulls, takeMultiFixed(mem, src, refs))
	case [][]float64:
		return NewFixedArray(g.dt, n, validity, nulls, takeMultiFixed(mem, src, refs))
	case [][]arrow.Date32:
		return NewFixedArray(g.dt, n, validity, nulls, takeMultiFixed(mem, src, refs))
	case [][]arrow.Timestamp:
		return NewFixedArray(g.dt, n, validity, nulls, takeMultiFixed(mem, src, refs))
	case [][]decimal128.Num:
		return NewFixedArray(g.dt, n, validity, nulls, takeMultiFixed(mem, src, refs))
	}
	if g.bools != nil {
		return g.takeBool(mem, refs, validity, nulls)
	}
	return g.takeString(mem, refs, validity, nulls)
}

// bitmapView is one batch's bitmap and the bit where its row 0 is.
type bitmapView struct {
	bits []byte // nil: no bitmap
	off  int
}

// validity returns the validity of the gathered rows, or (nil, 0) when
// none is NULL.
func (g *Gatherer) validity(mem memory.Allocator, refs []RowRef) (*memory.Buffer, int) {
	hasNulls := g.hasNulls
	for _, r := range refs {
		hasNulls = hasNulls || r.Batch < 0
	}
	if !hasNulls {
		return nil, 0
	}
	buf, b := AllocBitmap(mem, len(refs))
	nulls := 0
	for i, r := range refs {
		if r.Batch < 0 {
			nulls++
			continue
		}
		v := g.views[r.Batch]
		if v.bits == nil || bitutil.BitIsSet(v.bits, v.off+int(r.Row)) {
			bitutil.SetBit(b, i)
		} else {
			nulls++
		}
	}
	return buf, nulls
}

func takeMultiFixed[T any](mem memory.Allocator, src [][]T, refs []RowRef) *memory.Buffer {
	buf, dst := AllocValuesUninit[T](mem, len(refs))
	var zero T
	for i, r := range refs {
		if r.Batch < 0 {
			dst[i] = zero
			continue
		}
		dst[i] = src[r.Batch][r.Row]
	}
	return buf
}

// takeString copies the bytes of valid rows; a NULL row gets no bytes.
func (g *Gatherer) takeString(mem memory.Allocator, refs []RowRef, validity *memory.Buffer, nulls int) arrow.Array {
	offs, data := g.offs, g.data
	var valid []byte
	if validity != nil {
		valid = validity.Bytes()
	}
	total := 0
	for i, r := range refs {
		if valid == nil || bitutil.BitIsSet(valid, i) {
			o := offs[r.Batch]
			total += int(o[r.Row+1] - o[r.Row])
		}
	}
	obuf, dstOffs := AllocValuesUninit[int32](mem, len(refs)+1)
	dbuf := NewBufferUninit(mem, total)
	dst := dbuf.Bytes()
	pos := int32(0)
	for i, r := range refs {
		dstOffs[i] = pos
		if valid == nil || bitutil.BitIsSet(valid, i) {
			o, src := offs[r.Batch], data[r.Batch]
			s, e := o[r.Row], o[r.Row+1]
			if e-s <= 16 && int(pos)+16 <= len(dst) && int(s)+16 <= len(src) {
				// A short string (a name carried through a join, Q9's
				// nation) as one 16-byte move rather than a call to
				// memmove; the bytes past it are overwritten by the next.
				*(*[16]byte)(dst[pos:]) = *(*[16]byte)(src[s:])
				pos += e - s
				continue
			}
			pos += int32(copy(dst[pos:], src[s:e]))
		}
	}
	dstOffs[len(refs)] = pos
	return NewStringArray(len(refs), validity, nulls, obuf, dbuf)
}

func (g *Gatherer) takeBool(mem memory.Allocator, refs []RowRef, validity *memory.Buffer, nulls int) arrow.Array {
	vbuf, dst := AllocBitmap(mem, len(refs))
	for i, r := range refs {
		if r.Batch < 0 {
			continue
		}
		if v := g.bools[r.Batch]; bitutil.BitIsSet(v.bits, v.off+int(r.Row)) {
			bitutil.SetBit(dst, i)
		}
	}
	return NewBoolArray(len(refs), validity, nulls, vbuf)
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

// RecordGatherer is a Gatherer per column of several records with one
// schema, for gathering from them many times.
type RecordGatherer struct {
	schema *arrow.Schema
	cols   []*Gatherer
}

// NewRecordGatherer prepares to gather from recs, which must outlive it,
// spending as NewGatherer does.
func NewRecordGatherer(schema *arrow.Schema, recs []arrow.Record, spend func(int) error) (*RecordGatherer, error) {
	g := &RecordGatherer{schema: schema, cols: make([]*Gatherer, schema.NumFields())}
	if len(recs) == 0 {
		return g, nil
	}
	for c := range g.cols {
		arrs := make([]arrow.Array, len(recs))
		for i, r := range recs {
			arrs[i] = r.Column(c)
		}
		var err error
		if g.cols[c], err = NewGatherer(arrs, spend); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// Take gathers the rows refs names, calling spend (when not nil) after
// each column: a gathered row is a cache miss or two (some 8 units of
// work), and wide rows of 2048 took over a millisecond in all.
func (g *RecordGatherer) Take(mem memory.Allocator, refs []RowRef, spend func(int) error) (arrow.Record, error) {
	cols := make([]arrow.Array, len(g.cols))
	for c, cg := range g.cols {
		cols[c] = cg.Take(mem, refs)
		if spend != nil {
			if err := spend(8 * len(refs)); err != nil {
				for _, a := range cols[:c+1] {
					a.Release()
				}
				return nil, err
			}
		}
	}
	return NewRecord(g.schema, cols, len(refs)), nil
}
