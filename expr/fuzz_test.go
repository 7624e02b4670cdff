package expr

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// FuzzEval builds a random, well-typed expression (as the binder would:
// operands coerced, decimal result types by DuckDB's rules, functions
// resolved through the registry with their arguments cast) over a random
// batch with NULLs, sometimes a slice of a larger batch, evaluates it with
// the vectorized evaluator on a checked allocator and compares every row
// with the reference evaluator (refeval_test.go):
//
//   - where the reference has a value, the engine's value is the same
//     (doubles within a relative 1e-9, NaN equal to NaN);
//   - when the reference has an error the engine must report (one whose
//     operands are all non-NULL and whose value matters), the engine fails;
//   - when the engine fails, the reference allows an error of that kind on
//     some row;
//   - nothing panics and every buffer is released.
func FuzzEval(f *testing.F) {
	for _, s := range []string{
		"", "\x00\x00\x00\x00\x00\x00\x00\x01\x05\x01\x02\x03",
		"\x11\x22\x33\x44\x55\x66\x77\x88\x01\x03\x00\x02\x01\x04\x05",
		"\x01\x02\x03\x04\x05\x06\x07\x08\x05\x05\x01\x02\x06\x01\x01\x00\x03",
		"\x09\x09\x09\x09\x09\x09\x09\x09\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02",
		"\xff\xee\xdd\xcc\xbb\xaa\x99\x88\x04\x04\x04\x07\x07\x03\x03\x01\x09\x0b",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		timer := time.AfterFunc(20*time.Second, func() {
			panic(fmt.Sprintf("input ran for more than 20s: %q", data))
		})
		defer timer.Stop()
		checkEval(t, data)
	})
}

// testEnv is the Env of a test: an allocator and an unlimited budget.
type testEnv struct{ mem memory.Allocator }

func (e testEnv) Alloc() memory.Allocator { return e.mem }
func (e testEnv) Spend(int) error         { return nil }

func checkEval(t *testing.T, data []byte) {
	g := newExprGen(data)
	kind := []types.Kind{types.Bool, types.Int64, types.Float64, types.Decimal, types.String, types.Date}[g.choose(6)]
	e := g.gen(kind, 4)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := g.record(mem)
	defer rec.Release()
	desc := fmt.Sprintf("%s over %d rows (offset %d)", e, rec.NumRows(), g.offset)

	ev, err := Compile(e)
	require.NoError(t, err, desc)
	require.Equal(t, e.Type(), ev.Type(), desc)
	v, err := ev.Eval(testEnv{mem}, rec)
	ref := &refEval{rows: g.rows}
	outs := make([]outcome, rec.NumRows())
	for r := range outs {
		outs[r] = ref.eval(e, r)
	}
	if err != nil {
		require.Nil(t, v.Arr, desc)
		var se *sqlerr.Error
		require.True(t, errors.As(err, &se), "untyped error %v: %s", err, desc)
		for _, o := range outs {
			for _, allowed := range append(o.maybe, o.err) {
				if allowed != nil && errors.Is(err, allowed.(*sqlerr.Error).Kind) {
					return
				}
			}
		}
		t.Fatalf("engine error %v where the reference has none of that kind: %s\nreference: %s", err, desc, describeOutcomes(outs))
	}
	defer v.Release()
	for r, o := range outs {
		if o.err != nil {
			t.Fatalf("row %d: engine gave a value where the reference fails with %v: %s", r, o.err, desc)
		}
	}
	n := int(rec.NumRows())
	if v.Arr != nil {
		require.Equal(t, n, v.Arr.Len(), desc)
		if e.Type().Kind != types.Null {
			require.True(t, arrow.TypeEqual(e.Type().Arrow(), v.Arr.DataType()), "result type %s, want %s: %s", v.Arr.DataType(), e.Type(), desc)
		}
		nulls := 0
		for i := 0; i < n; i++ {
			if v.Arr.IsNull(i) {
				nulls++
			}
		}
		require.Equal(t, nulls, v.Arr.NullN(), "null count: %s", desc)
	}
	for r, o := range outs {
		got := v.Const
		if v.Arr != nil {
			got = DatumAt(v.Arr, e.Type(), r)
		}
		if msg := sameValue(got, o.v, e.Type()); msg != "" {
			t.Fatalf("row %d: %s: %s\ninputs: %v", r, msg, desc, g.rows[r])
		}
	}
}

func describeOutcomes(outs []outcome) string {
	s := ""
	for r, o := range outs {
		if r == 8 {
			return s + "..."
		}
		s += fmt.Sprintf("[%d: %+v err=%v maybe=%v] ", r, o.v, o.err, o.maybe)
	}
	return s
}

// sameValue compares the engine's Datum with the reference value.
func sameValue(got Datum, want refVal, t types.T) string {
	if !got.Valid || want.null {
		if got.Valid != !want.null {
			return fmt.Sprintf("engine %s, reference %s", got.Text(t), refShow(want, t))
		}
		return ""
	}
	same := true
	switch t.Kind {
	case types.Float64:
		a, b := got.F, want.f
		same = a == b || (math.IsNaN(a) && math.IsNaN(b)) ||
			(!math.IsInf(a, 0) && !math.IsInf(b, 0) && math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)))
	case types.Decimal:
		same = got.D.BigInt().Cmp(want.d) == 0
	case types.String:
		same = got.S == want.s
	default:
		same = got.I == want.i
	}
	if !same {
		return fmt.Sprintf("engine %s, reference %s", got.Text(t), refShow(want, t))
	}
	return ""
}

func refShow(v refVal, t types.T) string {
	if v.null {
		return "NULL"
	}
	return fmt.Sprintf("%q", refText(v, t))
}

// exprGen writes the batch and the expression. The batch's values come
// from a PRNG seeded by the first 8 bytes (so that a small input still
// fills many rows); the expression's shape is steered byte by byte by the
// rest, each choice taking its first alternative once the bytes run out.
type exprGen struct {
	data   []byte
	pos    int
	rng    *rand.Rand
	n      int // rows
	offset int // the batch is rows [offset, offset+n) of a larger one
	cols   []types.T
	all    [][]refVal // every row built, offset ones included
	rows   [][]refVal // the batch's values, for the reference
	nextID ColumnID
}

func newExprGen(data []byte) *exprGen {
	var seed [8]byte
	copy(seed[:], data)
	g := &exprGen{data: data, pos: min(len(data), 8)}
	s := binary.LittleEndian.Uint64(seed[:])
	g.rng = rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
	g.n = 1 + g.choose(4)*g.rng.IntN(90) + g.rng.IntN(8)
	if g.rng.IntN(3) == 0 {
		g.offset = g.rng.IntN(70)
	}
	dec := func() types.T {
		p := 1 + g.rng.IntN(types.MaxDecimalPrecision)
		return types.DecimalType(p, g.rng.IntN(p+1))
	}
	g.cols = []types.T{types.Int64Type, types.Float64Type, dec(), types.StringType, types.DateType,
		types.BoolType, types.Int64Type, dec(), types.StringType}
	total := g.offset + g.n
	all := make([][]refVal, total)
	nullRate := g.rng.IntN(4) // 0: no NULLs at all
	for r := range all {
		all[r] = make([]refVal, len(g.cols))
		for c, t := range g.cols {
			if nullRate > 0 && g.rng.IntN(8) < nullRate {
				all[r][c] = refNull
			} else {
				all[r][c] = g.randValue(t)
			}
		}
	}
	g.rows = all[g.offset:]
	g.all = all
	return g
}

func (g *exprGen) choose(n int) int {
	if g.pos >= len(g.data) || n <= 1 {
		return 0
	}
	c := int(g.data[g.pos]) % n
	g.pos++
	return c
}

var (
	intPool = []int64{0, 1, -1, 2, 3, 7, 10, -10, 100, 1 << 31, -1 << 31, math.MaxInt64, math.MinInt64,
		math.MaxInt64 - 1, math.MinInt64 + 1, 1 << 32, 1 << 62, 86400, 2932896, -719162}
	floatPool = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 1.5, 2.5, -2.5, 0.125, 1e308, -1e308,
		5e-324, math.NaN(), math.Inf(1), math.Inf(-1), 1e21, 1e-5, 3.14159, 9.223372036854775807e18, 1e15 + 0.5}
	strPool = []string{"", "a", "abc", "ABC", "é", "日本語", "  pad  ", "%", "_", "a%b", "x_y", "1", "-5",
		" 42 ", "1.5", "2.50", "1e3", "2024-02-29", "2023-02-29", "1995-03-15", "true", "no", "\xff\xfe",
		"aaa", "ab", "b", "9223372036854775808", "nan", "-0", "0001-01-01", "abcabc", "Straße"}
	datePool = []int64{0, 1, -1, 9131, 10957, 11016, math.MaxInt32, math.MinInt32, -719162, 2932896, 19782, 19723}
)

// randValue draws a value of type t: mostly from the pools of awkward
// values, sometimes uniformly.
func (g *exprGen) randValue(t types.T) refVal {
	r := g.rng
	switch t.Kind {
	case types.Bool:
		return refBool(r.IntN(2) == 1)
	case types.Int64:
		if r.IntN(3) == 0 {
			return refVal{i: intPool[r.IntN(len(intPool))]}
		}
		if r.IntN(2) == 0 {
			return refVal{i: int64(r.Uint64())}
		}
		return refVal{i: r.Int64N(2001) - 1000}
	case types.Float64:
		if r.IntN(3) == 0 {
			return refVal{f: floatPool[r.IntN(len(floatPool))]}
		}
		if r.IntN(4) == 0 {
			return refVal{f: math.Float64frombits(r.Uint64())}
		}
		return refVal{f: float64(r.Int64N(20001)-10000) / float64(int64(1)<<r.IntN(8))}
	case types.Decimal:
		digits := r.IntN(int(t.Precision) + 1)
		if r.IntN(4) == 0 {
			digits = int(t.Precision) // the widest value
		}
		v := new(big.Int)
		for i := 0; i < digits; i++ {
			v.Mul(v, big.NewInt(10))
			d := int64(r.IntN(10))
			if r.IntN(5) == 0 {
				d = 9
			}
			v.Add(v, big.NewInt(d))
		}
		if r.IntN(2) == 0 {
			v.Neg(v)
		}
		return refVal{d: v}
	case types.String:
		if r.IntN(3) > 0 {
			return refVal{s: strPool[r.IntN(len(strPool))]}
		}
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = "abcAB %_-.0123é"[r.IntN(16)]
		}
		return refVal{s: string(b)}
	case types.Date:
		if r.IntN(3) == 0 {
			return refVal{i: datePool[r.IntN(len(datePool))]}
		}
		return refVal{i: r.Int64N(2932896+719162) - 719162} // 0001-01-01 .. 9999-12-31
	}
	return refNull
}

// record builds the Arrow batch (with builders, not with the code under
// test), slicing a larger one when offset > 0.
func (g *exprGen) record(mem memory.Allocator) arrow.Record {
	fields := make([]arrow.Field, len(g.cols))
	for i, t := range g.cols {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: t.Arrow(), Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, row := range g.all {
		for c, v := range row {
			fb := b.Field(c)
			if v.null {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.Int64Builder:
				fb.Append(v.i)
			case *array.Float64Builder:
				fb.Append(v.f)
			case *array.Decimal128Builder:
				fb.Append(decimal128.FromBigInt(v.d))
			case *array.StringBuilder:
				fb.Append(v.s)
			case *array.Date32Builder:
				fb.Append(arrow.Date32(v.i))
			case *array.BooleanBuilder:
				fb.Append(v.i != 0)
			}
		}
	}
	rec := b.NewRecord()
	if g.offset == 0 {
		return rec
	}
	defer rec.Release()
	return rec.NewSlice(int64(g.offset), int64(g.offset+g.n))
}

// Expression generation.

func (g *exprGen) column(k types.Kind) Expr {
	var idx []int
	for i, t := range g.cols {
		if t.Kind == k {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	i := idx[g.choose(len(idx))]
	g.nextID++
	return &ColumnRef{ID: g.nextID, Name: fmt.Sprintf("c%d", i), T: g.cols[i], Index: i}
}

func (g *exprGen) literal(k types.Kind) Expr {
	t := types.T{Kind: k}
	if k == types.Decimal {
		t = []types.T{types.DecimalType(10, 2), types.DecimalType(38, 0), types.DecimalType(5, 5),
			types.DecimalType(19, 4), types.DecimalType(1, 0)}[g.choose(5)]
	}
	if g.choose(6) == 5 {
		return &Literal{T: t}
	}
	v := g.randValue(t)
	var d Datum
	switch k {
	case types.Float64:
		d = FloatDatum(v.f)
	case types.Decimal:
		d = DecDatum(decimal128.FromBigInt(v.d))
	case types.String:
		d = StrDatum(v.s)
	default:
		d = Datum{Valid: true, I: v.i}
	}
	return &Literal{Value: d, T: t}
}

func (g *exprGen) leaf(k types.Kind) Expr {
	if g.choose(3) > 0 || g.pos >= len(g.data) {
		if c := g.column(k); c != nil {
			return c
		}
	}
	return g.literal(k)
}

// genCast converts x to t the way the binder does (no node when equal).
func genCast(x Expr, t types.T) Expr {
	if x.Type() == t {
		return x
	}
	return &Cast{X: x, To: t}
}

// call resolves a function like the binder's call, or returns nil.
func (g *exprGen) call(name string, args ...Expr) Expr {
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	sig, err := ResolveFunc(name, ts)
	if err != nil {
		return nil
	}
	out := make([]Expr, len(args))
	for i, a := range args {
		if !CanCast(a.Type(), sig.Params[i]) {
			return nil
		}
		out[i] = genCast(a, sig.Params[i])
	}
	return &Func{Name: name, Args: out, T: sig.Ret}
}

// genDecimalOf is the binder's decimal type of an arithmetic operand.
func genDecimalOf(e Expr) types.T {
	t := e.Type()
	if t.Kind != types.Int64 {
		return t
	}
	if lit, ok := e.(*Literal); ok && lit.Value.Valid && lit.Value.I >= math.MinInt32 && lit.Value.I <= math.MaxInt32 {
		return types.DecimalType(10, 0)
	}
	return types.DecimalType(19, 0)
}

func genCommonDecimal(a, b types.T) types.T {
	s := max(a.Scale, b.Scale)
	intDigits := max(int(a.Precision)-int(a.Scale), int(b.Precision)-int(b.Scale))
	return types.T{Kind: types.Decimal, Precision: uint8(min(intDigits+int(s), types.MaxDecimalPrecision)), Scale: s}
}

func genWidenTo(t types.T, s uint8) types.T {
	p := int(t.Precision) - int(t.Scale) + int(s)
	return types.T{Kind: types.Decimal, Precision: uint8(min(p, types.MaxDecimalPrecision)), Scale: s}
}

// genDecimalArith builds l op r for decimal (or integer and decimal) operands
// with the binder's typing.
func genDecimalArith(op BinOp, l, r Expr) Expr {
	dl, dr := genDecimalOf(l), genDecimalOf(r)
	switch op {
	case OpMul:
		res, ok := types.DecimalMulType(dl, dr)
		if !ok {
			return &Binary{Op: op, L: genCast(l, types.Float64Type), R: genCast(r, types.Float64Type), T: types.Float64Type}
		}
		return &Binary{Op: op, L: genCast(l, dl), R: genCast(r, dr), T: res}
	case OpMod:
		res := genCommonDecimal(dl, dr)
		return &Binary{Op: op, L: genCast(l, genWidenTo(dl, res.Scale)), R: genCast(r, genWidenTo(dr, res.Scale)), T: res}
	}
	res := types.DecimalAddType(dl, dr)
	return &Binary{Op: op, L: genCast(l, genWidenTo(dl, res.Scale)), R: genCast(r, genWidenTo(dr, res.Scale)), T: res}
}

// unifyTo casts every expression to the first one's type (decimals to the
// common decimal), as the binder's unify does.
func unifyTo(es []Expr) []Expr {
	t := es[0].Type()
	for _, e := range es[1:] {
		if t.Kind == types.Decimal && e.Type().Kind == types.Decimal {
			t = genCommonDecimal(t, e.Type())
		}
	}
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = genCast(e, t)
	}
	return out
}

// gen returns an expression of kind k (any decimal type for Decimal).
func (g *exprGen) gen(k types.Kind, depth int) Expr {
	if depth <= 0 || g.choose(5) == 0 {
		return g.leaf(k)
	}
	sub := func(k types.Kind) Expr { return g.gen(k, depth-1) }
	var e Expr
	switch g.choose(8) {
	case 0:
		e = g.caseOf(k, depth)
	case 1:
		if k != types.Bool {
			args := []Expr{sub(k), sub(k)}
			if g.choose(2) == 1 {
				args = append(args, sub(k))
			}
			e = g.call([]string{"greatest", "least"}[g.choose(2)], unifyTo(args)...)
		}
	case 2:
		e = g.castTo(k, depth)
	default:
		switch k {
		case types.Int64:
			e = g.genInt(depth, sub)
		case types.Float64:
			e = g.genFloat(depth, sub)
		case types.Decimal:
			e = g.genDecimal(depth, sub)
		case types.String:
			e = g.genString(depth, sub)
		case types.Date:
			e = g.genDate(depth, sub)
		default:
			e = g.genBool(depth, sub)
		}
	}
	if e == nil || e.Type().Kind != k { // decimal * may fall back to DOUBLE
		return g.leaf(k)
	}
	return e
}

func (g *exprGen) caseOf(k types.Kind, depth int) Expr {
	c := &Case{}
	var vals []Expr
	for i := 0; i <= g.choose(3); i++ {
		c.Whens = append(c.Whens, When{Cond: g.gen(types.Bool, depth-1)})
		vals = append(vals, g.gen(k, depth-1))
	}
	hasElse := g.choose(2) == 1
	if hasElse {
		vals = append(vals, g.gen(k, depth-1))
	}
	vals = unifyTo(vals)
	for i := range c.Whens {
		c.Whens[i].Then = vals[i]
	}
	if hasElse {
		c.Else = vals[len(vals)-1]
	}
	c.T = vals[0].Type()
	return c
}

// castTo writes CAST(x AS k) from a random castable kind.
func (g *exprGen) castTo(k types.Kind, depth int) Expr {
	from := []types.Kind{types.Int64, types.Float64, types.Decimal, types.String, types.Bool, types.Date}[g.choose(6)]
	x := g.gen(from, depth-1)
	to := types.T{Kind: k}
	if k == types.Decimal {
		p := 1 + g.choose(types.MaxDecimalPrecision)
		to = types.DecimalType(p, g.choose(p+1))
	}
	if !CanCast(x.Type(), to) {
		return nil
	}
	return genCast(x, to)
}

func (g *exprGen) genInt(depth int, sub func(types.Kind) Expr) Expr {
	if g.choose(8) == 0 {
		return g.moreInt(sub)
	}
	switch g.choose(9) {
	case 0, 1, 2:
		op := []BinOp{OpAdd, OpSub, OpMul, OpIntDiv, OpMod}[g.choose(5)]
		return &Binary{Op: op, L: sub(types.Int64), R: sub(types.Int64), T: types.Int64Type}
	case 3:
		return g.call([]string{"abs", "negate"}[g.choose(2)], sub(types.Int64))
	case 4:
		return g.call([]string{"length", "octet_length"}[g.choose(2)], sub(types.String))
	case 5:
		return g.call("strpos", sub(types.String), sub(types.String))
	case 6:
		part := []string{"year", "month", "day", "quarter", "dow", "doy", "week", "epoch", "dayofweek"}[g.choose(9)]
		if g.choose(2) == 1 && part != "epoch" && part != "dow" && part != "doy" {
			return g.call(part, sub(types.Date))
		}
		return g.call("extract", &Literal{Value: StrDatum(part), T: types.StringType}, sub(types.Date))
	case 7:
		return g.call("date_diff_days", sub(types.Date), sub(types.Date))
	default:
		if g.choose(2) == 1 {
			return g.call("sign", sub(types.Float64))
		}
		return g.call("round", sub(types.Int64), g.digits())
	}
}

// digits is a constant digit count for round.
func (g *exprGen) digits() Expr {
	return &Literal{Value: IntDatum([]int64{0, 1, 2, -1, -2, 5, 20, -20, 400, -400}[g.choose(10)]), T: types.Int64Type}
}

func (g *exprGen) genFloat(depth int, sub func(types.Kind) Expr) Expr {
	if g.choose(8) == 0 {
		return g.moreFloat(sub)
	}
	switch g.choose(6) {
	case 0, 1:
		op := []BinOp{OpAdd, OpSub, OpMul, OpDiv, OpMod}[g.choose(5)]
		l, r := sub(types.Float64), sub(types.Float64)
		if g.choose(3) == 0 { // BIGINT / BIGINT is a DOUBLE division
			l, r = sub(types.Int64), sub(types.Int64)
		}
		return &Binary{Op: op, L: genCast(l, types.Float64Type), R: genCast(r, types.Float64Type), T: types.Float64Type}
	case 2:
		fn := []string{"sqrt", "ln", "log10", "log2", "exp", "sin", "cos", "tan", "atan", "abs", "negate", "floor", "ceil"}[g.choose(13)]
		return g.call(fn, sub(types.Float64))
	case 3:
		return g.call("power", sub(types.Float64), sub(types.Float64))
	case 4:
		return g.call("round", sub(types.Float64), g.digits())
	default:
		return g.call("round", sub(types.Float64))
	}
}

func (g *exprGen) genDecimal(depth int, sub func(types.Kind) Expr) Expr {
	if g.choose(8) == 0 {
		return g.moreDecimal(sub)
	}
	switch g.choose(5) {
	case 0, 1, 2:
		op := []BinOp{OpAdd, OpSub, OpMul, OpMod}[g.choose(4)]
		l, r := sub(types.Decimal), sub(types.Decimal)
		if g.choose(3) == 0 {
			l = sub(types.Int64)
		}
		return genDecimalArith(op, l, r)
	case 3:
		return g.call([]string{"abs", "negate", "floor", "ceil"}[g.choose(4)], sub(types.Decimal))
	default:
		if g.choose(2) == 1 {
			return g.call("round", sub(types.Decimal))
		}
		return g.call("round", sub(types.Decimal), g.digits())
	}
}

func (g *exprGen) genString(depth int, sub func(types.Kind) Expr) Expr {
	if g.choose(8) == 0 {
		return g.moreString(sub)
	}
	s := func() Expr { return sub(types.String) }
	i := func() Expr { return sub(types.Int64) }
	switch g.choose(11) {
	case 0:
		return g.call([]string{"upper", "lower", "reverse", "trim", "ltrim", "rtrim"}[g.choose(6)], s())
	case 1:
		return g.call("substring", s(), i())
	case 2:
		return g.call("substring", s(), i(), i())
	case 3:
		return g.call([]string{"left", "right"}[g.choose(2)], s(), i())
	case 4:
		args := []Expr{s()}
		for j := 0; j <= g.choose(3); j++ {
			args = append(args, genCast(sub([]types.Kind{types.String, types.Int64, types.Date, types.Float64}[g.choose(4)]), types.StringType))
		}
		return g.call("concat", args...)
	case 5:
		return g.call("||", s(), s())
	case 6:
		return g.call([]string{"trim", "ltrim", "rtrim"}[g.choose(3)], s(), s())
	case 7:
		return g.call("replace", s(), s(), s())
	case 8: // small counts: big ones only cost memory (TestEvalBadInput has those)
		return g.call("repeat", s(), &Literal{Value: IntDatum(int64(g.choose(5)) - 1), T: types.Int64Type})
	default:
		return g.call("concat", s(), s())
	}
}

func (g *exprGen) genDate(depth int, sub func(types.Kind) Expr) Expr {
	d := func() Expr { return sub(types.Date) }
	switch g.choose(4) {
	case 0:
		iv := []Datum{IntervalDatum(1, 0, 0), IntervalDatum(0, 1, 0), IntervalDatum(-1, 0, 0), IntervalDatum(12, 0, 0),
			IntervalDatum(0, -30, 0), IntervalDatum(1, 1, 0), IntervalDatum(math.MaxInt32, 0, 0), IntervalDatum(0, math.MinInt32, 0)}[g.choose(8)]
		return g.call([]string{"date_add", "date_sub"}[g.choose(2)], d(), &Literal{Value: iv, T: types.IntervalType})
	case 1:
		return g.call("date_add_days", d(), sub(types.Int64))
	case 2:
		part := []string{"year", "quarter", "month", "week", "day"}[g.choose(5)]
		return g.call("date_trunc", &Literal{Value: StrDatum(part), T: types.StringType}, d())
	default:
		return genCast(sub(types.String), types.DateType)
	}
}

func (g *exprGen) genBool(depth int, sub func(types.Kind) Expr) Expr {
	if g.choose(8) == 0 {
		return g.moreBool(sub)
	}
	anyKind := func() types.Kind {
		return []types.Kind{types.Int64, types.Float64, types.Decimal, types.String, types.Date, types.Bool}[g.choose(6)]
	}
	switch g.choose(9) {
	case 0, 1:
		k := anyKind()
		lr := unifyTo([]Expr{sub(k), sub(k)})
		op := []BinOp{OpEq, OpNe, OpLt, OpLe, OpGt, OpGe}[g.choose(6)]
		return &Binary{Op: op, L: lr[0], R: lr[1], T: types.BoolType}
	case 2:
		args := []Expr{sub(types.Bool), sub(types.Bool)}
		for j := 0; j < g.choose(3); j++ {
			args = append(args, sub(types.Bool))
		}
		if g.choose(2) == 1 {
			return &And{Args: args}
		}
		return &Or{Args: args}
	case 3:
		return &Not{X: sub(types.Bool)}
	case 4:
		return &IsNull{X: sub(anyKind()), Negated: g.choose(2) == 1}
	case 5:
		k := anyKind()
		x := sub(k)
		list := []Expr{g.literal(k)}
		for j := 0; j < g.choose(5); j++ {
			list = append(list, g.literal(k))
		}
		all := unifyTo(append([]Expr{x}, list...))
		for j, it := range all[1:] { // the binder folds the casts of constants
			if c, ok := it.(*Cast); ok {
				d, err := CastDatum(c.X.(*Literal).Value, c.X.Type(), c.To)
				if err != nil {
					return nil
				}
				all[j+1] = &Literal{Value: d, T: c.To}
			}
		}
		return &InList{X: all[0], List: all[1:], Negated: g.choose(2) == 1}
	case 6:
		pat := []string{"%", "a%", "%b", "%a%", "_", "a_c", "%\\%%", "\\_%", "ab", "", "%é%", "_b%", "a%c%", "%!%%", "___"}[g.choose(15)]
		esc := []byte{0, '\\', '!'}[g.choose(3)]
		return &Like{X: sub(types.String), Pattern: &Literal{Value: StrDatum(pat), T: types.StringType}, Negated: g.choose(2) == 1, Escape: esc}
	case 7:
		return g.call([]string{"starts_with", "ends_with", "contains"}[g.choose(3)], sub(types.String), sub(types.String))
	default:
		return g.castTo(types.Bool, depth)
	}
}

// evalCase evaluates e over rows of values (types cols) with the engine
// and the reference; it returns the engine's results as text (NULL for
// NULL) or its error, after checking that the reference agrees.
func evalCase(t *testing.T, e Expr, cols []types.T, rows [][]refVal) ([]string, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	g := &exprGen{cols: cols, all: rows, rows: rows, n: len(rows)}
	rec := g.record(mem)
	defer rec.Release()
	ev, err := Compile(e)
	require.NoError(t, err)
	v, err := ev.Eval(testEnv{mem}, rec)
	ref := &refEval{rows: rows}
	if err != nil {
		for r := range rows {
			o := ref.eval(e, r)
			if o.err != nil && errors.Is(err, o.err.(*sqlerr.Error).Kind) {
				return nil, err
			}
		}
		t.Fatalf("engine error %v, the reference has none of that kind", err)
	}
	defer v.Release()
	if v.Arr != nil {
		require.Equal(t, len(rows), v.Arr.Len())
	}
	var out []string
	for r := range rows {
		got := v.Const
		if v.Arr != nil {
			got = DatumAt(v.Arr, e.Type(), r)
		}
		o := ref.eval(e, r)
		require.NoError(t, o.err, "the reference fails where the engine does not")
		require.Empty(t, sameValue(got, o.v, e.Type()), "row %d", r)
		out = append(out, got.Text(e.Type()))
	}
	return out, nil
}

// TestEvalBadInput is the expression part of the bad-input catalogue and
// the regression tests of what FuzzEval found. Each case runs on the
// engine and on the reference evaluator.
func TestEvalBadInput(t *testing.T) {
	i64, f64, s, d := types.Int64Type, types.Float64Type, types.StringType, types.DateType
	dec := types.DecimalType
	col := func(i int, t types.T) Expr {
		return &ColumnRef{ID: ColumnID(i + 1), Name: fmt.Sprintf("c%d", i), T: t, Index: i}
	}
	lit := func(v Datum, t types.T) Expr { return &Literal{Value: v, T: t} }
	fn := func(name string, args ...Expr) Expr {
		g := &exprGen{}
		e := g.call(name, args...)
		require.NotNil(t, e, name)
		return e
	}
	iv := func(v int64) refVal { return refVal{i: v} }
	fv := func(v float64) refVal { return refVal{f: v} }
	sv := func(v string) refVal { return refVal{s: v} }
	dv := func(v int64) refVal { return refVal{d: big.NewInt(v)} }
	nan := math.NaN()
	cases := []struct {
		name string
		e    Expr
		cols []types.T
		rows [][]refVal
		want []string // nil: an error of kind err
		err  error
	}{
		// round(DECIMAL(p,s)) kept DECIMAL(p,s): 9.99 rounded to 10.00,
		// which does not fit. It is DECIMAL(p+1,s) now.
		{"round carries into a new digit", fn("round", col(0, dec(3, 2))), []types.T{dec(3, 2)},
			[][]refVal{{dv(999)}, {dv(-951)}, {dv(449)}}, []string{"10.00", "-10.00", "4.00"}, nil},
		{"round at 38 digits overflows", fn("round", col(0, dec(38, 1))), []types.T{dec(38, 1)},
			[][]refVal{{{d: new(big.Int).Sub(refPow10(38), big.NewInt(1))}}}, nil, sqlerr.ErrOverflow},
		{"round to tens", fn("round", col(0, dec(5, 2)), lit(IntDatum(-1), i64)), []types.T{dec(5, 2)},
			[][]refVal{{dv(12345)}, {dv(-15000)}}, []string{"120.00", "-150.00"}, nil},
		{"round a BIGINT to tens", fn("round", col(0, i64), lit(IntDatum(-1), i64)), []types.T{i64},
			[][]refVal{{iv(15)}, {iv(-15)}, {iv(14)}}, []string{"20", "-20", "10"}, nil},
		{"round a BIGINT past its range", fn("round", col(0, i64), lit(IntDatum(-1), i64)), []types.T{i64},
			[][]refVal{{iv(math.MaxInt64)}}, nil, sqlerr.ErrOverflow},
		{"round a double far left of the point", fn("round", col(0, f64), lit(IntDatum(-400), i64)), []types.T{f64},
			[][]refVal{{fv(637.75)}}, []string{"0"}, nil},
		{"round a double where x*10^d is infinite", fn("round", col(0, f64), lit(IntDatum(10), i64)), []types.T{f64},
			[][]refVal{{fv(1e300)}}, []string{"1e+300"}, nil},
		// Date arithmetic wrapped around the Date32 range.
		{"date + 1 month past the end", fn("date_add", col(0, d), lit(IntervalDatum(1, 0, 0), types.IntervalType)), []types.T{d},
			[][]refVal{{iv(math.MaxInt32)}}, nil, sqlerr.ErrOverflow},
		{"date + huge days", fn("date_add_days", col(0, d), col(1, i64)), []types.T{d, i64},
			[][]refVal{{iv(0), iv(math.MaxInt64)}}, nil, sqlerr.ErrOverflow},
		{"date_trunc below the start", fn("date_trunc", lit(StrDatum("year"), s), col(0, d)), []types.T{d},
			[][]refVal{{iv(math.MinInt32)}}, nil, sqlerr.ErrOverflow},
		{"date + months clamps the day", fn("date_add", col(0, d), lit(IntervalDatum(1, 0, 0), types.IntervalType)), []types.T{d},
			[][]refVal{{iv(19753)}}, []string{"2024-02-29"}, nil},
		// NaN is equal to itself and above every other double, as in
		// DuckDB and in minisql's own sort; Go's operators said otherwise.
		{"NaN = NaN", &Binary{Op: OpEq, L: col(0, f64), R: col(0, f64), T: types.BoolType}, []types.T{f64},
			[][]refVal{{fv(nan)}, {fv(1)}}, []string{"true", "true"}, nil},
		{"NaN > +inf", &Binary{Op: OpGt, L: col(0, f64), R: lit(FloatDatum(math.Inf(1)), f64), T: types.BoolType}, []types.T{f64},
			[][]refVal{{fv(nan)}}, []string{"true"}, nil},
		{"NaN IN (NaN)", &InList{X: col(0, f64), List: []Expr{lit(FloatDatum(nan), f64)}}, []types.T{f64},
			[][]refVal{{fv(nan)}, {fv(0)}}, []string{"true", "false"}, nil},
		// repeat('ab', 2^62) overflowed the size check and panicked in
		// bytes.Repeat; a NULL row's (garbage) count raised errors.
		{"repeat with a huge count", fn("repeat", col(0, s), col(1, i64)), []types.T{s, i64},
			[][]refVal{{sv("ab"), iv(1 << 62)}}, nil, sqlerr.ErrInvalidValue},
		{"repeat on a NULL row", fn("repeat", col(0, s), &Binary{Op: OpAdd, L: col(1, i64), R: lit(IntDatum(1<<40), i64), T: i64}),
			[]types.T{s, i64}, [][]refVal{{sv("ab"), refNull}, {sv("x"), iv(-(1 << 40))}}, []string{"NULL", ""}, nil},
		// IN over a constant that is not a literal returned one row for
		// the whole batch.
		{"IN over a constant expression", &InList{X: fn("greatest", lit(IntDatum(100), i64), lit(IntDatum(1<<31), i64)),
			List: []Expr{lit(IntDatum(1<<31), i64)}}, []types.T{i64}, [][]refVal{{iv(1)}, {iv(2)}, {iv(3)}},
			[]string{"true", "true", "true"}, nil},
		// Shrinking a decimal's scale can carry into a new digit.
		{"DECIMAL(3,2) to DECIMAL(1,0)", &Cast{X: col(0, dec(3, 2)), To: dec(1, 0)}, []types.T{dec(3, 2)},
			[][]refVal{{dv(999)}}, nil, sqlerr.ErrOverflow},
		// Huge counts overflowed substring's end position.
		{"left with a huge count", fn("left", col(0, s), col(1, i64)), []types.T{s, i64},
			[][]refVal{{sv("abc"), iv(math.MaxInt64)}, {sv("日本語"), iv(math.MaxInt64)}}, []string{"abc", "日本語"}, nil},
		{"right longer than the string", fn("right", col(0, s), col(1, i64)), []types.T{s, i64},
			[][]refVal{{sv("abc"), iv(5)}, {sv("abc"), iv(math.MaxInt64)}, {sv("abc"), iv(-1)}}, []string{"abc", "abc", "bc"}, nil},
		{"substring with a huge count", fn("substring", col(0, s), col(1, i64), col(2, i64)), []types.T{s, i64, i64},
			[][]refVal{{sv("abc"), iv(2), iv(math.MaxInt64)}, {sv("abc"), iv(math.MinInt64), iv(2)}, {sv("abc"), iv(math.MinInt64), iv(math.MaxInt64)}}, []string{"bc", "", "ab"}, nil},
		// Go's ReplaceAll inserts between characters for an empty search.
		{"replace an empty string", fn("replace", col(0, s), lit(StrDatum(""), s), lit(StrDatum("x"), s)), []types.T{s},
			[][]refVal{{sv("ab")}}, []string{"ab"}, nil},
		// Overflow and division by zero.
		{"BIGINT overflow", &Binary{Op: OpAdd, L: col(0, i64), R: lit(IntDatum(1), i64), T: i64}, []types.T{i64},
			[][]refVal{{iv(math.MaxInt64)}}, nil, sqlerr.ErrOverflow},
		{"BIGINT overflow on a NULL row is no error", &Binary{Op: OpMul, L: col(0, i64), R: col(1, i64), T: i64}, []types.T{i64, i64},
			[][]refVal{{iv(math.MaxInt64), refNull}}, []string{"NULL"}, nil},
		{"MinInt64 % -1", &Binary{Op: OpMod, L: col(0, i64), R: lit(IntDatum(-1), i64), T: i64}, []types.T{i64},
			[][]refVal{{iv(math.MinInt64)}}, nil, sqlerr.ErrOverflow},
		{"MinInt64 DIV -1", &Binary{Op: OpIntDiv, L: col(0, i64), R: lit(IntDatum(-1), i64), T: i64}, []types.T{i64},
			[][]refVal{{iv(math.MinInt64)}}, nil, sqlerr.ErrOverflow},
		{"abs(MinInt64)", fn("abs", col(0, i64)), []types.T{i64}, [][]refVal{{iv(math.MinInt64)}}, nil, sqlerr.ErrOverflow},
		{"division by zero", &Binary{Op: OpDiv, L: col(0, f64), R: col(1, f64), T: f64}, []types.T{f64, f64},
			[][]refVal{{fv(1), fv(0)}}, nil, sqlerr.ErrDivisionByZero},
		{"decimal modulo by zero", &Binary{Op: OpMod, L: col(0, dec(5, 2)), R: col(1, dec(5, 2)), T: dec(5, 2)}, []types.T{dec(5, 2), dec(5, 2)},
			[][]refVal{{dv(100), dv(0)}}, nil, sqlerr.ErrDivisionByZero},
		{"DECIMAL(38) overflow", &Binary{Op: OpMul, L: col(0, dec(38, 0)), R: col(0, dec(38, 0)), T: dec(38, 0)}, []types.T{dec(38, 0)},
			[][]refVal{{{d: refPow10(20)}}}, nil, sqlerr.ErrOverflow},
		// Invalid dates and casts.
		{"invalid date", &Cast{X: col(0, s), To: d}, []types.T{s}, [][]refVal{{sv("2023-02-29")}}, nil, sqlerr.ErrInvalidValue},
		{"date beyond the range", &Cast{X: col(0, s), To: d}, []types.T{s}, [][]refVal{{sv("999999999-01-01")}}, nil, sqlerr.ErrInvalidValue},
		{"not a number", &Cast{X: col(0, s), To: i64}, []types.T{s}, [][]refVal{{sv("12abc")}}, nil, sqlerr.ErrInvalidValue},
		{"number too big for BIGINT", &Cast{X: col(0, s), To: i64}, []types.T{s}, [][]refVal{{sv("9223372036854775808")}}, nil, sqlerr.ErrOverflow},
		{"NaN to BIGINT", &Cast{X: col(0, f64), To: i64}, []types.T{f64}, [][]refVal{{fv(nan)}}, nil, sqlerr.ErrOverflow},
		{"too many digits for a decimal", &Cast{X: col(0, s), To: dec(38, 0)}, []types.T{s}, [][]refVal{{sv(strings.Repeat("9", 39))}}, nil, sqlerr.ErrInvalidValue},
		{"decimal too wide", &Cast{X: col(0, f64), To: dec(5, 2)}, []types.T{f64}, [][]refVal{{fv(1000)}}, nil, sqlerr.ErrOverflow},
		// Found by the 10-minute FuzzEval run: a double to a decimal of large
		// scale went through floating point and was off in the last digits.
		{"double to a decimal of scale 20", &Cast{X: col(0, f64), To: dec(24, 20)}, []types.T{f64},
			[][]refVal{{fv(-1659.25)}, {fv(0.1)}}, []string{"-1659.25000000000000000000", "0.10000000000000000555"}, nil},
		{"double to a decimal of scale 37", &Cast{X: col(0, f64), To: dec(38, 37)}, []types.T{f64},
			[][]refVal{{fv(0.1)}, {fv(-0.5)}}, []string{"0.1000000000000000055511151231257827021", "-0.5000000000000000000000000000000000000"}, nil},
		{"double to a decimal at a tie", &Cast{X: col(0, f64), To: dec(5, 1)}, []types.T{f64},
			[][]refVal{{fv(0.25)}, {fv(-0.25)}, {fv(2.675)}}, []string{"0.3", "-0.3", "2.7"}, nil},
		{"huge string in a constant column", fn("length", col(0, s)), []types.T{s}, [][]refVal{{sv(strings.Repeat("x", 1<<20))}}, []string{"1048576"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := evalCase(t, tc.e, tc.cols, tc.rows)
			if tc.want == nil {
				require.Error(t, err)
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
