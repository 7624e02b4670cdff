package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/paged"
)

// selUpdater is an accumulator that can read a selection's rows of its
// argument in place (see selection.go); the others get the rows copied.
type selUpdater interface {
	// updateSel folds arg's rows sel[i] into groups gids[i], or reports
	// false, having changed nothing, when it cannot for this batch.
	updateSel(t *Task, gids []int32, arg arrow.Array, sel []int32) (bool, error)
}

var (
	_ selUpdater = (*countAcc)(nil)
	_ selUpdater = (*sumDecAcc)(nil)
	_ selUpdater = (*avgAcc)(nil)
)

// A count reads no values: only NULLs matter, and without any the rows
// selected are the count.
func (a *countAcc) updateSel(t *Task, gids []int32, arg arrow.Array, sel []int32) (bool, error) {
	if gids == nil || !a.star && arg.NullN() > 0 {
		return false, nil
	}
	countGroups(&a.counts, gids, a.hist)
	return true, nil
}

func (a *sumDecAcc) updateSel(t *Task, gids []int32, arg arrow.Array, sel []int32) (bool, error) {
	d, ok := arg.(*array.Decimal128)
	if !ok || !addNarrowSel(&a.sums, a.wide, gids, d, sel) {
		return false, nil
	}
	if a.sparse {
		markSeen(&a.seen, gids)
	} else {
		a.seenN = a.sums.Len()
	}
	return true, nil
}

func (a *avgAcc) updateSel(t *Task, gids []int32, arg arrow.Array, sel []int32) (bool, error) {
	if a.sumOf != nil {
		if gids == nil || arg.NullN() > 0 {
			return false, nil
		}
		countGroups(&a.counts, gids, a.hist)
		return true, nil
	}
	d, ok := arg.(*array.Decimal128)
	if !ok || !addNarrowSel(&a.sums, a.wide, gids, d, sel) {
		return false, nil
	}
	countGroups(&a.counts, gids, a.hist)
	return true, nil
}

// addNarrowSel is addNarrow for the rows sel selects: it takes the lane
// kernel for small values, the only case worth a kernel of its own (Q1's
// seven sums and averages); anything else is copied and takes the usual
// path.
func addNarrowSel(sums *paged.Vec[decimal128.Num], wide bool, gids []int32, d *array.Decimal128, sel []int32) bool {
	if wide || d.NullN() > 0 || !smallLanes(sums, gids) {
		return false
	}
	return addSmallInLanesSel(sums.One()[:sums.Len()], gids, d.Values(), sel, !smallType(d))
}
