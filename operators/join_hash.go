package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/types"
)

// HashJoin joins on equal keys: it reads the build (right) input into one
// record and a hash table from key to a chain of build rows, then streams
// the probe (left) input. Building spends budget per batch pulled, per
// chunk copied and per hash-table growth step; probing spends per
// candidate pair, so a residual condition that rejects nearly everything
// still lets a cancel through.
type HashJoin struct {
	core      joinCore
	build     Operator
	probeKeys []int
	buildKeys []int
	desc      string

	table     *hashtab.Table
	heads     []int32 // group -> first build row
	chainNext []int32 // build row -> next row of the same group, -1 at the end
	built     bool

	// per probe batch
	gids      []int32
	nullKey   []bool
	row       int   // next probe row to expand
	chain     int32 // next build row of the current probe row's chain, -1 none
	firstOnly bool  // semi/anti without residual: one candidate per row is enough
}

var _ Operator = (*HashJoin)(nil)

// NewHashJoin joins probe and build on probeKeys[i] = buildKeys[i], with an
// optional residual condition over probe columns ++ build columns.
func NewHashJoin(typ JoinType, probe, build Operator, probeKeys, buildKeys []int, residual expr.Evaluator, batchSize int, desc string) *HashJoin {
	h := &HashJoin{build: build, probeKeys: probeKeys, buildKeys: buildKeys, desc: desc}
	h.core = joinCore{typ: typ, probe: probe, residual: residual, batchSize: batchSize, pairs: h}
	if typ.emitsPairs() {
		h.core.schema = joinedSchema(probe.Schema(), build.Schema())
	} else if typ.isMark() {
		h.core.schema = markSchema(probe.Schema(), "mark")
	} else {
		h.core.schema = probe.Schema()
	}
	h.firstOnly = !typ.emitsPairs() && residual == nil
	return h
}

func (h *HashJoin) Schema() *arrow.Schema { return h.core.schema }

func (h *HashJoin) Open(t *Task) error {
	if err := h.core.probe.Open(t); err != nil {
		return err
	}
	return h.build.Open(t)
}

func (h *HashJoin) buildTable(t *Task) error {
	rec, err := loadBuild(t, h.build)
	if err != nil {
		return err
	}
	h.core.build = rec
	n := int(rec.NumRows())
	h.core.buildEmpty = n == 0
	kt := make([]types.T, len(h.buildKeys))
	cols := make([]arrow.Array, len(h.buildKeys))
	for i, k := range h.buildKeys {
		cols[i] = rec.Column(k)
		kt[i] = types.MustFromArrow(cols[i].DataType())
		h.core.buildNullKey = h.core.buildNullKey || cols[i].NullN() > 0
	}
	h.table = hashtab.New(kt)
	h.chainNext = make([]int32, n)
	tails := []int32(nil)
	gids := make([]int32, min(n, hashChunk))
	for start := 0; start < n; start += hashChunk {
		end := min(start+hashChunk, n)
		chunk := make([]arrow.Array, len(cols))
		for i, c := range cols {
			chunk[i] = sliceArray(c, start, end)
		}
		_, err := h.table.FindOrInsert(t, chunk, gids[:end-start])
		for _, c := range chunk {
			c.Release()
		}
		if err != nil {
			return err
		}
		for len(h.heads) < h.table.Len() {
			h.heads = append(h.heads, -1)
			tails = append(tails, -1)
		}
		// Chain rows in insertion order so output order is stable.
		for i, g := range gids[:end-start] {
			r := int32(start + i)
			h.chainNext[r] = -1
			if tails[g] < 0 {
				h.heads[g] = r
			} else {
				h.chainNext[tails[g]] = r
			}
			tails[g] = r
		}
		if err := t.Spend(end - start); err != nil {
			return err
		}
	}
	return nil
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
	h.table.Find(cols, h.gids)
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
			h.chain = h.heads[g]
		}
		r := int32(h.row - 1)
		p = append(p, r)
		b = append(b, h.chain)
		if h.firstOnly {
			h.chain = -1
		} else {
			h.chain = h.chainNext[h.chain]
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
	if !h.built {
		h.built = true
		if err := h.buildTable(t); err != nil {
			return nil, err
		}
		if h.core.buildEmpty && (h.core.typ == JoinInner || h.core.typ == JoinSemi) {
			return nil, nil // nothing can match; do not read the probe side
		}
	}
	return h.core.next(t)
}

func (h *HashJoin) Close() error {
	h.core.close()
	h.table, h.heads, h.chainNext = nil, nil, nil
	err := h.core.probe.Close()
	if berr := h.build.Close(); err == nil {
		err = berr
	}
	return err
}

func (h *HashJoin) Describe() Description {
	return Description{Name: "HashJoin", Detail: describeJoin(h.core.typ, h.desc), Children: []Operator{h.core.probe, h.build}}
}
