package operators

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// TestBuildOuterMatchesHashJoin compares the build-left LEFT JOIN with the
// ordinary hash join (which hashes the right input) on random data with
// NULL keys and duplicate keys on both sides, with and without a residual
// condition, with one or two parallel probes, and with a batch size small
// enough that one probe batch's pairs take several output batches.
func TestBuildOuterMatchesHashJoin(t *testing.T) {
	// left.v < right.v over build ++ probe: columns 1 and 3.
	residual := func(t *testing.T) expr.Evaluator {
		return mustCompile(t, &expr.Binary{Op: expr.OpLt, L: &expr.ColumnRef{Index: 1, T: types.Int64Type},
			R: &expr.ColumnRef{Index: 3, T: types.Int64Type}, T: types.BoolType})
	}
	for _, withResidual := range []bool{false, true} {
		for _, probes := range []int{1, 2} {
			for seed := int64(0); seed < 4; seed++ {
				name := fmt.Sprintf("residual=%v/probes=%d/seed=%d", withResidual, probes, seed)
				t.Run(name, func(t *testing.T) {
					mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
					defer mem.AssertSize(t, 0)
					r := rand.New(rand.NewSource(seed))
					// Seed 2: an empty right side; seed 3: an empty left.
					leftRows, rightRows := 300, 700
					if seed == 2 {
						rightRows = 0
					}
					if seed == 3 {
						leftRows = 0
					}
					left := randomBatches(mem, r, leftRows, 50, true)
					right := randomBatches(mem, r, rightRows, 80, true)
					defer func() {
						for _, rec := range append(left, right...) {
							rec.Release()
						}
					}()
					task := NewTask(context.Background(), mem)

					// The hash join emits probe (left) ++ build (right)
					// columns: the same order as the build-left join.
					var res expr.Evaluator
					if withResidual {
						res = residual(t)
					}
					want := rowsOf(t, task, NewHashJoin(JoinLeft, NewRecords(twoCols, left, "l"),
						NewRecords(twoCols, right, "r"), []int{0}, []int{0}, res, 64, ""))

					side := NewBuildSide(NewRecords(twoCols, left, "l"), []int{0}, probes+1)
					m := &BuildMatches{}
					var ins []Operator
					for p := 0; p < probes; p++ {
						part := dealt(right, p, probes)
						var pres expr.Evaluator
						var gather []int
						if withResidual {
							pres, gather = mustCompile(t, &expr.Binary{Op: expr.OpLt, L: &expr.ColumnRef{Index: 0, T: types.Int64Type},
								R: &expr.ColumnRef{Index: 1, T: types.Int64Type}, T: types.BoolType}), []int{1, 3}
						}
						ins = append(ins, NewBuildOuterProbe(side, m, NewRecords(twoCols, part, "r"), []int{0}, pres, gather, 7))
					}
					var child Operator = ins[0]
					if probes > 1 {
						child = NewGather(ins, "")
					}
					got := rowsOf(t, task, NewBuildOuterJoin(side, m, child, 7, ""))
					require.Equal(t, want, got)
					if seed < 2 {
						require.Greater(t, len(got), leftRows, "some left rows match several right rows")
					}
				})
			}
		}
	}
}
