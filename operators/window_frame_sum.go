package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// COUNT, SUM and AVG over frames. Counts and exact sums come from prefix
// sums over the whole input: a frame's is the difference of two, O(1) a
// row whatever the frame's size. Integers add up in 128 bits, where 2^63
// values of 64 bits cannot overflow; decimals in 128 bits that may wrap,
// with a count of the wraps, so the difference is the exact sum and an
// overflow is reported exactly when the frame's own sum leaves 128 bits,
// as the GROUP BY sum reports it. Doubles would lose the small values of
// a frame to the large ones of the prefix, so they add up in a segment
// tree (DuckDB's choice): a frame is the sum of at most 2 log n nodes,
// each a sum of neighbouring values.

// sumKernel computes count, sum or avg over frames.
type sumKernel struct {
	fn    string // count, count_star, sum or avg
	in    types.T
	out   types.T
	cnt   paged.Vec[int64]          // cnt[i]: non-NULL values of rows [0, i)
	sum   paged.Vec[decimal128.Num] // sum[i]: sum of rows [0, i) mod 2^128
	wraps paged.Vec[int64]          // wraps[i]: the 2^128 multiples sum[i] lost
	tree  paged.Vec[float64]        // doubles: leaves at [n, 2n)
	n     int
}

func (w *Window) newSumKernel(t *Task, c WindowCall) (*sumKernel, error) {
	k := &sumKernel{fn: c.Func, out: c.Out}
	if c.Func == "count_star" {
		return k, nil
	}
	k.in = types.MustFromArrow(w.child.Schema().Field(c.Arg).Type)
	for _, b := range w.batches {
		k.n += int(b.NumRows())
	}
	if err := k.cnt.Reserve(t, k.n+1); err != nil {
		return nil, err
	}
	k.cnt.Append(0)
	wantSum := c.Func != "count"
	float := k.in.Kind == types.Float64
	switch {
	case wantSum && float:
		if err := k.tree.Resize(t, 2*k.n); err != nil {
			return nil, err
		}
	case wantSum:
		if err := k.sum.Reserve(t, k.n+1); err != nil {
			return nil, err
		}
		if err := k.wraps.Reserve(t, k.n+1); err != nil {
			return nil, err
		}
		k.sum.Append(decimal128.Num{})
		k.wraps.Append(0)
	}
	row := 0
	for _, b := range w.batches {
		a := b.Column(c.Arg)
		for i := range a.Len() {
			valid := a.IsValid(i)
			cnt := k.cnt.Get(row)
			if valid {
				cnt++
			}
			k.cnt.Append(cnt)
			if wantSum {
				v := numberAt(a, i, valid)
				if float {
					k.tree.Set(k.n+row, v.f)
				} else {
					s, ovf := types.AddInt128(k.sum.Get(row), v.d)
					wr := k.wraps.Get(row)
					if ovf {
						wr += int64(1 - 2*int(uint64(v.d.HighBits())>>63)) // +1 up, -1 down
					}
					k.sum.Append(s)
					k.wraps.Append(wr)
				}
			}
			row++
		}
		if err := t.Spend(a.Len()); err != nil {
			return nil, err
		}
	}
	if wantSum && float {
		for i := k.n - 1; i >= 1; i-- {
			k.tree.Set(i, k.tree.Get(2*i)+k.tree.Get(2*i+1))
			if i%peerChunk == 0 {
				if err := t.Spend(peerChunk); err != nil {
					return nil, err
				}
			}
		}
	}
	return k, nil
}

// number is a value as the sums want it: integers and decimals as 128-bit
// integers, doubles as doubles, NULL as zero.
type number struct {
	d decimal128.Num
	f float64
}

func numberAt(a arrow.Array, i int, valid bool) number {
	if !valid {
		return number{}
	}
	switch a := a.(type) {
	case *array.Int64:
		return number{d: decimal128.FromI64(a.Value(i))}
	case *array.Decimal128:
		return number{d: a.Value(i)}
	case *array.Float64:
		return number{f: a.Value(i)}
	case *array.Boolean:
		if a.Value(i) {
			return number{d: decimal128.FromI64(1)}
		}
	}
	return number{}
}

func (k *sumKernel) bytes() int64 {
	return k.cnt.Bytes() + k.sum.Bytes() + k.wraps.Bytes() + k.tree.Bytes()
}

// frameSum is the exact sum of rows [lo, hi) and whether it fits in 128
// bits.
func (k *sumKernel) frameSum(lo, hi int64) (decimal128.Num, bool) {
	d, ovf := types.SubInt128(k.sum.Get(int(hi)), k.sum.Get(int(lo)))
	wraps := k.wraps.Get(int(hi)) - k.wraps.Get(int(lo))
	if ovf { // the difference itself wrapped, the other way
		wraps -= int64(1 - 2*int(uint64(d.HighBits())>>63))
	}
	return d, wraps == 0
}

// treeSum is the sum of the doubles of rows [lo, hi).
func (k *sumKernel) treeSum(lo, hi int64) float64 {
	s := 0.0
	for l, r := int(lo)+k.n, int(hi)+k.n; l < r; l, r = l>>1, r>>1 {
		if l&1 == 1 {
			s += k.tree.Get(l)
			l++
		}
		if r&1 == 1 {
			r--
			s += k.tree.Get(r)
		}
	}
	return s
}

func (k *sumKernel) chunk(t *Task, los, his []int64) (arrow.Array, error) {
	n := len(los)
	mem := t.Alloc()
	if k.fn == "count" || k.fn == "count_star" {
		buf, out := vector.AllocValuesUninit[int64](mem, n)
		for i := range n {
			if k.fn == "count_star" {
				out[i] = his[i] - los[i]
			} else {
				out[i] = k.cnt.Get(int(his[i])) - k.cnt.Get(int(los[i]))
			}
		}
		return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, buf), nil
	}
	valid := make([]bool, n)
	for i := range n {
		valid[i] = k.cnt.Get(int(his[i])) > k.cnt.Get(int(los[i]))
	}
	switch {
	case k.in.Kind == types.Float64:
		buf, out := vector.AllocValuesUninit[float64](mem, n)
		for i := range n {
			if out[i] = 0; valid[i] {
				out[i] = k.treeSum(los[i], his[i])
				if k.fn == "avg" {
					out[i] /= float64(k.cnt.Get(int(his[i])) - k.cnt.Get(int(los[i])))
				}
			}
		}
		return k.finish(mem, arrow.PrimitiveTypes.Float64, buf, valid), nil
	case k.fn == "avg":
		buf, out := vector.AllocValuesUninit[float64](mem, n)
		for i := range n {
			if out[i] = 0; !valid[i] {
				continue
			}
			s, ok := k.frameSum(los[i], his[i])
			if !ok {
				buf.Release()
				return nil, sqlerr.New(sqlerr.ErrOverflow, "DECIMAL overflow in avg()")
			}
			out[i] = s.ToFloat64(int32(k.in.Scale)) / float64(k.cnt.Get(int(his[i]))-k.cnt.Get(int(los[i])))
		}
		return k.finish(mem, arrow.PrimitiveTypes.Float64, buf, valid), nil
	case k.out.Kind == types.Int64:
		buf, out := vector.AllocValuesUninit[int64](mem, n)
		for i := range n {
			if out[i] = 0; !valid[i] {
				continue
			}
			s, _ := k.frameSum(los[i], his[i]) // 64-bit values cannot leave 128 bits
			if !types.FitsInt64(s) {
				buf.Release()
				return nil, sqlerr.New(sqlerr.ErrOverflow, "BIGINT overflow in sum()")
			}
			out[i] = int64(s.LowBits())
		}
		return k.finish(mem, arrow.PrimitiveTypes.Int64, buf, valid), nil
	}
	buf, out := vector.AllocValuesUninit[decimal128.Num](mem, n)
	for i := range n {
		if out[i] = (decimal128.Num{}); !valid[i] {
			continue
		}
		s, ok := k.frameSum(los[i], his[i])
		if !ok {
			buf.Release()
			return nil, sqlerr.New(sqlerr.ErrOverflow, "%s overflow in sum()", k.out)
		}
		out[i] = s
	}
	return k.finish(mem, k.out.Arrow(), buf, valid), nil
}

func (k *sumKernel) finish(mem memory.Allocator, dt arrow.DataType, buf *memory.Buffer, valid []bool) arrow.Array {
	vbuf, nulls := seenValidity(mem, valid)
	return vector.NewFixedArray(dt, len(valid), vbuf, nulls, buf)
}
