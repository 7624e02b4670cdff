package expr

import "fmt"

// Splitter is implemented by an Env whose caller can evaluate a batch in
// slices (a projection). A kernel that knows the size of its output before
// allocating it (repeat) asks for that rather than allocate more than
// SplitAbove bytes at once: the runtime zeroes a large allocation in one
// call, milliseconds no cancellation check interrupts.
type Splitter interface {
	SplitAbove() int
}

// SplitError asks the caller to evaluate the batch in slices: the result
// would take Bytes bytes.
type SplitError struct{ Bytes int }

func (e *SplitError) Error() string {
	return fmt.Sprintf("internal: a result of %d bytes asks for the batch to be split", e.Bytes)
}

// wantsSplit returns the error asking for a split when env can split and
// an output of bytes for n rows is over its limit.
func wantsSplit(env Env, n, bytes int) error {
	if s, ok := env.(Splitter); ok && n > 1 && bytes > s.SplitAbove() {
		return &SplitError{Bytes: bytes}
	}
	return nil
}
