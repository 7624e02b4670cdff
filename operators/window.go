package operators

import (
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// WindowCall is one window function of a Window operator.
type WindowCall struct {
	Func string // plan.WindowFunc
	// Arg is the input column of the argument (-1: none); Default that of
	// lag and lead's default (-1: NULL).
	Arg, Default int
	Offset       int64
	Out          types.T
	Name         string
	// Frame is the call's frame; nil for the default one (and for the
	// functions no frame applies to).
	Frame *Frame
	// Frac is the fraction of quantile_cont and quantile_disc.
	Frac QuantileFrac
	// Distinct makes an aggregate over a whole partition take each
	// distinct value once (count(DISTINCT x) OVER (PARTITION BY g)).
	Distinct bool
}

// Window computes window functions over an input sorted by its partition
// keys and then its order keys (the planner puts a Sort below it), like
// DuckDB's and DataFusion's window operators over sorted input. It keeps
// the whole input, numbers every row's partition and peer group (rows
// equal on the order keys), computes each aggregate once per peer group,
// and then emits each input batch with one more column per call. See
// window_agg.go for the aggregates and window_value.go for the functions
// that take another row's value.
type Window struct {
	child     Operator
	partition []SortKey
	order     []SortKey
	calls     []WindowCall
	schema    *arrow.Schema

	batches []arrow.Record
	starts  []int // global index of each batch's first row
	idx     windowIndex
	// perPeer holds each aggregate call's result per peer group, in
	// chunks of peerChunk groups; values the argument arrays of each value
	// function's call (and then its default's).
	perPeer [][]arrow.Array
	values  [][]arrow.Array
	gathers []*vector.Gatherer // per call, over perPeer's or values' arrays

	next           int
	keepAll        bool // a value function may read any batch until the end
	loaded, closed bool
	arrowBytes     int64
	goMem          opMemory
}

// windowIndex numbers the rows: their partition and peer group, and where
// each partition and peer group starts and ends. It lives in pages, as
// all state that grows with the input (package paged).
type windowIndex struct {
	part, peer         paged.Vec[int32] // per row
	partStart, partEnd paged.Vec[int64] // per partition: first row, one past the last
	firstPeer          paged.Vec[int32] // per partition: its first peer group
	peerStart, peerEnd paged.Vec[int64] // per peer group
	peerPart           paged.Vec[int32] // per peer group: its partition
}

func (x *windowIndex) bytes() int64 {
	return x.part.Bytes() + x.peer.Bytes() + x.partStart.Bytes() + x.partEnd.Bytes() + x.firstPeer.Bytes() +
		x.peerStart.Bytes() + x.peerEnd.Bytes() + x.peerPart.Bytes()
}

// peerChunk is the number of peer groups per chunk of an aggregate's
// results: each chunk is one accumulator finish, with a check between.
const peerChunk = 8192

var _ Operator = (*Window)(nil)

// NewWindow returns a window operator; child must be sorted by partition
// and then order.
func NewWindow(child Operator, partition, order []SortKey, calls []WindowCall) *Window {
	fields := append([]arrow.Field(nil), child.Schema().Fields()...)
	for _, c := range calls {
		fields = append(fields, arrow.Field{Name: c.Name, Type: c.Out.Arrow(), Nullable: true})
	}
	return &Window{child: child, partition: partition, order: order, calls: calls, schema: arrow.NewSchema(fields, nil)}
}

func (w *Window) Schema() *arrow.Schema { return w.schema }
func (w *Window) Open(t *Task) error    { return w.child.Open(t) }

func (w *Window) Next(t *Task) (arrow.Record, error) {
	if err := t.Check(); err != nil {
		return nil, err
	}
	if !w.loaded {
		w.loaded = true
		if err := w.load(t); err != nil {
			return nil, err
		}
	}
	if w.next >= len(w.batches) {
		return nil, nil
	}
	i := w.next
	w.next++
	return w.emit(t, i)
}

// load keeps the input, numbers its rows and computes the aggregates.
func (w *Window) load(t *Task) error {
	rows := 0
	for {
		rec, err := w.child.Next(t)
		if err != nil {
			return err
		}
		if rec == nil {
			// The input is all here: closing it now frees what it
			// holds (the sort's copy of the input) for the rest of the
			// query rather than at its end.
			if err := closeEarly(t, w.child); err != nil {
				return err
			}
			break
		}
		w.batches = append(w.batches, rec)
		w.starts = append(w.starts, rows)
		rows += int(rec.NumRows())
		w.arrowBytes += recordBytes(rec)
		w.goMem.set(t, 0, w.arrowBytes)
		if err := t.Spend(1); err != nil {
			return err
		}
	}
	if err := w.number(t); err != nil {
		return err
	}
	w.perPeer = make([][]arrow.Array, len(w.calls))
	w.values = make([][]arrow.Array, len(w.calls))
	w.gathers = make([]*vector.Gatherer, len(w.calls))
	for i, c := range w.calls {
		switch {
		case c.Frame != nil:
			chunks, err := w.framed(t, c)
			if err != nil {
				return err
			}
			w.perPeer[i] = chunks
		case isWindowAgg(c.Func):
			chunks, err := w.aggregate(t, c)
			if err != nil {
				return err
			}
			w.perPeer[i] = chunks
		case c.Arg >= 0:
			w.keepAll = true
			for _, b := range w.batches {
				w.values[i] = append(w.values[i], b.Column(c.Arg))
			}
			if c.Default >= 0 {
				for _, b := range w.batches {
					w.values[i] = append(w.values[i], b.Column(c.Default))
				}
			}
		}
		var err error
		switch {
		case len(w.perPeer[i]) > 0:
			w.gathers[i], err = vector.NewGatherer(w.perPeer[i], t.Spend)
		case len(w.values[i]) > 0:
			w.gathers[i], err = vector.NewGatherer(w.values[i], t.Spend)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// number finds the partitions and peer groups: a row starts a new one
// where its keys differ from the row before it.
func (w *Window) number(t *Task) error {
	in := w.child.Schema()
	parts, peers := newRowComparator(w.partition, in), newRowComparator(w.order, in)
	for _, b := range w.batches {
		parts.addBatch(b)
		peers.addBatch(b)
		// A key array's lookups, some 64 units each.
		if err := t.Spend(64 * (len(w.partition) + len(w.order))); err != nil {
			return err
		}
	}
	x := &w.idx
	prevB, prevR := -1, -1
	row := int64(0)
	for bi, b := range w.batches {
		n := int(b.NumRows())
		for _, v := range []interface{ Reserve(paged.Budget, int) error }{&x.part, &x.peer, &x.partStart, &x.partEnd, &x.firstPeer, &x.peerStart, &x.peerEnd, &x.peerPart} {
			if err := v.Reserve(t, n); err != nil {
				return err
			}
		}
		for r := range n {
			newPart := prevB < 0 || len(w.partition) > 0 && parts.compare(prevB, prevR, bi, r) != 0
			newPeer := newPart || len(w.order) > 0 && peers.compare(prevB, prevR, bi, r) != 0
			if newPart {
				if x.partStart.Len() > 0 {
					x.partEnd.Append(row)
				}
				x.partStart.Append(row)
				x.firstPeer.Append(int32(x.peerStart.Len()))
			}
			if newPeer {
				if x.peerStart.Len() > 0 {
					x.peerEnd.Append(row)
				}
				x.peerStart.Append(row)
				x.peerPart.Append(int32(x.partStart.Len() - 1))
			}
			x.part.Append(int32(x.partStart.Len() - 1))
			x.peer.Append(int32(x.peerStart.Len() - 1))
			prevB, prevR = bi, r
			row++
			// Two comparisons a row, a few tens of ns each, and more for
			// string keys: a sorted input's batches are large enough that
			// one took 2 ms between checks.
			if r%1024 == 1023 {
				if err := t.Spend(4 * 1024); err != nil {
					return err
				}
			}
		}
		if err := t.Spend(4 * (n % 1024)); err != nil {
			return err
		}
	}
	if row > 0 {
		x.partEnd.Append(row)
		x.peerEnd.Append(row)
	}
	w.goMem.set(t, x.bytes(), w.arrowBytes)
	return nil
}

// emit returns input batch i with the calls' columns.
func (w *Window) emit(t *Task, i int) (arrow.Record, error) {
	b := w.batches[i]
	start, n := w.starts[i], int(b.NumRows())
	cols := append([]arrow.Array(nil), b.Columns()...)
	made := make([]arrow.Array, 0, len(w.calls))
	for ci, c := range w.calls {
		a := w.column(t, ci, c, start, n)
		made = append(made, a)
		if err := t.Spend(n); err != nil {
			for _, a := range made {
				a.Release()
			}
			return nil, err
		}
	}
	for _, a := range b.Columns() {
		a.Retain() // the record takes its own references
	}
	if !w.keepAll {
		// No value function reads another row: the batch is done.
		w.arrowBytes -= recordBytes(b)
		w.goMem.set(t, w.idx.bytes(), w.arrowBytes)
		b.Release()
		w.batches[i] = nil
	}
	return vector.NewRecord(w.schema, append(cols, made...), n), nil
}

// column computes call c for the global rows [start, start+n).
func (w *Window) column(t *Task, ci int, c WindowCall, start, n int) arrow.Array {
	x := &w.idx
	part, peer := x.part.View(), x.peer.View()
	partStart, partEnd, peerStart, peerEnd := x.partStart.View(), x.partEnd.View(), x.peerStart.View(), x.peerEnd.View()
	firstPeer := x.firstPeer.View()
	ints := func(f func(r int) int64) arrow.Array {
		buf, out := vector.AllocValuesUninit[int64](t.Alloc(), n)
		for k := range n {
			out[k] = f(start + k)
		}
		return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, nil, 0, buf)
	}
	switch c.Func {
	case "row_number":
		return ints(func(r int) int64 { return int64(r) - *partStart.At(int(*part.At(r))) + 1 })
	case "rank":
		return ints(func(r int) int64 { return *peerStart.At(int(*peer.At(r))) - *partStart.At(int(*part.At(r))) + 1 })
	case "dense_rank":
		return ints(func(r int) int64 { return int64(*peer.At(r) - *firstPeer.At(int(*part.At(r))) + 1) })
	case "count_star":
		if c.Frame != nil {
			break
		}
		return ints(func(r int) int64 { return *peerEnd.At(int(*peer.At(r))) - *partStart.At(int(*part.At(r))) })
	case "ntile":
		return ints(func(r int) int64 {
			p := int(*part.At(r))
			return ntile(int64(r)-*partStart.At(p), *partEnd.At(p)-*partStart.At(p), c.Offset)
		})
	case "percent_rank", "cume_dist":
		buf, out := vector.AllocValuesUninit[float64](t.Alloc(), n)
		for k := range n {
			r := start + k
			p, g := int(*part.At(r)), int(*peer.At(r))
			size := float64(*partEnd.At(p) - *partStart.At(p))
			if c.Func == "cume_dist" {
				out[k] = float64(*peerEnd.At(g)-*partStart.At(p)) / size
			} else if size > 1 {
				out[k] = float64(*peerStart.At(g)-*partStart.At(p)) / (size - 1)
			} else {
				out[k] = 0
			}
		}
		return vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, nil, 0, buf)
	}
	refs := make([]vector.RowRef, n)
	if c.Frame != nil { // results per row
		for k := range n {
			refs[k] = vector.RowRef{Batch: int32((start + k) / peerChunk), Row: int32((start + k) % peerChunk)}
		}
		return w.gathers[ci].Take(t.Alloc(), refs)
	}
	if isWindowAgg(c.Func) {
		for k := range n {
			g := int(*peer.At(start + k))
			refs[k] = vector.RowRef{Batch: int32(g / peerChunk), Row: int32(g % peerChunk)}
		}
		return w.gathers[ci].Take(t.Alloc(), refs)
	}
	w.valueRefs(c, start, refs)
	return w.gathers[ci].Take(t.Alloc(), refs)
}

// ref locates global row r; batch numbers are shifted by base.
func (w *Window) ref(r, base int) vector.RowRef {
	lo, hi := 0, len(w.starts)-1
	for lo < hi { // the last batch starting at or before r
		mid := (lo + hi + 1) / 2
		if w.starts[mid] <= r {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return vector.RowRef{Batch: int32(lo + base), Row: int32(r - w.starts[lo])}
}

func (w *Window) Close() error {
	if !w.closed {
		w.closed = true
		w.goMem.free()
		for _, r := range w.batches {
			if r != nil { // emitted or released early
				r.Release()
			}
		}
		for _, chunks := range w.perPeer {
			releaseArrays(chunks)
		}
		w.batches, w.perPeer, w.values, w.gathers, w.idx = nil, nil, nil, nil, windowIndex{}
	}
	return w.child.Close()
}

func (w *Window) Describe() Description {
	names := make([]string, len(w.calls))
	for i, c := range w.calls {
		names[i] = c.Name
	}
	return Description{Name: "Window", Detail: strings.Join(names, ", "), Children: []Operator{w.child}}
}

// ntile is the bucket (1 to buckets) of the row at index r of a partition
// of size rows: the buckets differ by at most one row, the larger first.
func ntile(r, rows, buckets int64) int64 {
	q, rem := rows/buckets, rows%buckets
	if r < rem*(q+1) {
		return r/(q+1) + 1
	}
	return rem + (r-rem*(q+1))/q + 1
}
