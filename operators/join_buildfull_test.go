package operators

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// kv is one (k, v) row of twoCols; k may be NULL.
type kv struct {
	k     int64
	kNull bool
	v     int64
}

func kvRows(recs []arrow.Record) []kv {
	var out []kv
	for _, rec := range recs {
		k, v := rec.Column(0).(*array.Int64), rec.Column(1).(*array.Int64)
		for i := range int(rec.NumRows()) {
			out = append(out, kv{k: k.Value(i), kNull: k.IsNull(i), v: v.Value(i)})
		}
	}
	return out
}

func (r kv) str() string {
	k := "(null)"
	if !r.kNull {
		k = strconv.FormatInt(r.k, 10)
	}
	return k + "," + strconv.FormatInt(r.v, 10)
}

// naiveFullJoin is the FULL JOIN of build and probe by its definition:
// every pair that matches (equal non-NULL keys when keyed, and the
// residual left.v < right.v when asked), then each row of either side
// that is in no such pair, NULL-extended. Rows are build ++ probe, as the
// operator emits them.
func naiveFullJoin(build, probe []kv, keyed, residual bool) []string {
	matches := func(b, p kv) bool {
		if keyed && (b.kNull || p.kNull || b.k != p.k) {
			return false
		}
		return !residual || b.v < p.v
	}
	var out []string
	pm := make([]bool, len(probe))
	for _, b := range build {
		found := false
		for j, p := range probe {
			if matches(b, p) {
				out = append(out, b.str()+","+p.str())
				found, pm[j] = true, true
			}
		}
		if !found {
			out = append(out, b.str()+",(null),(null)")
		}
	}
	for j, p := range probe {
		if !pm[j] {
			out = append(out, "(null),(null),"+p.str())
		}
	}
	slices.Sort(out)
	return out
}

// TestBuildFullJoin checks the FULL JOIN operators against the naive
// definition on random data with NULL and duplicate keys on both sides,
// with and without equality keys (a nested loop), with and without a
// residual, with one or two parallel probes, with empty inputs, and with
// a batch size small enough that one probe batch's pairs take several
// output batches.
func TestBuildFullJoin(t *testing.T) {
	type sizes struct{ build, probe int }
	cases := map[string]sizes{
		"both": {300, 700}, "smallBuild": {40, 500}, "emptyBuild": {0, 250},
		"emptyProbe": {250, 0}, "bothEmpty": {0, 0},
	}
	for name, sz := range cases {
		for _, keyed := range []bool{true, false} {
			for _, withResidual := range []bool{false, true} {
				for _, probes := range []int{1, 2} {
					name := fmt.Sprintf("%s/keyed=%v/residual=%v/probes=%d", name, keyed, withResidual, probes)
					t.Run(name, func(t *testing.T) {
						mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
						defer mem.AssertSize(t, 0)
						r := rand.New(rand.NewSource(int64(sz.build*7 + sz.probe)))
						buildN, probeN := sz.build, sz.probe
						if !keyed { // a nested loop pairs everything: keep it small
							buildN, probeN = buildN/5, probeN/5
						}
						build := randomBatches(mem, r, buildN, 50, true)
						probe := randomBatches(mem, r, probeN, 80, true)
						defer func() {
							for _, rec := range append(build, probe...) {
								rec.Release()
							}
						}()
						task := NewTask(context.Background(), mem)
						want := naiveFullJoin(kvRows(build), kvRows(probe), keyed, withResidual)

						var keys []int
						if keyed {
							keys = []int{0}
						}
						side := NewBuildSide(NewRecords(twoCols, build, "b"), keys, probes+1)
						m := &BuildMatches{}
						var ins []Operator
						for p := 0; p < probes; p++ {
							var res expr.Evaluator
							var gather []int
							if withResidual { // build.v < probe.v: columns 1 and 3
								res, gather = mustCompile(t, &expr.Binary{Op: expr.OpLt, L: &expr.ColumnRef{Index: 0, T: types.Int64Type},
									R: &expr.ColumnRef{Index: 1, T: types.Int64Type}, T: types.BoolType}), []int{1, 3}
							}
							ins = append(ins, NewBuildFullProbe(side, m, NewRecords(twoCols, dealt(probe, p, probes), "p"), keys, res, gather, 7))
						}
						var child Operator = ins[0]
						if probes > 1 {
							child = NewGather(ins, "")
						}
						got := rowsOf(t, task, NewBuildFullJoin(side, m, child, 7, ""))
						require.Equal(t, want, got)
						if buildN > 0 && probeN > 0 {
							require.Greater(t, len(got), max(buildN, probeN), "rows of both sides come out")
						}
					})
				}
			}
		}
	}
}
