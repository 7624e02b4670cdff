package binder

import (
	"fmt"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/types"
)

// exceptOrIntersectAll plans A EXCEPT ALL B and A INTERSECT ALL B with
// bag semantics over the cast inputs: B's rows tagged, both sides grouped
// by every column as the DISTINCT forms group them (NULLs equal), with
// the rows of the group (m + n) and B's rows (n) counted, and each
// group's row repeated max(m-n, 0) times (EXCEPT ALL) or min(m, n) times
// (INTERSECT ALL). One hash aggregate and a Repeat: the other known plan,
// row_number() over each side partitioned by every column and a semi or
// anti join on the columns and the number, sorts both sides and needs a
// join on which NULLs are equal.
func (b *binder) exceptOrIntersectAll(op string, ins []plan.Node, out []plan.Column) (plan.Node, error) {
	right := plan.Column{ID: b.newID(), Name: "__right", Type: types.Int64Type}
	tagged := make([]plan.Node, len(ins))
	for k, in := range ins {
		tag := expr.Null // a row of A: not counted by count(__right)
		if k == 1 {
			tag = expr.IntDatum(1)
		}
		tagged[k] = b.withTag(in, tag, "__right")
	}
	keys := columnRefs(out)
	rows := plan.Column{ID: b.newID(), Name: "__rows", Type: types.Int64Type}
	inB := plan.Column{ID: b.newID(), Name: "__in_right", Type: types.Int64Type}
	agg := &plan.Aggregate{
		Input: &plan.Union{Ins: tagged, Cols: append(append([]plan.Column(nil), out...), right)},
		Keys:  keys, KeyCols: out,
		Aggs:    []plan.AggCall{{Kind: operators.AggCountStar}, {Kind: operators.AggCount, Arg: right.Ref()}},
		AggCols: []plan.Column{rows, inB},
	}
	sub := func(l, r expr.Expr) expr.Expr {
		return &expr.Binary{Op: expr.OpSub, L: l, R: r, T: types.Int64Type}
	}
	inA := sub(rows.Ref(), inB.Ref())
	count := sub(inA, inB.Ref()) // EXCEPT ALL: m - n; Repeat skips what is not positive
	if op == "intersect" {
		least, err := b.call("least", []expr.Expr{inA, inB.Ref()})
		if err != nil {
			return nil, fmt.Errorf("INTERSECT ALL: %w", err)
		}
		count = least
	}
	times := plan.Column{ID: b.newID(), Name: "__times", Type: types.Int64Type}
	proj := &plan.Project{Input: agg}
	for _, c := range out {
		proj.Exprs = append(proj.Exprs, c.Ref())
		proj.Cols = append(proj.Cols, c)
	}
	proj.Exprs = append(proj.Exprs, count)
	proj.Cols = append(proj.Cols, times)
	return &plan.Repeat{Input: proj, Count: times}, nil
}
