package operators

import "sync/atomic"

// Progress counts the input rows a query's scans have read, for progress
// bars. It is shared by every scan of a query and read from other
// goroutines.
type Progress struct {
	done  atomic.Int64
	total atomic.Int64
}

// AddTotal adds to the expected number of input rows.
func (p *Progress) AddTotal(n int64) { p.total.Add(n) }

// Done adds rows read.
func (p *Progress) Done(n int64) { p.done.Add(n) }

// Load returns the rows read so far and the rows expected in all.
func (p *Progress) Load() (done, total int64) { return p.done.Load(), p.total.Load() }
