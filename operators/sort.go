package operators

import (
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/vector"
)

// Sort orders its whole input. Every input batch is sorted as it arrives
// (one run per batch, a bounded piece of uninterruptible work), and Next
// merges the runs with a heap, one output batch at a time, spending budget
// per row merged. Ties keep the order of the runs, so output is
// deterministic.
type Sort struct {
	child     Operator
	keys      []SortKey
	batchSize int

	cmp    *rowComparator
	runs   []arrow.Record
	perms  [][]int32 // sorted row order of each run
	pos    []int     // merge cursor of each run
	heap   []int     // run numbers, smallest current row first
	loaded bool
	closed bool
	refs   []vector.RowRef
	goMem  opMemory // the runs and their permutations
	perm   int64
	runMem int64
}

var _ Operator = (*Sort)(nil)

// NewSort returns a sort of child by keys.
func NewSort(child Operator, keys []SortKey, batchSize int) *Sort {
	return &Sort{child: child, keys: keys, batchSize: batchSize}
}

func (s *Sort) Schema() *arrow.Schema { return s.child.Schema() }
func (s *Sort) Open(t *Task) error    { return s.child.Open(t) }

func (s *Sort) load(t *Task) error {
	s.cmp = newRowComparator(s.keys, s.child.Schema())
	for {
		rec, err := s.child.Next(t)
		if err != nil {
			return err
		}
		if rec == nil {
			break
		}
		b := len(s.runs)
		s.runs = append(s.runs, rec)
		s.cmp.addBatch(rec)
		perm := make([]int32, rec.NumRows())
		for i := range perm {
			perm[i] = int32(i)
		}
		slices.SortFunc(perm, func(i, j int32) int { return s.cmp.compare(b, int(i), b, int(j)) })
		s.perms = append(s.perms, perm)
		s.perm += int64(len(perm)) * 4
		s.runMem += recordBytes(rec)
		s.goMem.set(t, s.perm, s.runMem)
		// n log n comparisons happened without a check: spend for them.
		if err := t.Spend(len(perm) * 8); err != nil {
			return err
		}
	}
	s.pos = make([]int, len(s.runs))
	for r := range s.runs {
		s.heap = append(s.heap, r)
	}
	for i := len(s.heap)/2 - 1; i >= 0; i-- {
		s.down(i)
	}
	return nil
}

func (s *Sort) less(a, b int) bool {
	c := s.cmp.compare(a, int(s.perms[a][s.pos[a]]), b, int(s.perms[b][s.pos[b]]))
	return c < 0 || c == 0 && a < b
}

func (s *Sort) down(i int) {
	h := s.heap
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && s.less(h[r], h[l]) {
			m = r
		}
		if !s.less(h[m], h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

func (s *Sort) Next(t *Task) (arrow.Record, error) {
	if !s.loaded {
		s.loaded = true
		if err := s.load(t); err != nil {
			return nil, err
		}
	}
	if len(s.heap) == 0 {
		return nil, nil
	}
	s.refs = s.refs[:0]
	for len(s.refs) < s.batchSize && len(s.heap) > 0 {
		r := s.heap[0]
		s.refs = append(s.refs, vector.RowRef{Batch: int32(r), Row: s.perms[r][s.pos[r]]})
		s.pos[r]++
		if s.pos[r] == len(s.perms[r]) {
			last := len(s.heap) - 1
			s.heap[0] = s.heap[last]
			s.heap = s.heap[:last]
		}
		if len(s.heap) > 0 {
			s.down(0)
		}
		if len(s.refs)%1024 == 0 {
			if err := t.Spend(1024); err != nil {
				return nil, err
			}
		}
	}
	return vector.TakeMultiRecord(t.Alloc(), s.Schema(), s.runs, s.refs), nil
}

func (s *Sort) Close() error {
	if !s.closed {
		s.closed = true
		s.goMem.free()
		for _, r := range s.runs {
			r.Release()
		}
		s.runs = nil
	}
	return s.child.Close()
}

func (s *Sort) Describe() Description {
	return Description{Name: "Sort", Detail: describeKeys(s.keys, s.Schema()), Children: []Operator{s.child}}
}
