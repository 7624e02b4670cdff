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

// TestJoinsOverChunkedBuild runs every join kind with the build side in
// chunks of 16 rows (real chunks hold a million) and compares with a
// build in one chunk: gathers across chunks, NULL-extended rows, chains
// that cross chunks, NULL keys, and the build-left joins' row selection.
func TestJoinsOverChunkedBuild(t *testing.T) {
	residual := func(t *testing.T) expr.Evaluator { // probe.v < build.v over probe ++ build
		return mustCompile(t, &expr.Binary{Op: expr.OpLt, L: &expr.ColumnRef{Index: 1, T: types.Int64Type},
			R: &expr.ColumnRef{Index: 3, T: types.Int64Type}, T: types.BoolType})
	}
	kinds := []JoinType{JoinInner, JoinLeft, JoinSemi, JoinAnti, JoinAntiNullAware, JoinMark, JoinMarkNullAware}
	for _, typ := range kinds {
		for _, withResidual := range []bool{false, true} {
			if withResidual && (typ == JoinAntiNullAware || typ == JoinMarkNullAware) {
				continue
			}
			for seed := int64(0); seed < 3; seed++ {
				t.Run(fmt.Sprintf("%s/residual=%v/seed=%d", typ, withResidual, seed), func(t *testing.T) {
					mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
					defer mem.AssertSize(t, 0)
					r := rand.New(rand.NewSource(seed))
					probe := randomBatches(mem, r, 400, 60, true)
					build := randomBatches(mem, r, 333, 90, seed != 2)
					defer func() {
						for _, rec := range append(probe, build...) {
							rec.Release()
						}
					}()
					task := NewTask(context.Background(), mem)
					run := func(shift int) []string {
						var res expr.Evaluator
						if withResidual {
							res = residual(t)
						}
						side := NewBuildSide(NewRecords(twoCols, build, "b"), []int{0}, 1)
						side.chunkShift = shift
						return rowsOf(t, task, NewHashJoinShared(typ, NewRecords(twoCols, probe, "p"), side, []int{0}, res, 64, ""))
					}
					want := run(0)
					if typ != JoinAntiNullAware || seed == 2 { // NOT IN against a NULL: no rows
						require.NotEmpty(t, want)
					}
					require.Equal(t, want, run(4))
				})
			}
		}
	}
	// The nested loop and the build-left semi join read the build rows
	// too: by row number, and by selection.
	t.Run("nested_loop", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		r := rand.New(rand.NewSource(9))
		probe, build := randomBatches(mem, r, 50, 20, true), randomBatches(mem, r, 70, 20, true)
		defer func() {
			for _, rec := range append(probe, build...) {
				rec.Release()
			}
		}()
		task := NewTask(context.Background(), mem)
		run := func(shift int) []string {
			side := NewBuildSide(NewRecords(twoCols, build, "b"), nil, 1)
			side.chunkShift = shift
			return rowsOf(t, task, NewNestedLoopJoinShared(JoinLeft, NewRecords(twoCols, probe, "p"), side, residual(t), 64, ""))
		}
		require.Equal(t, run(0), run(3))
	})
	t.Run("build_left_semi", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		r := rand.New(rand.NewSource(10))
		left, right := randomBatches(mem, r, 300, 50, true), randomBatches(mem, r, 500, 80, false)
		defer func() {
			for _, rec := range append(left, right...) {
				rec.Release()
			}
		}()
		task := NewTask(context.Background(), mem)
		for _, typ := range []JoinType{JoinSemi, JoinAnti, JoinAntiNullAware} {
			run := func(shift int) []string {
				side := NewBuildSide(NewRecords(twoCols, left, "l"), []int{0}, 2)
				side.chunkShift = shift
				m := &BuildMatches{}
				probe := NewBuildSemiProbe(side, m, NewRecords(twoCols, right, "r"), []int{0}, nil, nil, 64)
				return rowsOf(t, task, NewBuildSemiJoin(typ, side, m, probe, 64, ""))
			}
			want := run(0)
			require.Equal(t, want, run(5), "%s", typ)
		}
	})
}
