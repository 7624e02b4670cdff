package operators

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
)

// Limit skips offset rows and then passes at most limit rows (limit < 0:
// no limit). Once satisfied it stops pulling; the query's Close tears down
// whatever is still producing below it.
type Limit struct {
	child         Operator
	offset, limit int64
	skipped, sent int64
}

var _ Operator = (*Limit)(nil)

// NewLimit returns a limit over child.
func NewLimit(child Operator, offset, limit int64) *Limit {
	return &Limit{child: child, offset: offset, limit: limit}
}

func (l *Limit) Schema() *arrow.Schema { return l.child.Schema() }
func (l *Limit) Open(t *Task) error    { return l.child.Open(t) }

func (l *Limit) Next(t *Task) (arrow.Record, error) {
	for l.limit < 0 || l.sent < l.limit {
		rec, err := l.child.Next(t)
		if err != nil || rec == nil {
			return nil, err
		}
		if err := t.Spend(1); err != nil {
			rec.Release()
			return nil, err
		}
		n := rec.NumRows()
		start := min(max(l.offset-l.skipped, 0), n)
		l.skipped += start
		end := n
		if l.limit >= 0 {
			end = min(n, start+l.limit-l.sent)
		}
		if start == end {
			rec.Release()
			continue
		}
		l.sent += end - start
		if start == 0 && end == n {
			return rec, nil
		}
		out := rec.NewSlice(start, end)
		rec.Release()
		return out, nil
	}
	return nil, nil
}

func (l *Limit) Close() error { return l.child.Close() }

func (l *Limit) Describe() Description {
	d := fmt.Sprintf("limit %d", l.limit)
	if l.limit < 0 {
		d = "no limit"
	}
	if l.offset > 0 {
		d += fmt.Sprintf(" offset %d", l.offset)
	}
	return Description{Name: "Limit", Detail: d, Children: []Operator{l.child}}
}
