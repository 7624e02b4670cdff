package operators_test

// Operator micro-benchmarks over repeatable in-memory sources: 1M rows
// (2^20) in batches of 8192, built once per benchmark outside the timed
// loop from fixed seeds. Each reports the input's bytes (MB/s), rows/s
// and allocations. See BENCHMARKS.md for what each one stands for.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/types"
)

const (
	benchRows  = 1 << 20
	benchBatch = 8192
)

var (
	i64T  = types.Int64Type
	dec2T = types.DecimalType(15, 2)
)

// column describes one generated column: value i of a column is fill(i).
type column struct {
	name string
	typ  types.T
	fill func(b array.Builder, i int)
}

func int64Col(name string, f func(i int) int64) column {
	return column{name, i64T, func(b array.Builder, i int) { b.(*array.Int64Builder).Append(f(i)) }}
}

func decCol(name string, f func(i int) int64) column {
	return column{name, dec2T, func(b array.Builder, i int) {
		b.(*array.Decimal128Builder).Append(decimal128.FromI64(f(i)))
	}}
}

func strCol(name string, f func(i int) string) column {
	return column{name, types.StringType, func(b array.Builder, i int) { b.(*array.StringBuilder).Append(f(i)) }}
}

// input is an in-memory table: the same records feed every iteration.
type input struct {
	schema *arrow.Schema
	recs   []arrow.Record
	rows   int64
	bytes  int64 // sum of the columns' buffer sizes
}

// makeInput builds n rows of cols in batches of benchBatch.
func makeInput(tb testing.TB, n int, cols ...column) *input {
	mem := memory.NewGoAllocator()
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ.Arrow(), Nullable: true}
	}
	in := &input{schema: arrow.NewSchema(fields, nil), rows: int64(n)}
	for start := 0; start < n; start += benchBatch {
		end := min(start+benchBatch, n)
		rb := array.NewRecordBuilder(mem, in.schema)
		for c, col := range cols {
			fb := rb.Field(c)
			fb.Reserve(end - start)
			for i := start; i < end; i++ {
				col.fill(fb, i)
			}
		}
		rec := rb.NewRecord()
		rb.Release()
		for _, a := range rec.Columns() {
			for _, buf := range a.Data().Buffers() {
				if buf != nil {
					in.bytes += int64(buf.Len())
				}
			}
		}
		in.recs = append(in.recs, rec)
	}
	tb.Cleanup(func() {
		for _, r := range in.recs {
			r.Release()
		}
	})
	return in
}

// source returns a fresh operator over the input's records.
func (in *input) source() operators.Operator {
	return operators.NewRecords(in.schema, in.recs, "bench input")
}

// perm is a fixed pseudo-random permutation of 0..n-1.
func perm(n int, seed uint64) []int {
	return rand.New(rand.NewPCG(seed, 0x5eed)).Perm(n)
}

// runOp drives the operator mk builds to its end, once per iteration, and
// reports rows/s over rows input rows and MB/s over bytes.
func runOp(b *testing.B, rows, bytes int64, mk func(b *testing.B) operators.Operator) {
	ctx := context.Background()
	mem := memory.NewGoAllocator()
	b.SetBytes(bytes)
	b.ReportAllocs()
	out := int64(0)
	for b.Loop() {
		op := mk(b)
		g := operators.NewGroup(ctx)
		t := operators.NewTask(ctx, mem, operators.WithGroup(g))
		if err := op.Open(t); err != nil {
			b.Fatal(err)
		}
		for {
			rec, err := op.Next(t)
			if err != nil {
				b.Fatal(err)
			}
			if rec == nil {
				break
			}
			out += rec.NumRows()
			rec.Release()
		}
		if err := op.Close(); err != nil {
			b.Fatal(err)
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(out)/float64(b.N), "outrows/op")
}

func colRef(in *input, i int) *expr.ColumnRef {
	f := in.schema.Field(i)
	return &expr.ColumnRef{ID: expr.ColumnID(i), Name: f.Name, T: types.MustFromArrow(f.Type), Index: i}
}

func compile(b *testing.B, e expr.Expr) expr.Evaluator {
	ev, err := expr.Compile(e)
	if err != nil {
		b.Fatal(err)
	}
	return ev
}

// BenchmarkFilter: k < c over a BIGINT column in order, passing 1% of the
// rows (copies the survivors) or 99% (copies nearly everything).
func BenchmarkFilter(b *testing.B) {
	in := makeInput(b, benchRows, int64Col("k", func(i int) int64 { return int64(i) }), decCol("price", func(i int) int64 { return int64(i % 100000) }))
	for _, tc := range []struct {
		name string
		pass float64
	}{{"selective", 0.01}, {"unselective", 0.99}} {
		b.Run(tc.name, func(b *testing.B) {
			limit := int64(tc.pass * benchRows)
			pred := compile(b, &expr.Binary{Op: expr.OpLt, L: colRef(in, 0), R: &expr.Literal{Value: expr.IntDatum(limit), T: i64T}, T: types.BoolType})
			runOp(b, in.rows, in.bytes, func(*testing.B) operators.Operator {
				return operators.NewFilter(in.source(), pred, "k < c")
			})
		})
	}
}

// BenchmarkProject: l_extendedprice * (1 - l_discount) in DECIMAL(15,2),
// as in TPC-H q1, q3, q5, q10 (128-bit multiply with overflow checks).
func BenchmarkProject(b *testing.B) {
	in := makeInput(b, benchRows,
		decCol("l_extendedprice", func(i int) int64 { return 90000 + int64(i*7919%10_000_000) }),
		decCol("l_discount", func(i int) int64 { return int64(i % 11) }))
	one := &expr.Literal{Value: expr.DecDatum(decimal128.FromI64(100)), T: types.DecimalType(3, 2)}
	oneMinus := &expr.Binary{Op: expr.OpSub, L: one, R: colRef(in, 1), T: types.DecimalType(16, 2)}
	e := &expr.Binary{Op: expr.OpMul, L: colRef(in, 0), R: oneMinus, T: types.DecimalType(31, 4)}
	ev := compile(b, e)
	schema := arrow.NewSchema([]arrow.Field{{Name: "revenue", Type: e.T.Arrow(), Nullable: true}}, nil)
	runOp(b, in.rows, in.bytes, func(*testing.B) operators.Operator {
		return operators.NewProject(in.source(), []expr.Evaluator{ev}, schema, []string{e.String()})
	})
}

// BenchmarkHashAggregate: GROUP BY a BIGINT key with sum(DECIMAL) and
// count(*), over 4 groups (accumulator-bound) and over 1M distinct keys
// in random order (hash-table growth and cache misses).
func BenchmarkHashAggregate(b *testing.B) {
	p := perm(benchRows, 1)
	for _, groups := range []int{4, benchRows} {
		b.Run(fmt.Sprintf("groups=%d", groups), func(b *testing.B) {
			in := makeInput(b, benchRows,
				int64Col("g", func(i int) int64 { return int64(p[i] % groups) }),
				decCol("price", func(i int) int64 { return 90000 + int64(i*7919%10_000_000) }))
			sumT := types.DecimalType(types.MaxDecimalPrecision, 2)
			specs := []operators.AggSpec{
				{Kind: operators.AggSum, Arg: 1, In: dec2T, Out: sumT},
				{Kind: operators.AggCountStar, Arg: -1, Out: i64T},
			}
			schema := arrow.NewSchema([]arrow.Field{
				{Name: "g", Type: i64T.Arrow(), Nullable: true},
				{Name: "sum", Type: sumT.Arrow(), Nullable: true},
				{Name: "count", Type: i64T.Arrow(), Nullable: true},
			}, nil)
			runOp(b, in.rows, in.bytes, func(b *testing.B) operators.Operator {
				op, err := operators.NewHashAggregate(in.source(), []int{0}, specs, schema, benchBatch)
				if err != nil {
					b.Fatal(err)
				}
				return op
			})
		})
	}
}

// BenchmarkHashJoin: an inner join of 1M probe rows on a BIGINT key
// against a build side of 1K rows (table fits in cache) or 1M rows
// (random access to a large table); every probe row matches exactly one
// build row, so both emit 1M rows. rows/s counts probe plus build rows.
func BenchmarkHashJoin(b *testing.B) {
	pp := perm(benchRows, 2)
	for _, build := range []int{1 << 10, benchRows} {
		b.Run(fmt.Sprintf("build=%d", build), func(b *testing.B) {
			bp := perm(build, 3)
			probe := makeInput(b, benchRows,
				int64Col("pk", func(i int) int64 { return int64(pp[i] % build) }),
				decCol("price", func(i int) int64 { return 90000 + int64(i*7919%10_000_000) }))
			side := makeInput(b, build,
				int64Col("bk", func(i int) int64 { return int64(bp[i]) }),
				int64Col("payload", func(i int) int64 { return int64(i) }))
			runOp(b, probe.rows+side.rows, probe.bytes+side.bytes, func(*testing.B) operators.Operator {
				return operators.NewHashJoin(operators.JoinInner, probe.source(), side.source(), []int{0}, []int{0}, nil, benchBatch, "pk = bk")
			})
		})
	}
}

// BenchmarkSort: ORDER BY one key over 1M rows in random order, a BIGINT
// key or a 16-byte VARCHAR key, carrying one BIGINT payload column.
func BenchmarkSort(b *testing.B) {
	p := perm(benchRows, 4)
	for _, tc := range []struct {
		name string
		key  column
	}{
		{"int64", int64Col("key", func(i int) int64 { return int64(p[i]) })},
		{"string", strCol("key", func(i int) string { return fmt.Sprintf("%016x", uint64(p[i])*0x9e3779b97f4a7c15) })},
	} {
		b.Run(tc.name, func(b *testing.B) {
			in := makeInput(b, benchRows, tc.key, int64Col("payload", func(i int) int64 { return int64(i) }))
			runOp(b, in.rows, in.bytes, func(*testing.B) operators.Operator {
				return operators.NewSort(in.source(), []operators.SortKey{{Col: 0}}, benchBatch)
			})
		})
	}
}

// BenchmarkTopK: ORDER BY key DESC LIMIT 10 over 1M BIGINT keys in random
// order: almost every batch is rejected against the current 10th row.
func BenchmarkTopK(b *testing.B) {
	p := perm(benchRows, 5)
	in := makeInput(b, benchRows, int64Col("key", func(i int) int64 { return int64(p[i]) }), int64Col("payload", func(i int) int64 { return int64(i) }))
	runOp(b, in.rows, in.bytes, func(*testing.B) operators.Operator {
		return operators.NewTopK(in.source(), []operators.SortKey{{Col: 0, Desc: true}}, 10, benchBatch)
	})
}
