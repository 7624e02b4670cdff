package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/vector"
)

// BuildLeftJoin is the top of a join that hashes its left input (see
// join_buildsemi.go and join_buildouter.go). Its child is its probes: one
// probe, or a Gather of them, sharing its BuildSide and BuildMatches.
//
// For a semi, anti or NOT IN join the probes return nothing; once they
// have all finished, it returns the left rows their marks select. For a
// LEFT or FULL join it passes on the pairs the probes return (a FULL
// join's probes add their unmatched rows) and then returns the left rows
// none of them matched, with NULLs for the right columns.
type BuildLeftJoin struct {
	typ     JoinType
	side    *BuildSide
	matches *BuildMatches
	probes  Operator
	schema  *arrow.Schema
	desc    string
	batch   int

	ready      bool
	probesDone bool
	built      *builtSide
	sel        []int32
	pos        int
	closed     bool
}

var _ Operator = (*BuildLeftJoin)(nil)

// NewBuildSemiJoin returns a semi, anti or NOT IN join over probes, which
// must mark matches in matches; side is the build side they share (this
// operator is one more of its users).
func NewBuildSemiJoin(typ JoinType, side *BuildSide, matches *BuildMatches, probes Operator, batchSize int, desc string) *BuildLeftJoin {
	return &BuildLeftJoin{typ: typ, side: side, matches: matches, probes: probes, schema: side.input.Schema(), batch: batchSize, desc: desc}
}

// NewBuildOuterJoin returns a LEFT join over BuildOuterProbe probes (whose
// schema, build ++ probe columns, is the join's).
func NewBuildOuterJoin(side *BuildSide, matches *BuildMatches, probes Operator, batchSize int, desc string) *BuildLeftJoin {
	return &BuildLeftJoin{typ: JoinLeft, side: side, matches: matches, probes: probes, schema: probes.Schema(), batch: batchSize, desc: desc}
}

func (j *BuildLeftJoin) Schema() *arrow.Schema { return j.schema }
func (j *BuildLeftJoin) Open(t *Task) error    { return j.probes.Open(t) }

func (j *BuildLeftJoin) Next(t *Task) (arrow.Record, error) {
	if !j.ready {
		// Build first, so that the probes find the bitmap sized.
		built, err := openBuild(t, j.side, j.matches)
		if err != nil {
			return nil, err
		}
		j.ready, j.built = true, built
	}
	for !j.probesDone {
		rec, err := j.probes.Next(t)
		if err != nil {
			return nil, err
		}
		if rec == nil {
			j.probesDone = true
			if err := j.selectRows(t); err != nil {
				return nil, err
			}
			break
		}
		if j.outer() {
			return rec, nil
		}
		rec.Release() // semi probes return no rows; be safe if one does
	}
	if j.pos >= len(j.sel) {
		return nil, nil
	}
	end := min(j.pos+j.batch, len(j.sel))
	if err := t.Spend(end - j.pos); err != nil {
		return nil, err
	}
	rows := j.sel[j.pos:end]
	j.pos = end
	build := j.built.rows
	cols, err := build.takeColumns(t, make([]arrow.Array, 0, j.schema.NumFields()), rows)
	if err != nil {
		return nil, err
	}
	for k := build.numCols(); k < j.schema.NumFields(); k++ {
		cols = append(cols, array.MakeArrayOfNull(t.Alloc(), j.schema.Field(k).Type, len(rows)))
	}
	return vector.NewRecord(j.schema, cols, len(rows)), nil
}

// outer reports whether the join returns pairs and then the unmatched
// build rows NULL-extended (LEFT and FULL), rather than build rows alone.
func (j *BuildLeftJoin) outer() bool { return j.typ == JoinLeft || j.typ == JoinFull }

// selectRows decides which build rows the join returns at the end.
func (j *BuildLeftJoin) selectRows(t *Task) error {
	n := j.built.rows.numRows()
	var nullKey []bool
	if j.typ == JoinAntiNullAware {
		// NOT IN: nothing qualifies when the list has a NULL; a NULL on
		// the left qualifies only against an empty list.
		if j.matches.probeNull.Load() {
			return nil
		}
		if j.matches.probeRows.Load() {
			nullKey = j.buildNullKeys()
		}
	}
	// Sized once: grown by append to a large selection, j.sel was copied
	// into fresh memory a dozen times between two checks (86 faults,
	// 1.3 ms, in q21's semi join).
	matched, err := j.matches.count(t)
	if err != nil {
		return err
	}
	keep := n - matched
	if j.typ == JoinSemi {
		keep = matched
	}
	if j.sel, err = reserve(t, j.sel[:0], keep); err != nil {
		return err
	}
	for r := 0; r < n; r++ {
		if r%hashChunk == hashChunk-1 {
			if err := t.Spend(hashChunk); err != nil {
				return err
			}
		}
		m := j.matches.matched(r)
		switch {
		case j.typ == JoinSemi && m,
			(j.typ == JoinAnti || j.outer()) && !m,
			j.typ == JoinAntiNullAware && !m && (nullKey == nil || !nullKey[r]):
			j.sel = append(j.sel, int32(r))
		}
	}
	return nil
}

// buildNullKeys marks the build rows with a NULL in a key column.
func (j *BuildLeftJoin) buildNullKeys() []bool {
	out := make([]bool, j.built.rows.numRows())
	for _, k := range j.side.keys {
		for ci, c := range j.built.rows.column(k) {
			if c.NullN() == 0 {
				continue
			}
			base := ci << j.built.rows.shift
			for r := range c.Len() {
				out[base+r] = out[base+r] || c.IsNull(r)
			}
		}
	}
	return out
}

func (j *BuildLeftJoin) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	return closeWithSide(j.probes, j.side)
}

func (j *BuildLeftJoin) Describe() Description {
	name := "HashJoin"
	if j.side.keys == nil {
		name = "NestedLoopJoin" // a FULL JOIN without equality keys
	}
	detail := describeJoin(j.typ, j.desc)
	if j.typ != JoinFull { // a FULL join hashes either input: its children show which
		detail += " (build left)"
	}
	return Description{Name: name, Detail: detail,
		Children: []Operator{j.probes, j.side.operator()}}
}
