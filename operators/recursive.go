package operators

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/types"
)

// RecursiveCTE runs WITH RECURSIVE: the base term once, then the
// recursive term again and again over the rows the previous run produced
// (the working table), until a run produces none. Every batch is passed
// on as soon as it is made, and kept (a reference, not a copy) as part of
// the next working table.
//
// Why a new operator tree per iteration. The recursive term is any query
// (joins, aggregates, subqueries over the working table), and operators
// are opened once: rather than teach every operator to rewind, the
// planner hands over a function that builds the term's tree afresh, whose
// WorkTableScans read the WorkTable this operator fills. An iteration's
// tree is closed (its hash tables, workers and batches gone) before the
// next is built, so a recursion holds one tree, the working table and the
// rows of the iteration running, whatever its depth. DuckDB also rebuilds
// its recursive pipelines' state per iteration.
//
// Cancellation and memory. Each iteration's operators spend budget as
// always, and so does this operator per batch and per iteration, so an
// endless recursion (whose every iteration finds a row) is cancelled like
// any long loop. The working tables are Arrow buffers of the query's
// allocator, counted by its memory tracker: a recursion whose working
// table grows without end fails with the memory-limit error. Close, the
// one teardown path, closes the running tree and releases both working
// tables.
//
// UNION (Distinct) keeps a hash set of every row produced, across
// iterations, and drops rows already in it: a walk over a graph with
// cycles ends once it finds nothing new.
type RecursiveCTE struct {
	name     string
	base     Operator
	build    func() (Operator, error)
	wt       *WorkTable
	schema   *arrow.Schema
	distinct bool
	keyTypes []types.T

	first  Operator // the first iteration's tree, built with the plan (EXPLAIN shows it)
	cur    Operator // what runs now: base, then one iteration's tree
	shown  Operator // the latest iteration's tree, for Describe
	next   []arrow.Record
	iter   int
	done   bool
	closed bool

	seen *hashtab.Table
	gids []int32
	mem  opMemory
	// the buffer bytes of the working table and of the rows kept for the
	// next one, kept as they change (summing per batch would be quadratic)
	wtBytes, nextBytes int64
}

var _ Operator = (*RecursiveCTE)(nil)

// WorkTable holds a recursive CTE's working table: the batches of the
// previous iteration, read by every WorkTableScan of the recursive term.
type WorkTable struct {
	recs []arrow.Record
}

// NewWorkTable returns an empty working table.
func NewWorkTable() *WorkTable { return &WorkTable{} }

// NewRecursiveCTE returns the operator. build makes one iteration's tree
// of the recursive term, reading wt; first is a tree already built (nil:
// none), used for the first iteration. keyTypes are the columns'
// logical types (for the Distinct set).
func NewRecursiveCTE(name string, base Operator, first Operator, build func() (Operator, error), wt *WorkTable,
	schema *arrow.Schema, keyTypes []types.T, distinct bool) *RecursiveCTE {
	return &RecursiveCTE{name: name, base: base, first: first, shown: first, build: build, wt: wt, schema: schema,
		keyTypes: keyTypes, distinct: distinct}
}

func (r *RecursiveCTE) Schema() *arrow.Schema { return r.schema }

func (r *RecursiveCTE) Open(t *Task) error {
	r.cur = r.base
	return r.base.Open(t)
}

func (r *RecursiveCTE) Next(t *Task) (arrow.Record, error) {
	for !r.done {
		if err := t.Spend(1); err != nil {
			return nil, err
		}
		if r.cur == nil {
			if err := r.startIteration(t); err != nil || r.done {
				return nil, err
			}
		}
		rec, err := r.cur.Next(t)
		if err != nil {
			return nil, err
		}
		if rec == nil {
			err := r.cur.Close()
			r.cur = nil
			if err != nil {
				return nil, err
			}
			continue
		}
		if r.distinct {
			if rec, err = r.dropSeen(t, rec); err != nil || rec == nil {
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		out := array.NewRecord(r.schema, rec.Columns(), rec.NumRows())
		r.next = append(r.next, rec) // our reference to the caller's rows
		r.nextBytes += recordBytes(rec)
		r.account(t)
		return out, nil
	}
	return nil, nil
}

// startIteration makes the rows of the iteration that ended the working
// table and starts the recursive term over them, or ends the recursion
// when there are none.
func (r *RecursiveCTE) startIteration(t *Task) error {
	releaseAll(r.wt.recs)
	r.wt.recs, r.next = r.next, nil
	r.wtBytes, r.nextBytes = r.nextBytes, 0
	r.account(t)
	if len(r.wt.recs) == 0 {
		r.done = true
		r.releaseState()
		return nil
	}
	op := r.first
	r.first = nil
	if op == nil {
		var err error
		if op, err = r.build(); err != nil {
			return fmt.Errorf("recursive CTE %s, iteration %d: %w", r.name, r.iter+1, err)
		}
	}
	r.cur, r.shown = op, op
	r.iter++
	return op.Open(t)
}

// dropSeen returns the rows of rec not produced before (nil when none),
// and adds them to the set. rec is released unless returned.
func (r *RecursiveCTE) dropSeen(t *Task, rec arrow.Record) (arrow.Record, error) {
	n := int(rec.NumRows())
	if err := t.Spend(n); err != nil {
		rec.Release()
		return nil, err
	}
	if r.seen == nil {
		r.seen = hashtab.New(r.keyTypes)
	}
	if cap(r.gids) < n {
		r.gids = make([]int32, n)
	}
	gids := r.gids[:n]
	before := r.seen.Len()
	added, err := r.seen.FindOrInsert(t, rec.Columns(), gids)
	if err != nil {
		rec.Release()
		return nil, err
	}
	if added == n {
		return rec, nil // all new (and distinct)
	}
	defer rec.Release()
	if added == 0 {
		return nil, nil
	}
	// A new group's first row is the one to keep.
	taken := make([]bool, added)
	sel := make([]int32, 0, added)
	for i, g := range gids {
		if k := int(g) - before; k >= 0 && !taken[k] {
			taken[k] = true
			sel = append(sel, int32(i))
		}
	}
	return takeSel(t, rec, sel)
}

// account records what the operator holds: the set's Go memory, and the
// two working tables' buffers (counted by the allocator already; here
// only so that a memory-limit error names this operator).
func (r *RecursiveCTE) account(t *Task) {
	var goBytes int64
	if r.seen != nil {
		goBytes = r.seen.Bytes() + int64(cap(r.gids))*4
	}
	r.mem.set(t, goBytes, r.wtBytes+r.nextBytes)
}

// releaseState gives back the working tables and the set.
func (r *RecursiveCTE) releaseState() {
	releaseAll(r.wt.recs)
	releaseAll(r.next)
	r.wt.recs, r.next = nil, nil
	r.wtBytes, r.nextBytes = 0, 0
	if r.seen != nil {
		r.seen.Release()
	}
	r.seen, r.gids = nil, nil
	r.mem.free()
}

func (r *RecursiveCTE) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	first := r.base.Close()
	for _, op := range []Operator{r.cur, r.first} {
		if op == nil || op == r.base {
			continue
		}
		if err := op.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.cur, r.first = nil, nil
	r.releaseState()
	return first
}

func (r *RecursiveCTE) Describe() Description {
	op := "UNION ALL"
	if r.distinct {
		op = "UNION"
	}
	detail := fmt.Sprintf("%s %s", r.name, op)
	if r.iter > 0 {
		detail += fmt.Sprintf(", %d iterations (the last one's recursive term below)", r.iter)
	}
	children := []Operator{r.base}
	if r.shown != nil {
		children = append(children, r.shown)
	}
	return Description{Name: "RecursiveCTE", Detail: detail, Children: children}
}

// WorkTableScan reads a recursive CTE's working table: the previous
// iteration's batches, relabelled with the scan's schema.
type WorkTableScan struct {
	wt     *WorkTable
	schema *arrow.Schema
	name   string
	pos    int
}

var _ Operator = (*WorkTableScan)(nil)

// NewWorkTableScan returns a scan of wt; name is the CTE's, for EXPLAIN.
func NewWorkTableScan(wt *WorkTable, schema *arrow.Schema, name string) *WorkTableScan {
	return &WorkTableScan{wt: wt, schema: schema, name: name}
}

func (s *WorkTableScan) Schema() *arrow.Schema { return s.schema }
func (s *WorkTableScan) Open(t *Task) error    { return t.Check() }

func (s *WorkTableScan) Next(t *Task) (arrow.Record, error) {
	if err := t.Spend(1); err != nil {
		return nil, err
	}
	if s.pos >= len(s.wt.recs) {
		return nil, nil
	}
	rec := s.wt.recs[s.pos]
	s.pos++
	return array.NewRecord(s.schema, rec.Columns(), rec.NumRows()), nil
}

func (s *WorkTableScan) Close() error { return nil }

func (s *WorkTableScan) Describe() Description {
	return Description{Name: "WorkTableScan", Detail: s.name + " (the previous iteration's rows)"}
}
