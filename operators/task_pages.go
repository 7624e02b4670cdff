package operators

import (
	"sync"

	"github.com/minisql/minisql/paged"
)

// queryPages is the state pages one query took from the engine's pool:
// a lease per task (a Lease is not safe for concurrent use), all given
// back together when the query ends. Pages outlive the task that took
// them (a worker's hash table is probed after the worker returns), so
// only the end of the whole query can give them back.
type queryPages struct {
	pool *paged.Pool

	mu     sync.Mutex
	leases []*paged.Lease
}

func (q *queryPages) lease() *paged.Lease {
	l := q.pool.Lease()
	q.mu.Lock()
	q.leases = append(q.leases, l)
	q.mu.Unlock()
	return l
}

func (q *queryPages) release() {
	q.mu.Lock()
	leases := q.leases
	q.leases = nil
	q.mu.Unlock()
	for _, l := range leases {
		l.Release()
	}
}
