package expr_test

// Expression-kernel benchmarks: one compiled expression evaluated over 1M
// rows (2^20) in batches of 8192, built once per benchmark from fixed
// seeds. Each reports the input columns' bytes (MB/s), rows/s and
// allocations.

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

const (
	benchRows  = 1 << 20
	benchBatch = 8192
)

// Columns of the benchmark batches, by position.
const (
	colK        = iota // BIGINT 0, 1, 2, ...
	colDate            // DATE, 1992-01-01 .. 1998-12-31
	colPrice           // DECIMAL(15,2), 900.00 .. 100,899.99
	colDiscount        // DECIMAL(15,2), 0.00 .. 0.10
	colFlag            // VARCHAR, one of "A", "N", "R"
	colComment         // VARCHAR, 3 to 8 words of a TPC-H-like vocabulary
)

var (
	i64T  = types.Int64Type
	dec2T = types.DecimalType(15, 2)
	strT  = types.StringType
)

// words is a vocabulary in the style of TPC-H comments; "ironic" is one
// word in 16, so LIKE '%ironic%' matches about a third of the comments.
var words = strings.Fields("ironic final deposits sleep furiously quickly bold requests packages carefully regular express accounts blithely pending even")

// benchEnv is the evaluation environment: a Go allocator and a budget
// that never runs out (the operators' budget is benchmarked there).
type benchEnv struct{ mem memory.Allocator }

func (e benchEnv) Alloc() memory.Allocator { return e.mem }
func (benchEnv) Spend(int) error           { return nil }

// batches builds the benchmark rows.
func batches(tb testing.TB) (*arrow.Schema, []arrow.Record) {
	mem := memory.NewGoAllocator()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: i64T.Arrow(), Nullable: true},
		{Name: "d", Type: types.DateType.Arrow(), Nullable: true},
		{Name: "price", Type: dec2T.Arrow(), Nullable: true},
		{Name: "discount", Type: dec2T.Arrow(), Nullable: true},
		{Name: "flag", Type: strT.Arrow(), Nullable: true},
		{Name: "comment", Type: strT.Arrow(), Nullable: true},
	}, nil)
	rng := rand.New(rand.NewPCG(11, 12))
	flags := []string{"A", "N", "R"}
	var recs []arrow.Record
	var sb strings.Builder
	for start := 0; start < benchRows; start += benchBatch {
		rb := array.NewRecordBuilder(mem, schema)
		for i := start; i < start+benchBatch; i++ {
			rb.Field(colK).(*array.Int64Builder).Append(int64(i))
			rb.Field(colDate).(*array.Date32Builder).Append(arrow.Date32(8035 + rng.IntN(2557)))
			rb.Field(colPrice).(*array.Decimal128Builder).Append(decimal128.FromI64(90000 + rng.Int64N(10_000_000)))
			rb.Field(colDiscount).(*array.Decimal128Builder).Append(decimal128.FromI64(rng.Int64N(11)))
			rb.Field(colFlag).(*array.StringBuilder).Append(flags[rng.IntN(3)])
			sb.Reset()
			for w := 3 + rng.IntN(6); w > 0; w-- {
				sb.WriteString(words[rng.IntN(len(words))])
				sb.WriteByte(' ')
			}
			rb.Field(colComment).(*array.StringBuilder).Append(sb.String())
		}
		recs = append(recs, rb.NewRecord())
		rb.Release()
	}
	tb.Cleanup(func() {
		for _, r := range recs {
			r.Release()
		}
	})
	return schema, recs
}

func col(schema *arrow.Schema, i int) *expr.ColumnRef {
	f := schema.Field(i)
	return &expr.ColumnRef{ID: expr.ColumnID(i), Name: f.Name, T: types.MustFromArrow(f.Type), Index: i}
}

func lit(d expr.Datum, t types.T) *expr.Literal { return &expr.Literal{Value: d, T: t} }

func dec(unscaled int64) expr.Datum { return expr.DecDatum(decimal128.FromI64(unscaled)) }

// columnBytes is the size of the buffers of the given columns of recs.
func columnBytes(recs []arrow.Record, cols []int) int64 {
	n := int64(0)
	for _, r := range recs {
		for _, c := range cols {
			for _, buf := range r.Column(c).Data().Buffers() {
				if buf != nil {
					n += int64(buf.Len())
				}
			}
		}
	}
	return n
}

// runExpr evaluates e over every batch per iteration; cols are the input
// columns e reads (for MB/s).
func runExpr(b *testing.B, recs []arrow.Record, e expr.Expr, cols ...int) {
	ev, err := expr.Compile(e)
	if err != nil {
		b.Fatal(err)
	}
	env := benchEnv{mem: memory.NewGoAllocator()}
	b.SetBytes(columnBytes(recs, cols))
	b.ReportAllocs()
	for b.Loop() {
		for _, rec := range recs {
			v, err := ev.Eval(env, rec)
			if err != nil {
				b.Fatal(err)
			}
			v.Release()
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCompareConst: a column compared with a constant, per type.
func BenchmarkCompareConst(b *testing.B) {
	schema, recs := batches(b)
	cmp := func(op expr.BinOp, c int, d expr.Datum) expr.Expr {
		ref := col(schema, c)
		return &expr.Binary{Op: op, L: ref, R: lit(d, ref.T), T: types.BoolType}
	}
	for _, tc := range []struct {
		name string
		e    expr.Expr
		col  int
	}{
		{"int64", cmp(expr.OpLt, colK, expr.IntDatum(benchRows/2)), colK},
		{"date", cmp(expr.OpLe, colDate, expr.DateDatum(10471)), colDate}, // 1998-09-02, q1
		{"decimal", cmp(expr.OpGt, colPrice, dec(5_000_000)), colPrice},
		{"string", cmp(expr.OpEq, colFlag, expr.StrDatum("R")), colFlag},
	} {
		b.Run(tc.name, func(b *testing.B) { runExpr(b, recs, tc.e, tc.col) })
	}
}

// BenchmarkDecimalMul: price * discount, two DECIMAL(15,2) columns, and
// TPC-H's price * (1 - discount) with a constant operand.
func BenchmarkDecimalMul(b *testing.B) {
	schema, recs := batches(b)
	price, disc := col(schema, colPrice), col(schema, colDiscount)
	oneMinus := &expr.Binary{Op: expr.OpSub, L: lit(dec(100), types.DecimalType(3, 2)), R: disc, T: types.DecimalType(16, 2)}
	b.Run("two-columns", func(b *testing.B) {
		runExpr(b, recs, &expr.Binary{Op: expr.OpMul, L: price, R: disc, T: types.DecimalType(30, 4)}, colPrice, colDiscount)
	})
	b.Run("price-times-one-minus-discount", func(b *testing.B) {
		runExpr(b, recs, &expr.Binary{Op: expr.OpMul, L: price, R: oneMinus, T: types.DecimalType(31, 4)}, colPrice, colDiscount)
	})
}

// BenchmarkLike: LIKE '%word%' (one substring search per row) and the
// two-part pattern of TPC-H q13 over 3-8 word comments.
func BenchmarkLike(b *testing.B) {
	schema, recs := batches(b)
	for _, tc := range []struct{ name, pattern string }{
		{"contains", "%ironic%"},
		{"two-parts", "%pending%requests%"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			runExpr(b, recs, &expr.Like{X: col(schema, colComment), Pattern: lit(expr.StrDatum(tc.pattern), strT)}, colComment)
		})
	}
}

// BenchmarkCase: CASE WHEN flag = 'R' THEN price ELSE 0 END, each branch
// evaluated only on the rows it selects (a third and two thirds).
func BenchmarkCase(b *testing.B) {
	schema, recs := batches(b)
	e := &expr.Case{
		Whens: []expr.When{{
			Cond: &expr.Binary{Op: expr.OpEq, L: col(schema, colFlag), R: lit(expr.StrDatum("R"), strT), T: types.BoolType},
			Then: col(schema, colPrice),
		}},
		Else: lit(dec(0), dec2T),
		T:    dec2T,
	}
	runExpr(b, recs, e, colFlag, colPrice)
}

// BenchmarkExtractYear: extract(year FROM d), TPC-H q7-q9.
func BenchmarkExtractYear(b *testing.B) {
	schema, recs := batches(b)
	e := &expr.Func{Name: "extract", Args: []expr.Expr{lit(expr.StrDatum("year"), strT), col(schema, colDate)}, T: i64T}
	runExpr(b, recs, e, colDate)
}

// BenchmarkSubstring: substring(comment, 1, 2), constant bounds as in
// TPC-H q22's substring(c_phone FROM 1 FOR 2).
func BenchmarkSubstring(b *testing.B) {
	schema, recs := batches(b)
	e := &expr.Func{Name: "substring", Args: []expr.Expr{col(schema, colComment), lit(expr.IntDatum(1), i64T), lit(expr.IntDatum(2), i64T)}, T: strT}
	runExpr(b, recs, e, colComment)
}
