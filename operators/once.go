package operators

import "sync"

// once computes a value on the first task that asks for it; tasks that ask
// meanwhile wait for it. Waiting happens only in a select that also
// watches the waiter's context, so a waiter never hangs on a computation
// whose task was cancelled (the futurelock of the DataFusion case study),
// and a failed or cancelled computation is reported to every waiter.
// BuildSide and Spool share it.
type once[T any] struct {
	mu    sync.Mutex
	state int // 0 not started, 1 running, 2 done
	ready chan struct{}
	val   T
	err   error
}

func newOnce[T any]() once[T] { return once[T]{ready: make(chan struct{})} }

// get returns the value, computing it with run on t if nobody has started.
func (o *once[T]) get(t *Task, run func(*Task) (T, error)) (T, error) {
	o.mu.Lock()
	switch o.state {
	case 2:
		defer o.mu.Unlock()
		return o.val, o.err
	case 1:
		o.mu.Unlock()
		var zero T
		if err := t.Check(); err != nil {
			return zero, err
		}
		defer t.waited()
		select {
		case <-o.ready:
			o.mu.Lock()
			defer o.mu.Unlock()
			return o.val, o.err
		case <-t.Context().Done():
			return zero, t.Check()
		}
	}
	o.state = 1
	o.mu.Unlock()
	val, err := run(t)
	o.mu.Lock()
	o.val, o.err, o.state = val, err, 2
	close(o.ready)
	o.mu.Unlock()
	return val, err
}

// take returns the value and forgets it (the last user frees it).
func (o *once[T]) take() T {
	o.mu.Lock()
	defer o.mu.Unlock()
	v := o.val
	var zero T
	o.val = zero
	return v
}
