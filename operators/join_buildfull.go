package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/vector"
)

// A FULL JOIN is the build-outer LEFT JOIN (join_buildouter.go) with one
// more duty for each probe: after the pairs of a probe batch, it returns
// the batch's rows that no pair kept (none with an equal key, or every
// candidate rejected by the residual), with NULLs for the build columns.
// The unmatched build rows come last, from BuildLeftJoin, once every
// probe has marked its matches. Without equality keys the probes pair
// every probe row with every build row (a nested loop), spending budget
// per pair as the hash probe does per chain step.

// NewBuildFullProbe returns one probing instance of a FULL JOIN; nil
// probeKeys (and a side without keys) make it a nested loop. The rest is
// as for NewBuildOuterProbe.
func NewBuildFullProbe(side *BuildSide, matches *BuildMatches, probe Operator, probeKeys []int, residual expr.Evaluator, gather []int, batchSize int) *BuildOuterProbe {
	p := NewBuildOuterProbe(side, matches, probe, probeKeys, residual, gather, batchSize)
	p.full = true
	return p
}

// NewBuildFullJoin returns a FULL JOIN over BuildFullProbe probes (whose
// schema, build ++ probe columns, is the join's).
func NewBuildFullJoin(side *BuildSide, matches *BuildMatches, probes Operator, batchSize int, desc string) *BuildLeftJoin {
	j := NewBuildOuterJoin(side, matches, probes, batchSize, desc)
	j.typ = JoinFull
	return j
}

// fillAll is fill for a nested loop: the candidates of a probe row are
// all the build rows, p.chain the next of them (-1: the row has not
// started).
func (p *BuildOuterProbe) fillAll(t *Task) (bool, error) {
	n, m := int(p.cur.NumRows()), p.built.rows.numRows()
	steps := 0
	for p.row < n {
		if p.chain < 0 {
			p.chain = 0
		}
		for int(p.chain) < m {
			if len(p.bIdx) >= p.batchSize {
				return false, nil
			}
			p.bIdx = append(p.bIdx, p.chain)
			p.pIdx = append(p.pIdx, int32(p.row))
			p.chain++
			if steps++; steps%hashChunk == 0 {
				if err := t.Spend(hashChunk); err != nil {
					return false, err
				}
			}
		}
		p.row, p.chain = p.row+1, -1
	}
	return true, nil
}

// unmatched returns the rows of the current probe batch that no pair
// kept, with NULL build columns, or nil when every row matched.
func (p *BuildOuterProbe) unmatched(t *Task) (arrow.Record, error) {
	n := int(p.cur.NumRows())
	if err := t.Spend(n); err != nil {
		return nil, err
	}
	sel := p.sel[:0]
	for r, m := range p.pmatch[:n] {
		if !m {
			sel = append(sel, int32(r))
		}
	}
	p.sel = sel
	if len(sel) == 0 {
		return nil, nil
	}
	nb := p.built.rows.numCols()
	cols := make([]arrow.Array, 0, p.schema.NumFields())
	for k := range nb {
		cols = append(cols, array.MakeArrayOfNull(t.Alloc(), p.schema.Field(k).Type, len(sel)))
	}
	for _, c := range p.cur.Columns() {
		if len(sel) == n {
			c.Retain() // NewRecord takes over a reference
			cols = append(cols, c)
		} else {
			cols = append(cols, vector.Take(t.Alloc(), c, sel))
		}
	}
	return vector.NewRecord(p.schema, cols, len(sel)), nil
}
