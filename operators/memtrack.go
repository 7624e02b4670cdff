package operators

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/vector"
)

// MemTracker counts the memory a query holds: every Arrow buffer it
// allocates (through TrackedAllocator) and the Go memory of its hash
// tables, accumulators and sort permutations (reported by the operators
// that hold them). Arrow's allocator cannot fail an allocation, so the
// limit is enforced where the query already looks at its context: a task's
// check fails once the tracker is over the limit. The query overshoots by
// at most the work between two checks.
type MemTracker struct {
	limit int64 // 0: no limit
	used  atomic.Int64
	peak  atomic.Int64

	mu      sync.Mutex
	holders []*memHolder
}

// memHolder is what one operator holds, kept so that the error can name
// the operator that holds the most rather than the one that happened to
// check.
type memHolder struct {
	name  string
	bytes atomic.Int64
}

// NewMemTracker returns a tracker with the given limit in bytes (0: none).
func NewMemTracker(limit int64) *MemTracker { return &MemTracker{limit: limit} }

// Grow records n more bytes (n may be negative).
func (m *MemTracker) Grow(n int64) {
	if m == nil || n == 0 {
		return
	}
	u := m.used.Add(n)
	for {
		p := m.peak.Load()
		if u <= p || m.peak.CompareAndSwap(p, u) {
			return
		}
	}
}

// Used is the memory held now; both are 0 for a nil tracker.
func (m *MemTracker) Used() int64 {
	if m == nil {
		return 0
	}
	return m.used.Load()
}

// Peak is the most memory ever held at once.
func (m *MemTracker) Peak() int64 {
	if m == nil {
		return 0
	}
	return m.peak.Load()
}

// Limit is the limit in bytes (0: none).
func (m *MemTracker) Limit() int64 {
	if m == nil {
		return 0
	}
	return m.limit
}

func (m *MemTracker) holder(name string) *memHolder {
	h := &memHolder{name: name}
	m.mu.Lock()
	m.holders = append(m.holders, h)
	m.mu.Unlock()
	return h
}

// largest names the operator holding the most memory ("" if none holds any).
func (m *MemTracker) largest() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var best *memHolder
	for _, h := range m.holders {
		if b := h.bytes.Load(); b > 0 && (best == nil || b > best.bytes.Load()) {
			best = h
		}
	}
	if best == nil {
		return ""
	}
	return best.name
}

// check returns a *MemoryLimitError when the query holds too much. where
// names the running operator, used when no operator has said what it holds.
func (m *MemTracker) check(current func() string) error {
	if m == nil || m.limit <= 0 {
		return nil
	}
	u := m.used.Load()
	if u <= m.limit {
		return nil
	}
	// Names are made only now: Describe formats strings, too slow for
	// every check.
	where := m.largest()
	if where == "" && current != nil {
		where = current()
	}
	if where == "" {
		where = "the query"
	}
	return &MemoryLimitError{Used: u, Limit: m.limit, Operator: where}
}

// MemoryLimitError is how a query over its memory limit fails.
// errors.Is(err, sqlerr.ErrMemoryLimit) holds.
type MemoryLimitError struct {
	Used, Limit int64
	Operator    string // the operator holding the most memory
}

func (e *MemoryLimitError) Error() string {
	return fmt.Sprintf("memory limit exceeded (used %s of %s) in %s", FormatBytes(e.Used), FormatBytes(e.Limit), e.Operator)
}

func (e *MemoryLimitError) Unwrap() error { return sqlerr.ErrMemoryLimit }

// FormatBytes renders a byte count as 1.5 GiB, 300.0 MiB, 12.0 KiB.
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// TrackedAllocator counts what it allocates in a MemTracker.
type TrackedAllocator struct {
	base memory.Allocator
	t    *MemTracker
}

// NewTrackedAllocator wraps base.
func NewTrackedAllocator(base memory.Allocator, t *MemTracker) *TrackedAllocator {
	return &TrackedAllocator{base: base, t: t}
}

func (a *TrackedAllocator) Allocate(size int) []byte {
	a.t.Grow(int64(size))
	return a.base.Allocate(size)
}

// AllocateUninit passes the request on to an allocator that can leave the
// memory as it is, and zeroes it otherwise.
func (a *TrackedAllocator) AllocateUninit(size int) []byte {
	a.t.Grow(int64(size))
	if ua, ok := a.base.(vector.UninitAllocator); ok {
		return ua.AllocateUninit(size)
	}
	return a.base.Allocate(size)
}

func (a *TrackedAllocator) Reallocate(size int, b []byte) []byte {
	a.t.Grow(int64(size - len(b)))
	return a.base.Reallocate(size, b)
}

func (a *TrackedAllocator) Free(b []byte) {
	a.t.Grow(-int64(len(b)))
	a.base.Free(b)
}

// opMemory is what one operator holds: Go memory (hash tables, states,
// permutations), which only the operator can count, and Arrow buffers it
// keeps, which the allocator already counts and are recorded here only to
// name the operator in an error. Close gives the Go part back.
type opMemory struct {
	t      *MemTracker
	h      *memHolder
	goHeld int64
}

// set records that the operator now holds goBytes of Go memory and
// arrowBytes of retained Arrow buffers.
func (g *opMemory) set(t *Task, goBytes, arrowBytes int64) {
	if g.t == nil {
		if g.t = t.mem.tracker; g.t == nil {
			return
		}
		name := "the query"
		if t.curName != nil {
			name = t.curName()
		}
		g.h = g.t.holder(name)
	}
	g.t.Grow(goBytes - g.goHeld)
	g.goHeld = goBytes
	g.h.bytes.Store(goBytes + arrowBytes)
}

// free gives the Go memory back and clears the attribution.
func (g *opMemory) free() {
	if g.t == nil {
		return
	}
	g.t.Grow(-g.goHeld)
	g.goHeld = 0
	g.h.bytes.Store(0)
}

// recordBytes is the size of a record's buffers.
func recordBytes(rec arrow.Record) int64 {
	var n int64
	for _, c := range rec.Columns() {
		n += arrayBytes(c.Data())
	}
	return n
}

func arrayBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += arrayBytes(c)
	}
	// Dictionary returns a typed nil inside the interface when there is none.
	if dict, ok := d.Dictionary().(*array.Data); ok && dict != nil {
		n += arrayBytes(dict)
	}
	return n
}
