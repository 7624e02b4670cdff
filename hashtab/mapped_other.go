//go:build !linux

package hashtab

// mapping is not available here: slot arrays live on the heap.
type mapping struct{}

func mapZeroed(int) *mapping                    { return nil }
func takeMapping(Budget, int) (*mapping, error) { return nil, nil }
func (m *mapping) release(Budget) error         { return nil }
func (m *mapping) slots(int) ([]slot, []uint8)  { return nil, nil }
func (m *mapping) populate(Budget) error        { return nil }
func (m *mapping) unmap(Budget) error           { return nil }
