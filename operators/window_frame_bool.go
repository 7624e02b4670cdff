package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// bool_and (every) and bool_or over frames: prefix counts of the non-NULL
// values and of the true ones, so a frame's answer is two differences,
// O(1) a row. NULL over a frame of no non-NULL value.
type boolKernel struct {
	and          bool
	valid, trues paged.Vec[int64] // [i]: of rows [0, i)
}

func (w *Window) newBoolKernel(t *Task, c WindowCall) (*boolKernel, error) {
	k := &boolKernel{and: c.Func != "bool_or"}
	n := 0
	for _, b := range w.batches {
		n += int(b.NumRows())
	}
	for _, v := range []*paged.Vec[int64]{&k.valid, &k.trues} {
		if err := v.Reserve(t, n+1); err != nil {
			return nil, err
		}
		v.Append(0)
	}
	var valid, trues int64
	for _, b := range w.batches {
		col := b.Column(c.Arg)
		x, _ := col.(*array.Boolean) // nil for the NULL type: every row NULL
		for i := range int(b.NumRows()) {
			if x != nil && x.IsValid(i) {
				valid++
				if x.Value(i) {
					trues++
				}
			}
			k.valid.Append(valid)
			k.trues.Append(trues)
		}
		if err := t.Spend(int(b.NumRows())); err != nil {
			return nil, err
		}
	}
	return k, nil
}

func (k *boolKernel) bytes() int64 { return k.valid.Bytes() + k.trues.Bytes() }

func (k *boolKernel) chunk(t *Task, los, his []int64) (arrow.Array, error) {
	n := len(los)
	vals := make([]bool, n)
	valid := make([]bool, n)
	for i := range n {
		lo, hi := int(los[i]), int(his[i])
		nv := k.valid.Get(hi) - k.valid.Get(lo)
		nt := k.trues.Get(hi) - k.trues.Get(lo)
		valid[i] = nv > 0
		if k.and {
			vals[i] = nt == nv
		} else {
			vals[i] = nt > 0
		}
	}
	mem := t.Alloc()
	vbuf, bits := vector.AllocBitmap(mem, n)
	for i, v := range vals {
		if v {
			bits[i/8] |= 1 << (i % 8)
		}
	}
	validity, nulls := vector.ValidityOf(mem, valid)
	return vector.NewBoolArray(n, validity, nulls, vbuf), nil
}
