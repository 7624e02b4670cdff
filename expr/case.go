package expr

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// caseEval evaluates a searched CASE. Each WHEN is evaluated only on the
// rows no earlier WHEN has claimed, and each THEN only on its own rows;
// the pieces are then put back in row order with one gather.
type caseEval struct {
	conds, thens []Evaluator
	els          Evaluator // nil: NULL
	cols         []int     // input columns any part reads
	t            types.T
}

func compileCase(e *Case) (Evaluator, error) {
	c := &caseEval{t: e.T, cols: columnsOf(e)}
	for _, w := range e.Whens {
		cond, err := Compile(w.Cond)
		if err != nil {
			return nil, err
		}
		then, err := Compile(w.Then)
		if err != nil {
			return nil, err
		}
		c.conds = append(c.conds, cond)
		c.thens = append(c.thens, then)
	}
	if e.Else != nil {
		els, err := Compile(e.Else)
		if err != nil {
			return nil, err
		}
		c.els = els
	}
	return c, nil
}

func (c *caseEval) Type() types.T { return c.t }

func (c *caseEval) Eval(env Env, batch arrow.Record) (Vec, error) {
	n := int(batch.NumRows())
	mem := env.Alloc()
	remaining := make([]int32, n) // rows not claimed by any WHEN yet
	for i := range remaining {
		remaining[i] = int32(i)
	}
	perm := make([]int32, n) // row -> position in the concatenated pieces
	for i := range perm {
		perm[i] = -1
	}
	var pieces []arrow.Array
	defer func() {
		for _, p := range pieces {
			p.Release()
		}
	}()
	pos := int32(0)
	var sel, rest []int32
	for w := 0; w < len(c.conds) && len(remaining) > 0; w++ {
		cond, err := evalOn(env, c.conds[w], batch, remaining, c.cols)
		if err != nil {
			return Vec{}, err
		}
		sel = vector.Selection(cond, sel)
		cond.Release()
		if len(sel) == 0 {
			continue
		}
		rows := make([]int32, len(sel))
		rest = rest[:0]
		k := 0
		for i, r := range remaining {
			if k < len(sel) && int(sel[k]) == i {
				rows[k] = r
				k++
			} else {
				rest = append(rest, r)
			}
		}
		remaining, rest = rest, remaining
		piece, err := evalOn(env, c.thens[w], batch, rows, c.cols)
		if err != nil {
			return Vec{}, err
		}
		pieces = append(pieces, piece)
		for _, r := range rows {
			perm[r] = pos
			pos++
		}
	}
	if c.els != nil && len(remaining) > 0 {
		piece, err := evalOn(env, c.els, batch, remaining, c.cols)
		if err != nil {
			return Vec{}, err
		}
		pieces = append(pieces, piece)
		for _, r := range remaining {
			perm[r] = pos
			pos++
		}
	}
	if err := env.Spend(n); err != nil {
		return Vec{}, err
	}
	if len(pieces) == 0 {
		return Vec{}, nil // every row NULL
	}
	for i, p := range pieces { // NULL-typed pieces come from ELSE NULL and friends
		if p.DataType().ID() != c.t.Arrow().ID() {
			pieces[i] = NullArray(mem, c.t, p.Len())
			p.Release()
		}
	}
	all := pieces[0]
	if len(pieces) > 1 {
		cat, err := array.Concatenate(pieces, mem)
		if err != nil {
			return Vec{}, internalf("CASE: %v", err)
		}
		defer cat.Release()
		all = cat
	}
	return Vec{Arr: vector.Take(mem, all, perm)}, nil
}
