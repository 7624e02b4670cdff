package operators

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
)

// repeatBytes bounds the variable-width bytes of one output batch of
// Repeat: a 4 KB string repeated 8192 times would be 32 MB allocated and
// zeroed in one call no check interrupts (the bound Project and Filter
// keep, see expr.Splitter).
const repeatBytes = 4 << 20

// Repeat emits each input row as many times as its count column says
// (none when the count is NULL or not positive), without that column:
// EXCEPT ALL and INTERSECT ALL group both sides and repeat each group's
// row max(m-n, 0) or min(m, n) times. A count of 10^9 is emitted one
// batch at a time, each spending its rows, so it never allocates more
// than a batch and notices a cancel between batches.
type Repeat struct {
	child  Operator
	count  int   // input column holding the count
	cols   []int // input columns passed on
	schema *arrow.Schema
	batch  int

	cur    arrow.Record
	counts *array.Int64
	row    int   // current row of cur
	left   int64 // copies of row still to emit; -1: not read yet
	sel    []int32
	vars   []variableWidth // passed-on columns of cur with variable width
}

// variableWidth is an array whose values have a length (strings).
type variableWidth interface{ ValueLen(i int) int }

var _ Operator = (*Repeat)(nil)

// NewRepeat repeats the rows of child by its BIGINT column count, and
// returns the other columns, batchSize rows at most a batch, as schema
// names them.
func NewRepeat(child Operator, count int, schema *arrow.Schema, batchSize int) (*Repeat, error) {
	in := child.Schema()
	if count < 0 || count >= in.NumFields() || in.Field(count).Type.ID() != arrow.INT64 {
		return nil, sqlerr.New(sqlerr.ErrInternal, "repeat: column %d of %s is not a BIGINT count", count, in)
	}
	if schema.NumFields() != in.NumFields()-1 {
		return nil, sqlerr.New(sqlerr.ErrInternal, "repeat: %d output columns for %d input columns", schema.NumFields(), in.NumFields())
	}
	cols := make([]int, 0, schema.NumFields())
	for i := range in.NumFields() {
		if i != count {
			cols = append(cols, i)
		}
	}
	return &Repeat{child: child, count: count, cols: cols, schema: schema, batch: max(1, batchSize)}, nil
}

func (r *Repeat) Schema() *arrow.Schema { return r.schema }
func (r *Repeat) Open(t *Task) error    { return r.child.Open(t) }

func (r *Repeat) Next(t *Task) (arrow.Record, error) {
	if err := t.Spend(1); err != nil {
		return nil, err
	}
	for {
		if r.cur == nil {
			rec, err := r.child.Next(t)
			if err != nil || rec == nil {
				return nil, err
			}
			r.start(rec)
		}
		visited := r.fill()
		if err := t.Spend(visited + len(r.sel)); err != nil {
			return nil, err
		}
		var out arrow.Record
		if len(r.sel) > 0 {
			out = takeRows(t, r.cur, r.schema, r.cols, r.sel, nil)
		}
		if r.row >= int(r.cur.NumRows()) {
			r.release()
		}
		if out != nil {
			return out, nil
		}
	}
}

// start makes rec the batch whose rows are repeated next.
func (r *Repeat) start(rec arrow.Record) {
	r.cur, r.row, r.left = rec, 0, -1
	r.counts = rec.Column(r.count).(*array.Int64)
	r.vars = r.vars[:0]
	for _, c := range r.cols {
		if v, ok := rec.Column(c).(variableWidth); ok {
			r.vars = append(r.vars, v)
		}
	}
}

// fill puts the next output batch's rows of cur in sel: at most a batch
// of rows and repeatBytes of strings (but at least one row). It returns
// how many input rows it looked at.
func (r *Repeat) fill() int {
	r.sel = r.sel[:0]
	n, visited, bytes := int(r.cur.NumRows()), 0, 0
	for r.row < n && len(r.sel) < r.batch {
		if r.left < 0 {
			visited++
			r.left = 0
			if r.counts.IsValid(r.row) {
				r.left = max(0, r.counts.Value(r.row))
			}
		}
		if r.left == 0 {
			r.row, r.left = r.row+1, -1
			continue
		}
		room := int64(r.batch - len(r.sel))
		if w := r.width(); w > 0 {
			fits := int64((repeatBytes - bytes) / w)
			if fits <= 0 && len(r.sel) > 0 {
				break
			}
			room = max(1, min(room, fits))
			bytes += int(min(room, r.left)) * w
		}
		k := min(room, r.left)
		for range k {
			r.sel = append(r.sel, int32(r.row))
		}
		if r.left -= k; r.left == 0 {
			r.row, r.left = r.row+1, -1
		}
	}
	return visited
}

// width is the bytes of the current row's variable-width values.
func (r *Repeat) width() int {
	w := 0
	for _, v := range r.vars {
		w += v.ValueLen(r.row)
	}
	return w
}

func (r *Repeat) release() {
	if r.cur != nil {
		r.cur.Release()
		clear(r.vars)
		r.cur, r.counts, r.vars = nil, nil, r.vars[:0]
	}
}

func (r *Repeat) Close() error {
	r.release()
	return r.child.Close()
}

func (r *Repeat) Describe() Description {
	return Description{Name: "Repeat", Detail: fmt.Sprintf("count: #%d", r.count), Children: []Operator{r.child}}
}
