package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/hashtab"
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

// hashIndex maps build keys to chains of build rows.
type hashIndex struct {
	table *hashtab.Table
	heads []int32 // group -> first build row
	next  []int32 // build row -> next row of the same group, -1 at the end
}

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

// buildHashIndex indexes the key columns of a build record. It also reports
// whether any key is NULL (NOT IN needs to know).
func buildHashIndex(t *Task, rec arrow.Record, keys []int) (*hashIndex, bool, error) {
	n := int(rec.NumRows())
	kt := make([]types.T, len(keys))
	cols := make([]arrow.Array, len(keys))
	nullKey := false
	for i, k := range keys {
		cols[i] = rec.Column(k)
		kt[i] = types.MustFromArrow(cols[i].DataType())
		nullKey = nullKey || cols[i].NullN() > 0
	}
	idx := &hashIndex{table: hashtab.New(kt), next: make([]int32, n)}
	var tails []int32
	gids := make([]int32, min(n, hashChunk))
	for start := 0; start < n; start += hashChunk {
		end := min(start+hashChunk, n)
		chunk := make([]arrow.Array, len(cols))
		for i, c := range cols {
			chunk[i] = sliceArray(c, start, end)
		}
		_, err := idx.table.FindOrInsert(t, chunk, gids[:end-start])
		for _, c := range chunk {
			c.Release()
		}
		if err != nil {
			return nil, false, err
		}
		if groups := idx.table.Len(); len(idx.heads) < groups {
			from := len(idx.heads)
			if idx.heads, tails, err = growBoth(t, idx.heads, tails, groups); err != nil {
				return nil, false, err
			}
			for g := from; g < groups; g++ {
				idx.heads[g], tails[g] = -1, -1
			}
		}
		// Chain rows in insertion order so output order is stable.
		for i, g := range gids[:end-start] {
			r := int32(start + i)
			idx.next[r] = -1
			if tails[g] < 0 {
				idx.heads[g] = r
			} else {
				idx.next[tails[g]] = r
			}
			tails[g] = r
		}
		if err := t.Spend(end - start); err != nil {
			return nil, false, err
		}
	}
	return idx, nullKey, nil
}

// hashChunk is the number of build rows inserted between budget spends.
const hashChunk = 4096

// start implements pairSource.
func (h *HashJoin) start(t *Task, probe arrow.Record) error {
	n := int(probe.NumRows())
	h.gids = grow(h.gids[:0], n)
	cols := make([]arrow.Array, len(h.probeKeys))
	for i, k := range h.probeKeys {
		cols[i] = probe.Column(k)
	}
	h.idx.table.Find(&h.probe, cols, h.gids)
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
			h.chain = h.idx.heads[g]
		}
		p = append(p, int32(h.row-1))
		b = append(b, h.chain)
		if h.firstOnly {
			h.chain = -1
		} else {
			h.chain = h.idx.next[h.chain]
		}
		if steps++; steps%hashChunk == 0 {
			if err := t.Spend(hashChunk); err != nil {
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
	err := h.core.probe.Close()
	if berr := h.side.release(); err == nil {
		err = berr
	}
	return err
}

func (h *HashJoin) Describe() Description {
	return Description{Name: "HashJoin", Detail: describeJoin(h.core.typ, h.desc), Children: []Operator{h.core.probe, h.side.operator()}}
}
