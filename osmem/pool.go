package osmem

import "sync"

// Pool keeps mappings their users are done with, for the next user that
// asks for the same size. A hash table's slot array of tens of megabytes
// was mapped fresh for every query, and its first touch faulted it in at
// 10-15 µs a page on the paravirtualised VMs. A kept mapping is faulted in
// already, and its taker only zeroes it, in pieces between checks, as
// DuckDB's buffer manager hands a query the blocks of the last. A Pool is
// safe for concurrent use.
type Pool struct {
	mu    sync.Mutex
	limit int
	kept  int
	free  map[int][][]byte // by length
}

// NewPool returns a pool that keeps at most limit bytes.
func NewPool(limit int) *Pool { return &Pool{limit: limit, free: map[int][][]byte{}} }

// Get returns a kept mapping of exactly n bytes, not zeroed, or nil.
func (p *Pool) Get(n int) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.free[n]
	if len(list) == 0 {
		return nil
	}
	b := list[len(list)-1]
	p.free[n] = list[:len(list)-1]
	p.kept -= n
	return b
}

// Put keeps b, a whole mapping from Map, and reports true; or reports
// false when the pool is full, and the caller unmaps b.
func (p *Pool) Put(b []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(b) == 0 || p.kept+len(b) > p.limit {
		return false
	}
	p.free[len(b)] = append(p.free[len(b)], b)
	p.kept += len(b)
	return true
}

// Kept is the number of bytes the pool holds.
func (p *Pool) Kept() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.kept
}

// Close unmaps every kept mapping. The pool stays usable.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var first error
	for n, list := range p.free {
		for _, b := range list {
			if err := Unmap(b); err != nil && first == nil {
				first = err
			}
		}
		delete(p.free, n)
	}
	p.kept = 0
	return first
}
