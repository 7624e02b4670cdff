package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/paged"
)

// smallFrame is the widest ROWS frame whose quantiles are picked from a
// copy of the frame's values: for ten rows, ranking the whole input and
// descending a tree of all of it cost 4x DuckDB's time.
const smallFrame = 64

// smallRowsFrame reports whether f is a ROWS frame of at most smallFrame
// rows.
func smallRowsFrame(f *Frame) bool {
	if f == nil || f.Range || f.Groups {
		return false
	}
	pos := func(b FrameBound) (int64, bool) {
		switch b.Kind {
		case Preceding:
			return -b.Rows, b.Rows <= smallFrame
		case CurrentRow:
			return 0, true
		case Following:
			return b.Rows, b.Rows <= smallFrame
		}
		return 0, false
	}
	lo, ok1 := pos(f.Start)
	hi, ok2 := pos(f.End)
	return ok1 && ok2 && hi-lo < smallFrame
}

// quantileKernelOf is the kernel for a frame: the copying one for small
// ROWS frames, the Fenwick tree's otherwise.
func quantileKernelOf[T any](t *Task, w *Window, arg int, acc *quantileAcc[T], small bool) (frameKernel, int64, error) {
	if small {
		return newSmallQuantileFrames(t, w, arg, acc)
	}
	return newQuantileFrames(t, w, arg, acc)
}

// smallQuantileFrames picks a small frame's quantile from a copy of its
// values, sorted by insertion.
type smallQuantileFrames[T any] struct {
	acc   *quantileAcc[T]
	vals  paged.Vec[T]
	valid paged.Vec[bool]
	buf   []T
}

func newSmallQuantileFrames[T any](t *Task, w *Window, arg int, acc *quantileAcc[T]) (*smallQuantileFrames[T], int64, error) {
	k := &smallQuantileFrames[T]{acc: acc, buf: make([]T, 0, smallFrame)}
	n := 0
	for _, b := range w.batches {
		n += int(b.NumRows())
	}
	if err := k.vals.Reserve(t, n); err != nil {
		return nil, 0, err
	}
	if err := k.valid.Reserve(t, n); err != nil {
		return nil, 0, err
	}
	for _, b := range w.batches {
		col := b.Column(arg)
		at := acc.at(col)
		for i := range int(b.NumRows()) {
			var v T
			ok := col.IsValid(i)
			if ok {
				v = at(i)
			}
			k.vals.Append(v)
			k.valid.Append(ok)
		}
		if err := t.Spend(int(b.NumRows())); err != nil {
			return nil, 0, err
		}
	}
	return k, k.vals.Bytes() + k.valid.Bytes(), nil
}

func (k *smallQuantileFrames[T]) chunk(t *Task, los, his []int64) (arrow.Array, error) {
	a := k.acc
	out := make([]T, len(los))
	valid := make([]bool, len(los))
	for i := range los {
		buf := k.buf[:0]
		for r := los[i]; r < his[i]; r++ {
			if !k.valid.Get(int(r)) {
				continue
			}
			v := k.vals.Get(int(r))
			j := len(buf)
			buf = append(buf, v)
			for ; j > 0 && a.cmp(buf[j-1], v) > 0; j-- {
				buf[j] = buf[j-1]
			}
			buf[j] = v
		}
		k.buf = buf
		n := len(buf)
		if n == 0 {
			continue
		}
		valid[i] = true
		if !a.cont {
			out[i] = buf[a.frac.discRank(n)]
			continue
		}
		frn, crn, d := a.frac.contRanks(n)
		if a.frac.Desc {
			frn, crn = n-1-frn, n-1-crn
		}
		out[i] = buf[frn]
		if crn != frn {
			out[i] = a.interp(out[i], buf[crn], d)
		}
		if i%256 == 255 {
			if err := t.Spend(256 * 8); err != nil {
				return nil, err
			}
		}
	}
	return a.build(t.Alloc(), out, valid), nil
}
