package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
)

// NestedLoopJoin joins every probe row with every build row, keeping the
// pairs that satisfy its condition: cross joins and joins without an
// equality. Pairs are generated and filtered a chunk at a time, spending
// budget per pair, so a condition that rejects everything stays
// cancellable.
type NestedLoopJoin struct {
	core   joinCore
	side   *BuildSide
	desc   string
	ready  bool
	closed bool

	n, m     int // probe rows, build rows
	row, col int // next pair
}

var _ Operator = (*NestedLoopJoin)(nil)

// NewNestedLoopJoin returns a nested-loop join with an optional condition.
func NewNestedLoopJoin(typ JoinType, probe, build Operator, cond expr.Evaluator, batchSize int, desc string) *NestedLoopJoin {
	return NewNestedLoopJoinShared(typ, probe, NewBuildSide(build, nil, 1), cond, batchSize, desc)
}

// NewNestedLoopJoinShared is one of several parallel instances over a
// shared build side.
func NewNestedLoopJoinShared(typ JoinType, probe Operator, side *BuildSide, cond expr.Evaluator, batchSize int, desc string) *NestedLoopJoin {
	j := &NestedLoopJoin{side: side, desc: desc}
	j.core = joinCore{typ: typ, probe: probe, residual: cond, batchSize: batchSize, pairs: j}
	j.core.setColumns(JoinColumns{}, probe.Schema(), side.input.Schema())
	return j
}

// Project makes the join gather and emit only some columns (see
// JoinColumns); the condition must have been compiled over cols.Gather.
func (j *NestedLoopJoin) Project(cols JoinColumns) *NestedLoopJoin {
	j.core.setColumns(cols, j.core.probe.Schema(), j.side.input.Schema())
	return j
}

func (j *NestedLoopJoin) Schema() *arrow.Schema { return j.core.schema }
func (j *NestedLoopJoin) Open(t *Task) error    { return j.core.probe.Open(t) }

func (j *NestedLoopJoin) start(_ *Task, probe arrow.Record) error {
	j.n, j.m = int(probe.NumRows()), j.core.build.numRows()
	j.row, j.col = 0, 0
	return nil
}

// probeNullKeys: a nested loop has no keys; NOT IN always has an equality
// and runs as a hash join.
func (j *NestedLoopJoin) probeNullKeys() []bool { return make([]bool, j.n) }

func (j *NestedLoopJoin) next(t *Task, p, b []int32, max int) ([]int32, []int32, bool, error) {
	if j.m == 0 {
		return p, b, true, nil
	}
	firstOnly := !j.core.typ.emitsPairs() && j.core.residual == nil
	for len(p) < max && j.row < j.n {
		p = append(p, int32(j.row))
		b = append(b, int32(j.col))
		j.col++
		if j.col == j.m || firstOnly {
			j.row, j.col = j.row+1, 0
		}
	}
	return p, b, j.row >= j.n, nil
}

func (j *NestedLoopJoin) Next(t *Task) (arrow.Record, error) {
	if !j.ready {
		built, err := j.side.get(t)
		if err != nil {
			return nil, err
		}
		j.ready = true
		j.core.setBuild(built)
		if built.empty && (j.core.typ == JoinInner || j.core.typ == JoinSemi) {
			j.core.probeEOF = true
		}
	}
	return j.core.next(t)
}

func (j *NestedLoopJoin) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	j.core.close()
	return closeWithSide(j.core.probe, j.side)
}

func (j *NestedLoopJoin) Describe() Description {
	return Description{Name: "NestedLoopJoin", Detail: describeJoin(j.core.typ, j.desc), Children: []Operator{j.core.probe, j.side.operator()}}
}
