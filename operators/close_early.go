package operators

import "github.com/apache/arrow/go/v17/arrow"

// An operator that has returned its last batch may still hold its whole
// input: a sort keeps every batch it sorted until Close. An operator above
// it that is done reading (a window, once its input is all in) closes it
// at once to give that memory back, but freeing thousands of batches is
// milliseconds of work that no check interrupts. An operator that can
// free what it holds a piece at a time implements earlyCloser.
type earlyCloser interface {
	// closeEarly frees what the operator holds, spending budget as it
	// goes, and then closes it. Close stays safe to call afterwards.
	closeEarly(t *Task) error
}

// closeEarly closes op, which has returned its last batch, spending budget
// while it frees its memory when it knows how.
func closeEarly(t *Task, op Operator) error {
	if c, ok := op.(earlyCloser); ok {
		return c.closeEarly(t)
	}
	return op.Close()
}

func (w *Instrumented) closeEarly(t *Task) error { return closeEarly(t, w.Op) }

// releaseSpending releases recs one at a time, with checks, leaving nil
// behind each.
func releaseSpending(t *Task, recs []arrow.Record) error {
	for i, r := range recs {
		if r == nil {
			continue
		}
		recs[i] = nil
		n := r.NumCols()
		r.Release()
		// A batch's buffers go back to the pool at some tens of ns each.
		if err := t.Spend(8 * int(n)); err != nil {
			return err
		}
	}
	return nil
}

// releaseThenClose is closeEarly for an operator that keeps batches:
// they go first, then what its input holds, then the operator closes.
func releaseThenClose(t *Task, batches []arrow.Record, child Operator, close func() error) error {
	if err := releaseSpending(t, batches); err != nil {
		return err
	}
	if err := closeEarly(t, child); err != nil {
		return err
	}
	return close()
}

func (s *Sort) closeEarly(t *Task) error { return releaseThenClose(t, s.batches, s.child, s.Close) }

func (w *Window) closeEarly(t *Task) error { return releaseThenClose(t, w.batches, w.child, w.Close) }

// closeEarly frees what its input holds with checks: a projection keeps
// nothing of its own but sits between a sort and the window below it.
func (p *Project) closeEarly(t *Task) error {
	if err := closeEarly(t, p.child); err != nil {
		return err
	}
	return p.Close()
}
