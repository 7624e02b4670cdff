package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/types"
)

// HashJoin joins on equal keys: its build side (the right input, read once
// into a record and a hash table from key to a chain of build rows, and
// possibly shared by parallel instances) is probed by streaming the left
// input. Building spends budget per batch pulled, per chunk copied and per
// hash-table growth step; probing spends per candidate pair, so a residual
// condition that rejects nearly everything still lets a cancel through.
type HashJoin struct {
	core      joinCore
	side      *BuildSide
	probeKeys []int
	desc      string
	idx       *hashIndex
	ready     bool
	closed    bool

	// per probe batch
	probe     hashtab.Probe // scratch of this instance's lookups
	gids      []int32
	nullKey   []bool
	row       int   // next probe row to expand
	chain     int32 // next build row of the current probe row's chain, -1 none
	firstOnly bool  // semi/anti/mark without residual: one candidate per row is enough
}

var _ Operator = (*HashJoin)(nil)

// hashIndex maps build keys to chains of build rows. The chains are in
// pages: a build of tens of millions of rows makes no single allocation
// that large (see package paged).
type hashIndex struct {
	table *hashtab.Table
	heads paged.Vec[int32] // group -> first build row
	next  paged.Vec[int32] // build row -> next row of the same group, -1 at the end
}

// bytes is the Go memory the index holds.
func (x *hashIndex) bytes() int64 { return x.table.Bytes() + x.heads.Bytes() + x.next.Bytes() }

// NewHashJoin joins probe and build on probeKeys[i] = buildKeys[i], with an
// optional residual condition over probe columns ++ build columns.
func NewHashJoin(typ JoinType, probe, build Operator, probeKeys, buildKeys []int, residual expr.Evaluator, batchSize int, desc string) *HashJoin {
	return NewHashJoinShared(typ, probe, NewBuildSide(build, buildKeys, 1), probeKeys, residual, batchSize, desc)
}

// NewHashJoinShared is one of several parallel instances probing a shared
// build side.
func NewHashJoinShared(typ JoinType, probe Operator, side *BuildSide, probeKeys []int, residual expr.Evaluator, batchSize int, desc string) *HashJoin {
	h := &HashJoin{side: side, probeKeys: probeKeys, desc: desc}
	h.core = joinCore{typ: typ, probe: probe, residual: residual, batchSize: batchSize, pairs: h}
	h.core.setColumns(JoinColumns{}, probe.Schema(), side.input.Schema())
	h.firstOnly = !typ.emitsPairs() && residual == nil
	return h
}

// Project makes the join gather and emit only some columns (see
// JoinColumns); the residual must have been compiled over cols.Gather.
func (h *HashJoin) Project(cols JoinColumns) *HashJoin {
	h.core.setColumns(cols, h.core.probe.Schema(), h.side.input.Schema())
	return h
}

func (h *HashJoin) Schema() *arrow.Schema { return h.core.schema }
func (h *HashJoin) Open(t *Task) error    { return h.core.probe.Open(t) }

// buildHashIndex indexes the key columns of a build side. It also reports
// whether any key is NULL (NOT IN needs to know).
func buildHashIndex(t *Task, rows *buildRows, keys []int) (*hashIndex, bool, error) {
	return buildHashIndexPaged(t, rows, keys, 0)
}

// buildHashIndexPaged is buildHashIndex with pages of 1<<shift chains
// (0: the default size), so that tests can build indexes of many pages.
func buildHashIndexPaged(t *Task, rows *buildRows, keys []int, shift uint) (*hashIndex, bool, error) {
	n := rows.numRows()
	kt := make([]types.T, len(keys))
	nullKey := false
	for i, k := range keys {
		kt[i] = types.MustFromArrow(rows.schema.Field(k).Type)
		for _, c := range rows.column(k) {
			nullKey = nullKey || c.NullN() > 0
		}
	}
	idx := &hashIndex{table: hashtab.New(kt)}
	var tails paged.Vec[int32]
	idx.heads.Shift, idx.next.Shift, tails.Shift = shift, shift, shift
	if err := idx.next.Resize(t, n); err != nil {
		return nil, false, err
	}
	gids := make([]int32, min(n, missChunk))
	cols := make([]arrow.Array, len(keys))
	for ci, rec := range rows.chunks {
		for i, k := range keys {
			cols[i] = rec.Column(k)
		}
		if err := idx.add(t, &tails, cols, ci<<rows.shift, gids); err != nil {
			return nil, false, err
		}
	}
	return idx, nullKey, nil
}

// add indexes the rows of one build chunk, whose first row is build row
// base, missChunk rows at a time.
func (idx *hashIndex) add(t *Task, tails *paged.Vec[int32], cols []arrow.Array, base int, gids []int32) error {
	m := cols[0].Len()
	for start := 0; start < m; start += missChunk {
		end := min(start+missChunk, m)
		chunk := make([]arrow.Array, len(cols))
		for i, c := range cols {
			chunk[i] = sliceArray(c, start, end)
		}
		_, err := idx.table.FindOrInsert(t, chunk, gids[:end-start])
		for _, c := range chunk {
			c.Release()
		}
		if err != nil {
			return err
		}
		if groups := idx.table.Len(); idx.heads.Len() < groups {
			from := idx.heads.Len()
			if err := idx.heads.Resize(t, groups); err != nil {
				return err
			}
			if err := tails.Resize(t, groups); err != nil {
				return err
			}
			for g := from; g < groups; g++ {
				idx.heads.Set(g, -1)
				tails.Set(g, -1)
			}
		}
		// Chain rows in insertion order so output order is stable.
		first := int32(base + start)
		if h, n, tl := idx.heads.One(), idx.next.One(), tails.One(); h != nil && n != nil && tl != nil {
			chainRows(h, n, tl, gids[:end-start], first)
		} else {
			heads, next, tl := idx.heads.View(), idx.next.View(), tails.View()
			for i, g := range gids[:end-start] {
				r := first + int32(i)
				*next.At(int(r)) = -1
				tail := tl.At(int(g))
				if *tail < 0 {
					*heads.At(int(g)) = r
				} else {
					*next.At(int(*tail)) = r
				}
				*tail = r
			}
		}
		if err := t.Spend((end - start) * missUnits); err != nil {
			return err
		}
	}
	return nil
}

// chainRows appends build rows start, start+1, ... (of groups gids) to
// their groups' chains: the one-page case of buildHashIndex's loop.
func chainRows(heads, next, tails []int32, gids []int32, start int32) {
	for i, g := range gids {
		r := start + int32(i)
		next[r] = -1
		if tails[g] < 0 {
			heads[g] = r
		} else {
			next[tails[g]] = r
		}
		tails[g] = r
	}
}

// hashChunk is the number of steps of a sequential pass over the build
// side (a full join's pairs, the rows a build-side join returns) between
// budget spends. Random steps use missChunk.
const hashChunk = 2048

// start implements pairSource.
func (h *HashJoin) start(t *Task, probe arrow.Record) error {
	n := int(probe.NumRows())
	h.gids = grow(h.gids[:0], n)
	cols := make([]arrow.Array, len(h.probeKeys))
	for i, k := range h.probeKeys {
		cols[i] = probe.Column(k)
	}
	if err := findChunked(t, h.idx.table, &h.probe, cols, h.gids[:n]); err != nil {
		return err
	}
	h.nullKey = grow(h.nullKey[:0], n)
	clear(h.nullKey)
	for _, c := range cols {
		if c.NullN() > 0 {
			for i := 0; i < n; i++ {
				h.nullKey[i] = h.nullKey[i] || c.IsNull(i)
			}
		}
	}
	h.row, h.chain = 0, -1
	return nil
}

func (h *HashJoin) probeNullKeys() []bool { return h.nullKey }

// next implements pairSource: it walks the chains of the probe rows.
func (h *HashJoin) next(t *Task, p, b []int32, max int) ([]int32, []int32, bool, error) {
	if heads, next := h.idx.heads.One(), h.idx.next.One(); heads != nil && next != nil {
		return h.walk(t, heads, next, p, b, max)
	}
	n := len(h.gids)
	steps := 0
	heads, next := h.idx.heads.View(), h.idx.next.View()
	for len(p) < max {
		if h.chain < 0 {
			if h.row >= n {
				return p, b, true, nil
			}
			g := h.gids[h.row]
			h.row++
			if g < 0 {
				continue
			}
			h.chain = *heads.At(int(g))
		}
		p = append(p, int32(h.row-1))
		b = append(b, h.chain)
		if h.firstOnly {
			h.chain = -1
		} else {
			h.chain = *next.At(int(h.chain))
		}
		if steps++; steps%missChunk == 0 {
			if err := t.Spend(missChunk * missUnits); err != nil {
				return p, b, false, err
			}
		}
	}
	return p, b, h.chain < 0 && h.row >= n, nil
}

// walk is next over an index whose chains fit in one page each: the same
// loop with plain slices (a probe is the hottest loop of most joins).
func (h *HashJoin) walk(t *Task, heads, next []int32, p, b []int32, max int) ([]int32, []int32, bool, error) {
	n := len(h.gids)
	steps := 0
	for len(p) < max {
		if h.chain < 0 {
			if h.row >= n {
				return p, b, true, nil
			}
			g := h.gids[h.row]
			h.row++
			if g < 0 {
				continue
			}
			h.chain = heads[g]
		}
		p = append(p, int32(h.row-1))
		b = append(b, h.chain)
		if h.firstOnly {
			h.chain = -1
		} else {
			h.chain = next[h.chain]
		}
		if steps++; steps%missChunk == 0 {
			if err := t.Spend(missChunk * missUnits); err != nil {
				return p, b, false, err
			}
		}
	}
	return p, b, h.chain < 0 && h.row >= n, nil
}

func (h *HashJoin) Next(t *Task) (arrow.Record, error) {
	if !h.ready {
		built, err := h.side.get(t)
		if err != nil {
			return nil, err
		}
		h.ready = true
		h.idx = built.hash
		h.core.setBuild(built)
		if built.empty && (h.core.typ == JoinInner || h.core.typ == JoinSemi) {
			h.core.probeEOF = true // nothing can match; do not read the probe side
		}
	}
	return h.core.next(t)
}

func (h *HashJoin) Close() error {
	if h.closed {
		return nil
	}
	h.closed = true
	h.core.close()
	h.idx = nil
	return closeWithSide(h.core.probe, h.side)
}

func (h *HashJoin) Describe() Description {
	return Description{Name: "HashJoin", Detail: describeJoin(h.core.typ, h.desc), Children: []Operator{h.core.probe, h.side.operator()}}
}
