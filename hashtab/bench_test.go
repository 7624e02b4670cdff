package hashtab_test

// Hash-table benchmarks: 1M rows (2^20) of keys in batches of 8192, built
// once per benchmark from fixed seeds, for four key shapes: a single
// BIGINT key with dense values (a direct array) or sparse ones (hash
// slots), two BIGINT keys (packed into one word, like TPC-H's (partkey,
// suppkey)) and a multi-column key (BIGINT, VARCHAR), serialised into the
// byte arena.

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

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

// Second key columns: none, a BIGINT or a VARCHAR.
const (
	second0 = iota
	secondInt
	secondString
)

// shape is a key layout to benchmark: a BIGINT column of values spaced
// stride apart, and maybe a second column.
type shape struct {
	name   string
	second int
	stride int64
}

var shapes = []shape{
	{"int64", second0, 7},
	{"int64-sparse", second0, 1_000_003},
	{"int64-pair", secondInt, 7},
	{"multi-key", secondString, 7},
}

// makeKeys returns benchRows keys drawn from distinct values in random
// order, every value present; a second column is derived from the BIGINT
// one, so the pair has as many distinct values.
func makeKeys(tb testing.TB, distinct int, sh shape) *keySet {
	second := sh.second
	mem := memory.NewGoAllocator()
	rng := rand.New(rand.NewPCG(21, uint64(distinct)))
	p := rng.Perm(benchRows)
	ks := &keySet{types: []types.T{types.Int64Type}}
	switch second {
	case secondInt:
		ks.types = append(ks.types, types.Int64Type)
	case secondString:
		ks.types = append(ks.types, types.StringType)
	}
	for start := 0; start < benchRows; start += benchBatch {
		ib := array.NewInt64Builder(mem)
		jb := array.NewInt64Builder(mem)
		sb := array.NewStringBuilder(mem)
		for i := start; i < start+benchBatch; i++ {
			v := p[i] % distinct
			ib.Append(int64(v) * sh.stride)
			jb.Append(int64(v % 10007))
			sb.Append(fmt.Sprintf("Customer#%09d", v))
		}
		cols := []arrow.Array{ib.NewArray()}
		switch second {
		case secondInt:
			cols = append(cols, jb.NewArray())
		case secondString:
			cols = append(cols, sb.NewArray())
		}
		ib.Release()
		jb.Release()
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

// cpuTime is the CPU time (user and system) the process has used so far.
// The machines these run on are shared, so wall time per op swings with
// the load; CPU time per op much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// report adds rows/s and the CPU time per op since cpu0 (taken just
// before the timed loop; it includes the garbage collector's work).
func report(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkFindOrInsert builds a table from empty per iteration: with 1K
// distinct keys nearly every row finds its group; with 1M every row of
// the first pass is new and the table grows (rehashing) ten times.
func BenchmarkFindOrInsert(b *testing.B) {
	for _, sh := range shapes {
		for _, distinct := range []int{1 << 10, benchRows} {
			b.Run(fmt.Sprintf("%s/distinct=%d", sh.name, distinct), func(b *testing.B) {
				ks := makeKeys(b, distinct, sh)
				out := make([]int32, benchBatch)
				b.SetBytes(ks.bytes)
				b.ReportAllocs()
				cpu0 := cpuTime()
				for b.Loop() {
					if n := ks.build(b, out).Len(); n != distinct {
						b.Fatalf("%d groups, want %d", n, distinct)
					}
				}
				report(b, cpu0)
			})
		}
	}
}

// BenchmarkFind probes a table of 1M keys (built outside the timed loop,
// as a hash join's build side) with 1M rows that all hit.
func BenchmarkFind(b *testing.B) {
	for _, sh := range shapes {
		b.Run(sh.name, func(b *testing.B) {
			ks := makeKeys(b, benchRows, sh)
			out := make([]int32, benchBatch)
			t := ks.build(b, out)
			var p hashtab.Probe
			b.SetBytes(ks.bytes)
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				for _, cols := range ks.batches {
					t.Find(&p, cols, out)
				}
			}
			if out[0] < 0 {
				b.Fatal("a key was not found")
			}
			report(b, cpu0)
		})
	}
}

// BenchmarkFindMiss probes a table of 16K keys with 1M rows of which 1.6%
// hit: a join whose build side was filtered hard (Q9's green parts).
func BenchmarkFindMiss(b *testing.B) {
	for _, sh := range shapes {
		b.Run(sh.name, func(b *testing.B) {
			out := make([]int32, benchBatch)
			t := makeKeys(b, 1<<14, sh).build(b, out)
			probe := makeKeys(b, benchRows, sh)
			var p hashtab.Probe
			b.SetBytes(probe.bytes)
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				for _, cols := range probe.batches {
					t.Find(&p, cols, out)
				}
			}
			report(b, cpu0)
		})
	}
}

// BenchmarkGroupShortStrings groups 1M rows by two one-letter VARCHARs
// into 4 groups, like TPC-H Q1's (l_returnflag, l_linestatus).
func BenchmarkGroupShortStrings(b *testing.B) {
	mem := memory.NewGoAllocator()
	rng := rand.New(rand.NewPCG(7, 8))
	var batches [][]arrow.Array
	var bytes int64
	for start := 0; start < benchRows; start += benchBatch {
		fb, sb := array.NewStringBuilder(mem), array.NewStringBuilder(mem)
		for i := 0; i < benchBatch; i++ {
			fb.Append([]string{"A", "N", "R"}[rng.IntN(3)])
			sb.Append([]string{"F", "O"}[rng.IntN(2)])
		}
		cols := []arrow.Array{fb.NewArray(), sb.NewArray()}
		fb.Release()
		sb.Release()
		for _, c := range cols {
			for _, buf := range c.Data().Buffers() {
				if buf != nil {
					bytes += int64(buf.Len())
				}
			}
		}
		batches = append(batches, cols)
	}
	defer func() {
		for _, cols := range batches {
			for _, c := range cols {
				c.Release()
			}
		}
	}()
	out := make([]int32, benchBatch)
	b.SetBytes(bytes)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		t := hashtab.New([]types.T{types.StringType, types.StringType})
		for _, cols := range batches {
			if _, err := t.FindOrInsert(noBudget{}, cols, out); err != nil {
				b.Fatal(err)
			}
		}
		if t.Len() != 6 {
			b.Fatalf("%d groups", t.Len())
		}
	}
	report(b, cpu0)
}
