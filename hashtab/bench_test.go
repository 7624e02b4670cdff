package hashtab_test

// Hash-table benchmarks: 1M rows (2^20) of keys in batches of 8192, built
// once per benchmark from fixed seeds, for the two layouts: a single
// BIGINT key (stored as int64) and a multi-column key (BIGINT, VARCHAR),
// serialised into the byte arena.

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/minisql/minisql/hashtab"
	"github.com/minisql/minisql/types"
)

const (
	benchRows  = 1 << 20
	benchBatch = 8192
)

// noBudget never runs out: the operators' budget is benchmarked there.
type noBudget struct{}

func (noBudget) Spend(int) error { return nil }

// keySet is a key layout: its column types and batches of key columns.
type keySet struct {
	types   []types.T
	batches [][]arrow.Array
	bytes   int64
}

// makeKeys returns benchRows keys drawn from distinct values in random
// order, every value present; multi adds a VARCHAR column derived from
// the BIGINT one, so the pair has as many distinct values.
func makeKeys(tb testing.TB, distinct int, multi bool) *keySet {
	mem := memory.NewGoAllocator()
	rng := rand.New(rand.NewPCG(21, uint64(distinct)))
	p := rng.Perm(benchRows)
	ks := &keySet{types: []types.T{types.Int64Type}}
	if multi {
		ks.types = append(ks.types, types.StringType)
	}
	for start := 0; start < benchRows; start += benchBatch {
		ib := array.NewInt64Builder(mem)
		sb := array.NewStringBuilder(mem)
		for i := start; i < start+benchBatch; i++ {
			v := p[i] % distinct
			ib.Append(int64(v) * 7)
			if multi {
				sb.Append(fmt.Sprintf("Customer#%09d", v))
			}
		}
		cols := []arrow.Array{ib.NewArray()}
		if multi {
			cols = append(cols, sb.NewArray())
		}
		ib.Release()
		sb.Release()
		for _, c := range cols {
			for _, buf := range c.Data().Buffers() {
				if buf != nil {
					ks.bytes += int64(buf.Len())
				}
			}
		}
		ks.batches = append(ks.batches, cols)
	}
	tb.Cleanup(func() {
		for _, cols := range ks.batches {
			for _, c := range cols {
				c.Release()
			}
		}
	})
	return ks
}

// build inserts every key batch into a new table.
func (ks *keySet) build(tb testing.TB, out []int32) *hashtab.Table {
	t := hashtab.New(ks.types)
	for _, cols := range ks.batches {
		if _, err := t.FindOrInsert(noBudget{}, cols, out); err != nil {
			tb.Fatal(err)
		}
	}
	return t
}

func report(b *testing.B) {
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

var layouts = []struct {
	name  string
	multi bool
}{{"int64", false}, {"multi-key", true}}

// BenchmarkFindOrInsert builds a table from empty per iteration: with 1K
// distinct keys nearly every row finds its group; with 1M every row of
// the first pass is new and the table grows (rehashing) ten times.
func BenchmarkFindOrInsert(b *testing.B) {
	for _, l := range layouts {
		for _, distinct := range []int{1 << 10, benchRows} {
			b.Run(fmt.Sprintf("%s/distinct=%d", l.name, distinct), func(b *testing.B) {
				ks := makeKeys(b, distinct, l.multi)
				out := make([]int32, benchBatch)
				b.SetBytes(ks.bytes)
				b.ReportAllocs()
				for b.Loop() {
					if n := ks.build(b, out).Len(); n != distinct {
						b.Fatalf("%d groups, want %d", n, distinct)
					}
				}
				report(b)
			})
		}
	}
}

// BenchmarkFind probes a table of 1M keys (built outside the timed loop,
// as a hash join's build side) with 1M rows that all hit.
func BenchmarkFind(b *testing.B) {
	for _, l := range layouts {
		b.Run(l.name, func(b *testing.B) {
			ks := makeKeys(b, benchRows, l.multi)
			out := make([]int32, benchBatch)
			t := ks.build(b, out)
			var p hashtab.Probe
			b.SetBytes(ks.bytes)
			b.ReportAllocs()
			for b.Loop() {
				for _, cols := range ks.batches {
					t.Find(&p, cols, out)
				}
			}
			if out[0] < 0 {
				b.Fatal("a key was not found")
			}
			report(b)
		})
	}
}
