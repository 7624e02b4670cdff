package operators

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// JoinType is the kind of join an operator performs. The probe side is the
// left input (streamed); the build side is the right input (materialised).
type JoinType int

const (
	JoinInner JoinType = iota
	// JoinLeft keeps every probe row, NULL-extending those with no match.
	JoinLeft
	// JoinSingle is JoinLeft where a probe row may match at most one build
	// row (scalar subqueries); a second match is an error.
	JoinSingle
	// JoinSemi returns each probe row that has a match, once.
	JoinSemi
	// JoinAnti returns each probe row that has no match.
	JoinAnti
	// JoinAntiNullAware is NOT IN: as JoinAnti, except that no row
	// qualifies when the build side has a NULL key, and a probe row with a
	// NULL key qualifies only when the build side is empty.
	JoinAntiNullAware
	// JoinMark returns every probe row with a boolean column: whether it
	// has a match (EXISTS as a value).
	JoinMark
	// JoinMarkNullAware is JoinMark with IN's rules: a row without a match
	// is NULL, not false, when its key is NULL or the build side has a NULL
	// key (unless the build side is empty).
	JoinMarkNullAware
	// JoinFull keeps every row of both inputs, NULL-extending those of
	// either side with no match. Only the build-outer operators run it
	// (join_buildfull.go): the unmatched build rows are known only once
	// every probe has finished.
	JoinFull
)

var joinTypeNames = [...]string{"Inner", "Left", "Single", "Semi", "Anti", "NullAwareAnti", "Mark", "NullAwareMark", "Full"}

func (j JoinType) isMark() bool { return j == JoinMark || j == JoinMarkNullAware }

// markSchema is the probe schema followed by the mark column.
func markSchema(probe *arrow.Schema, name string) *arrow.Schema {
	fields := append(append([]arrow.Field{}, probe.Fields()...), arrow.Field{Name: name, Type: arrow.FixedWidthTypes.Boolean, Nullable: true})
	return arrow.NewSchema(fields, nil)
}

func (j JoinType) String() string { return joinTypeNames[j] }

// emitsPairs reports whether the join outputs probe and build columns.
func (j JoinType) emitsPairs() bool { return j == JoinInner || j == JoinLeft || j == JoinSingle }

// pairSource generates candidate (probe row, build row) pairs for one probe
// batch; the hash join yields rows with equal keys, the nested loop all.
type pairSource interface {
	// start begins a probe batch.
	start(t *Task, probe arrow.Record) error
	// next appends up to max more candidate pairs; done is true when the
	// batch has no more.
	next(t *Task, probeIdx, buildIdx []int32, max int) (p, b []int32, done bool, err error)
}

// nullKeys is implemented by pair sources that know which probe rows of
// the current batch have a NULL key.
type nullKeys interface{ probeNullKeys() []bool }

// joinCore is the part of every join after candidate pairs are known: the
// residual condition, the bookkeeping of matched probe rows, and assembling
// output batches for each join type.
type joinCore struct {
	typ       JoinType
	probe     Operator
	schema    *arrow.Schema
	residual  expr.Evaluator // over the gathered columns; nil: none
	batchSize int
	pairs     pairSource

	// cols picks the columns assembled for each pair (gathered: those the
	// residual and the output need) and those emitted; the zero value is
	// every column of probe ++ build.
	cols     JoinColumns
	gathered *arrow.Schema

	build        *buildRows // the whole build side
	buildEmpty   bool
	buildNullKey bool // some build row has a NULL key (NOT IN)

	cur      arrow.Record // probe batch in progress
	matched  []bool       // per row of cur: some pair survived
	curDone  bool         // every pair of cur generated
	pIdx     []int32
	bIdx     []int32
	probeEOF bool
	// finishBatch's scratch, kept from one batch to the next: made anew,
	// a batch's 32 KiB of each was fresh memory to fault in (at threads=2
	// part of a 0.9-1.2 ms stretch).
	unmatched []int32 // the rows finishBatch emits
	noBuild   []int32 // -1s: a NULL build side for each of them
}

// JoinColumns lets a join copy only the columns its consumers read (the
// projection DataFusion's HashJoinExec carries): for a join of wide inputs
// under an aggregate, most columns are never gathered.
type JoinColumns struct {
	// Gather lists positions in probe ++ build columns to assemble for
	// each pair, in order; the residual condition is compiled over them.
	// Nil: all of them.
	Gather []int
	// Out lists positions in the gathered columns that the join emits
	// (types that emit pairs only). Nil: all gathered columns.
	Out []int
}

// setColumns configures the column selection and the schemas it implies.
func (j *joinCore) setColumns(cols JoinColumns, probe, build *arrow.Schema) {
	j.cols = cols
	full := joinedSchema(probe, build)
	j.gathered = pickFields(full, cols.Gather)
	switch {
	case j.typ.emitsPairs():
		j.schema = pickFields(j.gathered, cols.Out)
	case j.typ.isMark():
		j.schema = markSchema(probe, "mark")
	default:
		j.schema = probe
	}
}

// pickFields is the schema of the given fields (nil: all).
func pickFields(s *arrow.Schema, idx []int) *arrow.Schema {
	if idx == nil {
		return s
	}
	fields := make([]arrow.Field, len(idx))
	for i, k := range idx {
		fields[i] = s.Field(k)
	}
	return arrow.NewSchema(fields, nil)
}

// joinedSchema is probe columns followed by build columns.
func joinedSchema(probe, build *arrow.Schema) *arrow.Schema {
	fields := append(append([]arrow.Field{}, probe.Fields()...), build.Fields()...)
	for i := range fields {
		fields[i].Nullable = true
	}
	return arrow.NewSchema(fields, nil)
}

func (j *joinCore) next(t *Task) (arrow.Record, error) {
	for {
		if j.cur == nil {
			if j.probeEOF {
				return nil, nil
			}
			rec, err := j.probe.Next(t)
			if err != nil {
				return nil, err
			}
			if rec == nil {
				j.probeEOF = true
				return nil, nil
			}
			if err := t.Spend(int(rec.NumRows())); err != nil {
				rec.Release()
				return nil, err
			}
			j.cur, j.curDone = rec, false
			j.matched = grow(j.matched[:0], int(rec.NumRows()))
			clear(j.matched)
			if err := j.pairs.start(t, rec); err != nil {
				return nil, err
			}
		}
		if !j.curDone {
			out, err := j.pairChunk(t)
			if err != nil || out != nil {
				return out, err
			}
			continue
		}
		out, err := j.finishBatch(t)
		j.cur.Release()
		j.cur = nil
		if err != nil || out != nil {
			return out, err
		}
	}
}

// pairChunk processes one chunk of candidate pairs and returns the joined
// rows it produced, if the join type emits pairs.
func (j *joinCore) pairChunk(t *Task) (arrow.Record, error) {
	var err error
	if j.pIdx, err = reserve(t, j.pIdx[:0], j.batchSize); err != nil {
		return nil, err
	}
	if j.bIdx, err = reserve(t, j.bIdx[:0], j.batchSize); err != nil {
		return nil, err
	}
	p, b, done, err := j.pairs.next(t, j.pIdx, j.bIdx, j.batchSize)
	j.pIdx, j.bIdx = p, b
	if err != nil {
		return nil, err
	}
	j.curDone = done
	if len(p) == 0 {
		return nil, nil
	}
	if err := t.Spend(len(p)); err != nil {
		return nil, err
	}
	needJoined := j.residual != nil || j.typ.emitsPairs()
	if !needJoined { // semi/anti without residual: a candidate is a match
		for _, r := range p {
			j.matched[r] = true
		}
		return nil, nil
	}
	joined, err := j.gather(t, p, b, true)
	if err != nil {
		return nil, err
	}
	if j.residual != nil {
		// The residual reads the gathered columns; the output only some.
		v, err := j.residual.Eval(t, joined)
		if err != nil {
			joined.Release()
			return nil, err
		}
		mask := v.Arr
		if mask == nil { // a constant condition
			mask, err = expr.ConstArray(t.Alloc(), v.Const, types.BoolType, len(p))
			if err != nil {
				joined.Release()
				return nil, err
			}
			defer mask.Release()
		}
		sel := vector.Selection(mask, nil)
		v.Release()
		if len(sel) < len(p) {
			filtered := vector.TakeRecord(t.Alloc(), joined, sel)
			joined.Release()
			joined = filtered
			keep := make([]int32, len(sel))
			for i, s := range sel {
				keep[i] = p[s]
			}
			p = keep
		}
	}
	for _, r := range p {
		if j.typ == JoinSingle && j.matched[r] {
			joined.Release()
			return nil, sqlerr.New(sqlerr.ErrInvalidValue, "scalar subquery returned more than one row")
		}
		j.matched[r] = true
	}
	if !j.typ.emitsPairs() || joined.NumRows() == 0 {
		joined.Release()
		return nil, nil
	}
	return j.emit(joined), nil
}

// gather builds the batch of the gathered columns for pairs (p[i], b[i]);
// b[i] = -1 gives NULL build columns. With spend, it spends budget after
// each column: gathering 8192 pairs from a large build costs 100-300 ns a
// row, and a wide output went 2-3 ms between checks.
func (j *joinCore) gather(t *Task, p, b []int32, spend bool) (arrow.Record, error) {
	mem := t.Alloc()
	nprobe := int(j.cur.NumCols())
	take := func(k int) (arrow.Array, error) {
		if k < nprobe {
			return vector.Take(mem, j.cur.Column(k), p), nil
		}
		if !spend {
			return j.build.take(mem, k-nprobe, b), nil
		}
		return j.build.takeChecked(t, k-nprobe, b)
	}
	which := j.cols.Gather
	if which == nil {
		which = make([]int, nprobe+j.build.numCols())
		for k := range which {
			which[k] = k
		}
	}
	cols := make([]arrow.Array, len(which))
	for i, k := range which {
		var err error
		if cols[i], err = take(k); err == nil && spend {
			err = t.Spend(len(p))
		}
		if err != nil {
			for _, c := range cols[:i+1] {
				if c != nil {
					c.Release()
				}
			}
			return nil, err
		}
	}
	return vector.NewRecord(j.gathered, cols, len(p)), nil
}

// emit turns a gathered batch into an output batch (taking it over).
func (j *joinCore) emit(rec arrow.Record) arrow.Record {
	if j.cols.Out == nil {
		return rec
	}
	cols := make([]arrow.Array, len(j.cols.Out))
	for i, k := range j.cols.Out {
		cols[i] = rec.Column(k)
	}
	out := array.NewRecord(j.schema, cols, rec.NumRows())
	rec.Release()
	return out
}

// finishBatch emits what depends on all pairs of the batch: unmatched rows
// of a left join, the rows of a semi or anti join.
func (j *joinCore) finishBatch(t *Task) (arrow.Record, error) {
	sel := j.unmatched[:0]
	defer func() { j.unmatched = sel[:0] }()
	switch j.typ {
	case JoinInner:
		return nil, nil
	case JoinMark, JoinMarkNullAware:
		return j.markBatch(t), nil
	case JoinAntiNullAware:
		// NOT IN: nothing qualifies against a NULL in the list; a NULL on
		// the left qualifies only against an empty list.
		if j.buildNullKey && !j.buildEmpty {
			return nil, nil
		}
		nulls := j.pairs.(nullKeys).probeNullKeys()
		for r, m := range j.matched {
			if !m && (!nulls[r] || j.buildEmpty) {
				sel = append(sel, int32(r))
			}
		}
	case JoinLeft, JoinSingle, JoinAnti:
		for r, m := range j.matched {
			if !m {
				sel = append(sel, int32(r))
			}
		}
	case JoinSemi:
		for r, m := range j.matched {
			if m {
				sel = append(sel, int32(r))
			}
		}
	}
	if len(sel) == 0 {
		return nil, nil
	}
	if j.typ == JoinLeft || j.typ == JoinSingle {
		for len(j.noBuild) < len(sel) {
			j.noBuild = append(j.noBuild, -1)
		}
		none := j.noBuild[:len(sel)]
		// A batch's unmatched rows gathered with spends: at threads=2
		// the gather of 8192 NULL-extended rows went 1.1-2.8 ms between
		// two checks.
		joined, err := j.gather(t, sel, none, true)
		if err != nil {
			return nil, err
		}
		return j.emit(joined), nil
	}
	if len(sel) == int(j.cur.NumRows()) {
		j.cur.Retain()
		return j.cur, nil
	}
	return vector.TakeRecord(t.Alloc(), j.cur, sel), nil
}

// markBatch returns the probe batch with its mark column.
func (j *joinCore) markBatch(t *Task) arrow.Record {
	n := len(j.matched)
	mem := t.Alloc()
	vbuf, vals := vector.AllocBitmap(mem, n)
	var validity *memory.Buffer
	var valid []byte
	nulls := 0
	var nullKey []bool
	if j.typ == JoinMarkNullAware && !j.buildEmpty {
		nullKey = j.pairs.(nullKeys).probeNullKeys()
	}
	for r, m := range j.matched {
		switch {
		case m:
			vals[r>>3] |= 1 << (r & 7)
		case nullKey != nil && (nullKey[r] || j.buildNullKey):
			if validity == nil {
				validity, valid = vector.AllValid(mem, n)
			}
			valid[r>>3] &^= 1 << (r & 7)
			nulls++
		}
	}
	mark := vector.NewBoolArray(n, validity, nulls, vbuf)
	cols := append(append([]arrow.Array{}, j.cur.Columns()...), mark)
	rec := array.NewRecord(j.schema, cols, int64(n))
	mark.Release()
	return rec
}

// setBuild borrows the build side (its owner releases it).
func (j *joinCore) setBuild(b *builtSide) {
	j.build, j.buildEmpty, j.buildNullKey = b.rows, b.empty, b.nullKey
}

func (j *joinCore) close() {
	if j.cur != nil {
		j.cur.Release()
		j.cur = nil
	}
	j.build = nil
}

// loadBuild reads the whole build side into chunks (buildRows), spending
// budget as it pulls and copies.
func loadBuild(t *Task, build Operator, mem *opMemory, shift int) (*buildRows, error) {
	var recs []arrow.Record
	var held int64
	defer func() {
		for _, r := range recs {
			if r != nil { // newBuildRowsDropping gave up the copied ones
				r.Release()
			}
		}
	}()
	for {
		rec, err := build.Next(t)
		if err != nil {
			return nil, err
		}
		if rec == nil {
			break
		}
		recs = append(recs, rec)
		held += recordBytes(rec)
		mem.set(t, 0, held)
		if err := t.Spend(int(rec.NumRows())); err != nil {
			return nil, err
		}
	}
	return newBuildRowsDropping(t, build.Schema(), recs, shift)
}

func describeJoin(typ JoinType, detail string) string {
	if detail == "" {
		return typ.String()
	}
	return fmt.Sprintf("%s %s", typ, detail)
}
