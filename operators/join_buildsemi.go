package operators

import (
	"math/bits"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/vector"
)

// A semi or anti join whose left input (the rows it returns) is much
// smaller than its right input is cheaper the other way round: build the
// hash table on the left rows, stream the right input through it marking
// the left rows that match, and at the end return the marked (semi) or
// unmarked (anti) left rows. DuckDB calls these RIGHT SEMI and RIGHT ANTI
// joins. TPC-H Q4 builds 57 thousand orders instead of 3.8 million line
// items this way.
//
// The work is split in two operators so the probing can run on parallel
// workers: BuildSemiProbe instances probe (one per worker, behind a
// Gather) and mark matches in a BuildMatches shared through atomic
// operations; BuildLeftJoin (join_buildleft.go) drains them and then
// emits the left rows.

// BuildMatches records which build rows matched, shared by the probes.
type BuildMatches struct {
	once      sync.Once
	bits      []atomic.Uint32 // one bit per build row
	probeRows atomic.Bool     // the probe side had a row
	probeNull atomic.Bool     // the probe side had a NULL key (NOT IN)
}

// init sizes the bitmap; every user calls it once the build is done.
func (m *BuildMatches) init(rows int) {
	m.once.Do(func() { m.bits = make([]atomic.Uint32, (rows+31)/32) })
}

func (m *BuildMatches) mark(r int32) {
	w := &m.bits[r>>5]
	bit := uint32(1) << (r & 31)
	if w.Load()&bit == 0 {
		w.Or(bit)
	}
}

func (m *BuildMatches) matched(r int) bool { return m.bits[r>>5].Load()&(1<<(r&31)) != 0 }

// count returns how many build rows matched, once the probes are done.
func (m *BuildMatches) count(t *Task) (int, error) {
	const words = 8 * hashChunk // 512K rows, 10-20 µs of counting
	n := 0
	for i := range m.bits {
		n += bits.OnesCount32(m.bits[i].Load())
		if i%words == words-1 {
			if err := t.Spend(hashChunk); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// BuildSemiProbe probes a shared build side with its input and marks the
// build rows that match; it returns no rows.
type BuildSemiProbe struct {
	side      *BuildSide
	matches   *BuildMatches
	probe     Operator
	probeKeys []int
	residual  expr.Evaluator // over build columns ++ probe columns
	gather    []int          // the columns the residual reads, in that layout
	batchSize int

	ready  bool
	built  *builtSide
	scr    hashtab.Probe
	gids   []int32
	bIdx   []int32
	pIdx   []int32
	sel    []int32
	closed bool
}

var _ Operator = (*BuildSemiProbe)(nil)

// NewBuildSemiProbe returns one probing instance. gather lists the
// positions, in build ++ probe columns, of the columns the residual reads
// (nil: all); the residual is compiled over them in that order.
func NewBuildSemiProbe(side *BuildSide, matches *BuildMatches, probe Operator, probeKeys []int, residual expr.Evaluator, gather []int, batchSize int) *BuildSemiProbe {
	return &BuildSemiProbe{side: side, matches: matches, probe: probe, probeKeys: probeKeys,
		residual: residual, gather: gather, batchSize: batchSize}
}

func (p *BuildSemiProbe) Schema() *arrow.Schema { return p.side.input.Schema() }
func (p *BuildSemiProbe) Open(t *Task) error    { return p.probe.Open(t) }

func (p *BuildSemiProbe) Next(t *Task) (arrow.Record, error) {
	if !p.ready {
		built, err := openBuild(t, p.side, p.matches)
		if err != nil {
			return nil, err
		}
		p.ready, p.built = true, built
		if built.empty {
			return nil, nil // nothing to mark: the probe side need not be read
		}
	}
	for {
		rec, err := p.probe.Next(t)
		if err != nil || rec == nil {
			return nil, err
		}
		err = p.probeBatch(t, rec)
		rec.Release()
		if err != nil {
			return nil, err
		}
	}
}

// probeBatch marks the build rows matching the rows of one probe batch.
func (p *BuildSemiProbe) probeBatch(t *Task, rec arrow.Record) error {
	n := int(rec.NumRows())
	if n == 0 {
		return nil
	}
	if err := t.Spend(n); err != nil {
		return err
	}
	p.matches.probeRows.Store(true)
	cols := make([]arrow.Array, len(p.probeKeys))
	for i, k := range p.probeKeys {
		cols[i] = rec.Column(k)
		if cols[i].NullN() > 0 {
			p.matches.probeNull.Store(true)
		}
	}
	p.gids = grow(p.gids[:0], n)
	if err := findChunked(t, p.built.hash.table, &p.scr, cols, p.gids); err != nil {
		return err
	}
	idx := p.built.hash
	steps := 0
	for i, g := range p.gids {
		if g < 0 {
			continue
		}
		for r := idx.heads.Get(int(g)); r >= 0; r = idx.next.Get(int(r)) {
			if p.residual == nil {
				p.matches.mark(r)
			} else {
				p.bIdx = append(p.bIdx, r)
				p.pIdx = append(p.pIdx, int32(i))
				if len(p.bIdx) >= p.batchSize {
					if err := p.checkPairs(t, rec); err != nil {
						return err
					}
				}
			}
			if steps++; steps%missChunk == 0 {
				if err := t.Spend(missChunk * missUnits); err != nil {
					return err
				}
			}
		}
	}
	if len(p.bIdx) > 0 {
		return p.checkPairs(t, rec)
	}
	return nil
}

// checkPairs evaluates the residual on the pending candidate pairs and
// marks the build rows of those that pass.
func (p *BuildSemiProbe) checkPairs(t *Task, rec arrow.Record) error {
	defer func() { p.bIdx, p.pIdx = p.bIdx[:0], p.pIdx[:0] }()
	if err := t.Spend(len(p.bIdx)); err != nil {
		return err
	}
	sel, err := residualPasses(t, p.residual, p.built.rows, rec, p.gather, p.bIdx, p.pIdx, p.sel)
	p.sel = sel
	if err != nil {
		return err
	}
	for _, s := range sel {
		p.matches.mark(p.bIdx[s])
	}
	return nil
}

// residualPasses evaluates residual on the pairs (build row bIdx[i], row
// pIdx[i] of rec), over the columns gather lists in build ++ probe order
// (nil: all of them), and returns in sel[:0] the positions of the pairs
// that pass.
func residualPasses(t *Task, residual expr.Evaluator, build *buildRows, rec arrow.Record, gather []int, bIdx, pIdx, sel []int32) ([]int32, error) {
	sel = sel[:0]
	nb := build.numCols()
	if gather == nil {
		for k := range nb + int(rec.NumCols()) {
			gather = append(gather, k)
		}
	}
	cols := make([]arrow.Array, 0, len(gather))
	fields := make([]arrow.Field, len(gather))
	for i, k := range gather {
		var c arrow.Array
		if k < nb {
			var err error
			if c, err = build.takeChecked(t, k, bIdx); err != nil {
				releaseArrays(cols)
				return sel, err
			}
			fields[i] = build.schema.Field(k)
		} else {
			c, fields[i] = vector.Take(t.Alloc(), rec.Column(k-nb), pIdx), rec.Schema().Field(k-nb)
		}
		cols = append(cols, c)
	}
	joined := vector.NewRecord(arrow.NewSchema(fields, nil), cols, len(bIdx))
	defer joined.Release()
	v, err := residual.Eval(t, joined)
	if err != nil {
		return sel, err
	}
	defer v.Release()
	if v.IsConst() {
		if v.Const.Valid && v.Const.Bool() {
			for i := range bIdx {
				sel = append(sel, int32(i))
			}
		}
		return sel, nil
	}
	return vector.Selection(v.Arr, sel), nil
}

func (p *BuildSemiProbe) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	return closeWithSide(p.probe, p.side)
}

func (p *BuildSemiProbe) Describe() Description {
	return Description{Name: "BuildSemiProbe", Children: []Operator{p.probe}}
}
