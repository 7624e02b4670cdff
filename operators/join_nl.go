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
	core  joinCore
	build Operator
	desc  string
	built bool

	n, m     int // probe rows, build rows
	row, col int // next pair
}

var _ Operator = (*NestedLoopJoin)(nil)

// NewNestedLoopJoin returns a nested-loop join with an optional condition.
func NewNestedLoopJoin(typ JoinType, probe, build Operator, cond expr.Evaluator, batchSize int, desc string) *NestedLoopJoin {
	j := &NestedLoopJoin{build: build, desc: desc}
	j.core = joinCore{typ: typ, probe: probe, residual: cond, batchSize: batchSize, pairs: j}
	if typ.emitsPairs() {
		j.core.schema = joinedSchema(probe.Schema(), build.Schema())
	} else if typ.isMark() {
		j.core.schema = markSchema(probe.Schema(), "mark")
	} else {
		j.core.schema = probe.Schema()
	}
	return j
}

func (j *NestedLoopJoin) Schema() *arrow.Schema { return j.core.schema }

func (j *NestedLoopJoin) Open(t *Task) error {
	if err := j.core.probe.Open(t); err != nil {
		return err
	}
	return j.build.Open(t)
}

func (j *NestedLoopJoin) start(_ *Task, probe arrow.Record) error {
	j.n, j.m = int(probe.NumRows()), int(j.core.build.NumRows())
	j.row, j.col = 0, 0
	return nil
}

// probeNullKeys: a nested loop has no keys; NOT IN never plans one.
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
	if !j.built {
		j.built = true
		rec, err := loadBuild(t, j.build)
		if err != nil {
			return nil, err
		}
		j.core.build = rec
		j.core.buildEmpty = rec.NumRows() == 0
		if j.core.buildEmpty && (j.core.typ == JoinInner || j.core.typ == JoinSemi) {
			return nil, nil
		}
	}
	return j.core.next(t)
}

func (j *NestedLoopJoin) Close() error {
	j.core.close()
	err := j.core.probe.Close()
	if berr := j.build.Close(); err == nil {
		err = berr
	}
	return err
}

func (j *NestedLoopJoin) Describe() Description {
	return Description{Name: "NestedLoopJoin", Detail: describeJoin(j.core.typ, j.desc), Children: []Operator{j.core.probe, j.build}}
}
