package operators

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// Window frames. A call with a Frame computes its result per row rather
// than per peer group: the frame of every row is a range [lo, hi) of
// global row indexes inside its partition (empty when lo >= hi), found by
// frameBounds in row order, and a kernel turns the ranges of a chunk of
// rows into the chunk's results (window_frame_sum.go,
// window_frame_pick.go). Every supported frame has lo and hi
// non-decreasing within a partition, which the sliding kernels rely on.

// FrameBoundKind is where a frame starts or ends.
type FrameBoundKind uint8

const (
	UnboundedPreceding FrameBoundKind = iota
	Preceding
	CurrentRow
	Following
	UnboundedFollowing
)

// FrameBound is one end of a frame. The offset of Preceding and Following
// is Rows for a ROWS frame; for a RANGE frame it is a distance between
// order key values in the key's own representation: Dec for BIGINT and
// DATE keys (as an integer) and for DECIMAL keys (at the key's scale),
// Float for DOUBLE keys; with Interval, Months, Days and Micros over a
// DATE or TIMESTAMP key.
type FrameBound struct {
	Kind                 FrameBoundKind
	Rows                 int64
	Dec                  decimal128.Num
	Float                float64
	Interval             bool
	Months, Days, Micros int64
}

// Frame is a window frame: ROWS, RANGE, or GROUPS (whose offsets, in
// Rows, count peer groups). Text is how EXPLAIN shows it.
type Frame struct {
	Range      bool
	Groups     bool
	Start, End FrameBound
	Text       string
}

// frameBounds yields each row's frame in row order.
type frameBounds struct {
	w    *Window
	f    Frame
	keys *rangeKeys // RANGE frames with an offset only
	part int        // the partition of the previous row, -1 before the first
	lo   int64      // RANGE offsets: the running start and end
	hi   int64
	nnLo int64 // the partition's rows with a non-NULL key
	nnHi int64
}

func (w *Window) newFrameBounds(t *Task, f Frame) (*frameBounds, error) {
	fb := &frameBounds{w: w, f: f, part: -1}
	if f.Range && (isOffset(f.Start.Kind) || isOffset(f.End.Kind)) {
		if len(w.order) != 1 {
			return nil, fmt.Errorf("window: a RANGE frame with an offset needs one order key, not %d", len(w.order))
		}
		keys, err := w.newRangeKeys(t, w.order[0], f.Start.Interval || f.End.Interval)
		if err != nil {
			return nil, err
		}
		fb.keys = keys
	}
	return fb, nil
}

func isOffset(k FrameBoundKind) bool { return k == Preceding || k == Following }

// next returns the frame of row r; rows come in order.
func (fb *frameBounds) next(r int64) (lo, hi int64) {
	x := &fb.w.idx
	p := int(x.part.Get(int(r)))
	ps, pe := x.partStart.Get(p), x.partEnd.Get(p)
	if p != fb.part {
		fb.part = p
		fb.lo, fb.hi = ps, ps
		if fb.keys != nil {
			fb.nnLo, fb.nnHi = fb.keys.nonNull(ps, pe)
		}
	}
	switch {
	case fb.f.Groups:
		lo = fb.groupsBound(fb.f.Start, r, ps, pe, true)
		hi = fb.groupsBound(fb.f.End, r, ps, pe, false)
	case !fb.f.Range:
		lo = rowsBound(fb.f.Start, r, ps, pe)
		hi = rowsBound(fb.f.End, r, ps, pe) + 1
	default:
		lo = fb.rangeBound(fb.f.Start, r, ps, pe, true)
		hi = fb.rangeBound(fb.f.End, r, ps, pe, false)
	}
	lo, hi = min(max(lo, ps), pe), min(max(hi, ps), pe)
	return lo, max(lo, hi)
}

// rowsBound is the row a ROWS bound names (the last row of the frame for
// an end), clamped just outside the partition.
func rowsBound(b FrameBound, r, ps, pe int64) int64 {
	switch b.Kind {
	case UnboundedPreceding:
		return ps
	case Preceding:
		return max(r-b.Rows, ps-1)
	case Following:
		if b.Rows >= pe-r {
			return pe
		}
		return r + b.Rows
	case UnboundedFollowing:
		return pe - 1
	}
	return r
}

// groupsBound is a GROUPS frame's start (the first row in it) or end (one
// past the last): the first or last row of the peer group the offset
// names, counted from the current row's, or the partition's edge when the
// count passes it.
func (fb *frameBounds) groupsBound(b FrameBound, r, ps, pe int64, start bool) int64 {
	x := &fb.w.idx
	g := int64(x.peer.Get(int(r)))
	first, last := int64(x.peer.Get(int(ps))), int64(x.peer.Get(int(pe-1)))
	target := g
	switch b.Kind {
	case UnboundedPreceding:
		return ps
	case UnboundedFollowing:
		return pe
	case Preceding:
		if b.Rows > g-first {
			return ps // before the partition's first group: an end there leaves the frame empty
		}
		target = g - b.Rows
	case Following:
		if b.Rows > last-g {
			return pe
		}
		target = g + b.Rows
	}
	if start {
		return x.peerStart.Get(int(target))
	}
	return x.peerEnd.Get(int(target))
}

// rangeBound is a RANGE frame's start (the first row in it) or end (one
// past the last). CURRENT ROW means the row's peers; a row with a NULL key
// has only its peers (the other NULLs) within any offset.
func (fb *frameBounds) rangeBound(b FrameBound, r, ps, pe int64, start bool) int64 {
	x := &fb.w.idx
	g := int(x.peer.Get(int(r)))
	switch {
	case b.Kind == UnboundedPreceding:
		return ps
	case b.Kind == UnboundedFollowing:
		return pe
	case b.Kind == CurrentRow, fb.keys.null(r):
		if start {
			return x.peerStart.Get(g)
		}
		return x.peerEnd.Get(g)
	}
	// An offset: the keys of [nnLo, nnHi) are in order, and the bound
	// only moves forward as r does, so each pointer walks the partition
	// once.
	ptr := &fb.hi
	if start {
		ptr = &fb.lo
	}
	*ptr = max(*ptr, fb.nnLo)
	target := fb.keys.shift(r, b)
	for *ptr < fb.nnHi && fb.keys.before(*ptr, target, !start) {
		*ptr++
	}
	return *ptr
}
