package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/vector"
)

// A LEFT JOIN whose left input (the rows it keeps) is much smaller than
// its right input is cheaper the other way round, as for semi joins (see
// join_buildsemi.go): hash the left rows, stream the right input through
// them emitting the joined pairs and marking the left rows that matched,
// and at the end emit the unmarked left rows with NULLs for the right
// columns. DuckDB calls this a RIGHT OUTER join. TPC-H Q13 keeps 150
// thousand customers and joins 1.5 million orders: the hash table holds
// the customers instead of the orders.
//
// BuildOuterProbe instances (one per worker, behind a Gather) emit the
// pairs and mark matches in a shared BuildMatches; a BuildLeftJoin
// (join_buildleft.go) passes their output on and then emits the unmatched
// left rows. Both output the build (left) columns followed by the probe
// (right) columns.

// BuildOuterProbe probes a shared build side with its input, returns the
// joined pairs and marks the build rows that matched.
type BuildOuterProbe struct {
	side      *BuildSide
	matches   *BuildMatches
	probe     Operator
	probeKeys []int
	residual  expr.Evaluator // over build columns ++ probe columns
	gather    []int          // the columns the residual reads, in that layout
	schema    *arrow.Schema  // build ++ probe
	batchSize int

	ready bool
	built *builtSide
	scr   hashtab.Probe
	gids  []int32
	cur   arrow.Record // probe batch in progress
	row   int          // its next row
	chain int32        // the next build row of row's chain, or -1
	bIdx  []int32
	pIdx  []int32
	sel   []int32

	// FULL JOIN (join_buildfull.go): the probe rows no pair of cur kept
	// are returned too, NULL-extended, once cur's pairs are out.
	full   bool
	pmatch []bool // per row of cur: some pair passed the residual
	tail   bool   // cur's pairs are out; its unmatched rows are next

	closed bool
}

var _ Operator = (*BuildOuterProbe)(nil)

// NewBuildOuterProbe returns one probing instance; gather and residual are
// as for NewBuildSemiProbe.
func NewBuildOuterProbe(side *BuildSide, matches *BuildMatches, probe Operator, probeKeys []int, residual expr.Evaluator, gather []int, batchSize int) *BuildOuterProbe {
	return &BuildOuterProbe{side: side, matches: matches, probe: probe, probeKeys: probeKeys, residual: residual,
		gather: gather, batchSize: batchSize, schema: joinedSchema(side.input.Schema(), probe.Schema()), chain: -1}
}

func (p *BuildOuterProbe) Schema() *arrow.Schema { return p.schema }
func (p *BuildOuterProbe) Open(t *Task) error    { return p.probe.Open(t) }

func (p *BuildOuterProbe) Next(t *Task) (arrow.Record, error) {
	if !p.ready {
		built, err := openBuild(t, p.side, p.matches)
		if err != nil {
			return nil, err
		}
		p.ready, p.built = true, built
		if built.empty && !p.full {
			return nil, nil // no left row: no pair, and nothing to mark
		}
	}
	for {
		if p.cur == nil {
			rec, err := p.probe.Next(t)
			if err != nil || rec == nil {
				return nil, err
			}
			if err := p.start(t, rec); err != nil {
				rec.Release()
				return nil, err
			}
		}
		if p.tail {
			out, err := p.unmatched(t)
			p.cur.Release()
			p.cur, p.tail = nil, false
			if err != nil || out != nil {
				return out, err
			}
			continue
		}
		done, err := p.fill(t)
		if err != nil {
			return nil, err
		}
		out, err := p.emit(t)
		switch {
		case done && p.full:
			p.tail = true
		case done:
			p.cur.Release()
			p.cur = nil
		}
		if err != nil || out != nil {
			return out, err
		}
	}
}

// start looks up the keys of a new probe batch, which it takes over
// unless it fails.
func (p *BuildOuterProbe) start(t *Task, rec arrow.Record) error {
	n := int(rec.NumRows())
	if err := t.Spend(n); err != nil {
		return err
	}
	if p.built.hash != nil && !p.built.empty { // else a nested loop, or nothing to find
		cols := make([]arrow.Array, len(p.probeKeys))
		for i, k := range p.probeKeys {
			cols[i] = rec.Column(k)
		}
		p.gids = grow(p.gids[:0], n)
		if err := findChunked(t, p.built.hash.table, &p.scr, cols, p.gids); err != nil {
			return err
		}
	}
	var err error
	if p.bIdx, err = reserve(t, p.bIdx, p.batchSize); err != nil {
		return err
	}
	if p.pIdx, err = reserve(t, p.pIdx, p.batchSize); err != nil {
		return err
	}
	p.cur, p.row, p.chain = rec, 0, -1
	if p.full {
		p.pmatch = grow(p.pmatch[:0], n)
		clear(p.pmatch)
	}
	return nil
}

// fill appends candidate pairs of the current batch, at most batchSize,
// and reports whether the batch has no more.
func (p *BuildOuterProbe) fill(t *Task) (bool, error) {
	if p.built.empty {
		return true, nil // only a full join reads its probe side then
	}
	if p.built.hash == nil {
		return p.fillAll(t)
	}
	idx := p.built.hash
	n := int(p.cur.NumRows())
	steps := 0
	for p.row < n {
		if p.chain < 0 {
			g := p.gids[p.row]
			if g < 0 {
				p.row++
				continue
			}
			p.chain = idx.heads.Get(int(g))
		}
		for p.chain >= 0 {
			if len(p.bIdx) >= p.batchSize {
				return false, nil
			}
			p.bIdx = append(p.bIdx, p.chain)
			p.pIdx = append(p.pIdx, int32(p.row))
			p.chain = idx.next.Get(int(p.chain))
			if steps++; steps%missChunk == 0 {
				if err := t.Spend(missChunk * missUnits); err != nil {
					return false, err
				}
			}
		}
		p.row++
	}
	return true, nil
}

// emit returns the pending pairs that pass the residual, marking their
// build rows, or nil when none does.
func (p *BuildOuterProbe) emit(t *Task) (arrow.Record, error) {
	defer func() { p.bIdx, p.pIdx = p.bIdx[:0], p.pIdx[:0] }()
	if len(p.bIdx) == 0 {
		return nil, nil
	}
	if err := t.Spend(len(p.bIdx)); err != nil {
		return nil, err
	}
	bIdx, pIdx := p.bIdx, p.pIdx
	if p.residual != nil {
		keep, err := p.check(t)
		if err != nil {
			return nil, err
		}
		if len(keep) == 0 {
			return nil, nil
		}
		if len(keep) < len(bIdx) {
			b, q := make([]int32, len(keep)), make([]int32, len(keep))
			for i, s := range keep {
				b[i], q[i] = bIdx[s], pIdx[s]
			}
			bIdx, pIdx = b, q
		}
	}
	for _, r := range bIdx {
		p.matches.mark(r)
	}
	if p.full {
		for _, r := range pIdx {
			p.pmatch[r] = true
		}
	}
	cols, err := p.built.rows.takeColumns(t, make([]arrow.Array, 0, p.schema.NumFields()), bIdx)
	if err != nil {
		return nil, err
	}
	for _, c := range p.cur.Columns() {
		cols = append(cols, vector.Take(t.Alloc(), c, pIdx))
	}
	return vector.NewRecord(p.schema, cols, len(bIdx)), nil
}

// check evaluates the residual on the pending pairs and returns the
// positions of those that pass.
func (p *BuildOuterProbe) check(t *Task) ([]int32, error) {
	sel, err := residualPasses(t, p.residual, p.built.rows, p.cur, p.gather, p.bIdx, p.pIdx, p.sel)
	p.sel = sel
	return sel, err
}

func (p *BuildOuterProbe) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	if p.cur != nil {
		p.cur.Release()
		p.cur = nil
	}
	return closeWithSide(p.probe, p.side)
}

func (p *BuildOuterProbe) Describe() Description {
	return Description{Name: "BuildOuterProbe", Children: []Operator{p.probe}}
}
