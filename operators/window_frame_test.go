package operators

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// recsOp is a test source returning given records (it hands out its own
// references).
type recsOp struct {
	schema *arrow.Schema
	recs   []arrow.Record
	next   int
}

func (o *recsOp) Schema() *arrow.Schema { return o.schema }
func (o *recsOp) Open(*Task) error      { return nil }
func (o *recsOp) Next(*Task) (arrow.Record, error) {
	if o.next >= len(o.recs) {
		return nil, nil
	}
	o.next++
	return o.recs[o.next-1], nil
}
func (o *recsOp) Close() error {
	for _, r := range o.recs[o.next:] {
		r.Release()
	}
	o.next = len(o.recs)
	return nil
}

// frameRow is one row of the property test's input: partition, order key
// and value (nil: NULL).
type frameRow struct {
	p    int64
	o, v *int64
}

// naiveFrame is the frame of row r by the definition, row by row: the
// rows of r's partition not before its start and not after its end.
// Order keys ascend with NULLs last.
func naiveFrame(rows []frameRow, r int, f Frame) []int {
	cmp := func(i int) int { // i's key against r's, NULLs last
		a, b := rows[i].o, rows[r].o
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return 1
		case b == nil:
			return -1
		}
		return int(min(max(*a-*b, -1), 1))
	}
	within := func(i int, b FrameBound, start bool) bool {
		sign := int64(1)
		if start {
			sign = -1
		}
		switch {
		case b.Kind == UnboundedPreceding || b.Kind == UnboundedFollowing:
			return true
		case !f.Range:
			n := int64(i - r)
			off := map[FrameBoundKind]int64{Preceding: -b.Rows, CurrentRow: 0, Following: b.Rows}[b.Kind]
			return sign*n <= sign*off
		case b.Kind == CurrentRow || rows[r].o == nil:
			return sign*int64(cmp(i)) <= 0
		case rows[i].o == nil:
			return start // NULLs come after every key
		}
		off := b.Dec.LowBits()
		target := *rows[r].o + int64(off)
		if b.Kind == Preceding {
			target = *rows[r].o - int64(off)
		}
		return sign**rows[i].o <= sign*target
	}
	var out []int
	for i := range rows {
		if rows[i].p == rows[r].p && within(i, f.Start, true) && within(i, f.End, false) {
			out = append(out, i)
		}
	}
	return out
}

func randomFrame(r *rand.Rand) Frame {
	bound := func() FrameBound {
		n := r.Int64N(12)
		return FrameBound{Kind: FrameBoundKind(r.IntN(5)), Rows: n, Dec: decimal128.FromI64(n)}
	}
	f := Frame{Range: r.IntN(2) == 0, Start: bound(), End: bound()}
	for f.Start.Kind == UnboundedFollowing {
		f.Start = bound()
	}
	for f.End.Kind == UnboundedPreceding {
		f.End = bound()
	}
	return f
}

// TestWindowFramesMatchNaive compares the frame kernels (prefix sums, the
// segment tree, the deque, RANGE's pointers) with a naive recomputation
// of every row's frame, over random partitions, ties, NULLs and frames,
// across batches and chunks of results.
func TestWindowFramesMatchNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const n = peerChunk + 1500
	var rows []frameRow
	for p := int64(0); len(rows) < n; p++ {
		size := 1 + rng.IntN(400)
		key := int64(0)
		for range size {
			row := frameRow{p: p}
			if rng.IntN(10) > 0 {
				key += rng.Int64N(3) // ties
				k := key
				row.o = &k
			}
			if rng.IntN(6) > 0 {
				v := rng.Int64N(2000) - 1000
				row.v = &v
			}
			rows = append(rows, row)
		}
		// NULL keys last in their partition, as the sort puts them.
		part := rows[len(rows)-size:]
		nn := part[:0:0]
		for _, r := range part {
			if r.o != nil {
				nn = append(nn, r)
			}
		}
		for _, r := range part {
			if r.o == nil {
				nn = append(nn, r)
			}
		}
		copy(part, nn)
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "p", Type: arrow.PrimitiveTypes.Int64}, {Name: "o", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	for round := range 6 {
		src := &recsOp{schema: schema}
		for from := 0; from < len(rows); from += 977 {
			b := array.NewRecordBuilder(mem, schema)
			for _, r := range rows[from:min(len(rows), from+977)] {
				b.Field(0).(*array.Int64Builder).Append(r.p)
				for i, x := range []*int64{r.o, r.v} {
					if x == nil {
						b.Field(1 + i).AppendNull()
					} else {
						b.Field(1 + i).(*array.Int64Builder).Append(*x)
					}
				}
				if r.v == nil {
					b.Field(3).AppendNull()
				} else {
					b.Field(3).(*array.Float64Builder).Append(float64(*r.v) / 8)
				}
			}
			src.recs = append(src.recs, b.NewRecord())
			b.Release()
		}
		f := randomFrame(rng)
		i64, f64 := types.Int64Type, types.Float64Type
		fns := []struct {
			fn  string
			arg int
			out types.T
		}{{"count_star", -1, i64}, {"count", 2, i64}, {"sum", 2, i64}, {"avg", 2, f64}, {"min", 2, i64}, {"max", 2, i64},
			{"sum", 3, f64}, {"first_value", 2, i64}, {"last_value", 2, i64}, {"nth_value", 2, i64}}
		var calls []WindowCall
		for _, c := range fns {
			calls = append(calls, WindowCall{Func: c.fn, Arg: c.arg, Default: -1, Offset: 2, Out: c.out, Name: c.fn, Frame: &f})
		}
		op := NewWindow(src, []SortKey{{Col: 0}}, []SortKey{{Col: 1}}, calls)
		task := NewTask(context.Background(), mem)
		require.NoError(t, op.Open(task))
		row := 0
		for {
			rec, err := op.Next(task)
			require.NoError(t, err)
			if rec == nil {
				break
			}
			for i := range int(rec.NumRows()) {
				frame := naiveFrame(rows, row, f)
				var vals []int64
				for _, j := range frame {
					if rows[j].v != nil {
						vals = append(vals, *rows[j].v)
					}
				}
				msg := []any{"round %d row %d frame %+v: %v", round, row, f, frame}
				col := func(c int) arrow.Array { return rec.Column(4 + c) }
				require.Equal(t, int64(len(frame)), col(0).(*array.Int64).Value(i), msg...)
				require.Equal(t, int64(len(vals)), col(1).(*array.Int64).Value(i), msg...)
				if len(vals) == 0 {
					for c := 2; c <= 6; c++ {
						require.True(t, col(c).IsNull(i), msg...)
					}
				} else {
					sum, lo, hi := int64(0), vals[0], vals[0]
					for _, v := range vals {
						sum, lo, hi = sum+v, min(lo, v), max(hi, v)
					}
					require.Equal(t, sum, col(2).(*array.Int64).Value(i), msg...)
					require.InDelta(t, float64(sum)/float64(len(vals)), col(3).(*array.Float64).Value(i), 1e-9, msg...)
					require.Equal(t, lo, col(4).(*array.Int64).Value(i), msg...)
					require.Equal(t, hi, col(5).(*array.Int64).Value(i), msg...)
					require.InDelta(t, float64(sum)/8, col(6).(*array.Float64).Value(i), 1e-6, msg...)
				}
				pick := func(c, at int) {
					if at < 0 || at >= len(frame) || rows[frame[at]].v == nil {
						require.True(t, col(c).IsNull(i), msg...)
						return
					}
					require.Equal(t, *rows[frame[at]].v, col(c).(*array.Int64).Value(i), msg...)
				}
				pick(7, 0)
				pick(8, len(frame)-1)
				pick(9, 1)
				row++
			}
			rec.Release()
		}
		require.Equal(t, len(rows), row)
		require.NoError(t, op.Close())
	}
}

// TestWindowFrameDecimalSums checks that a frame's decimal sum is exact
// while the prefix sums wrap, and that a frame whose own sum leaves 128
// bits is an overflow, as in GROUP BY.
func TestWindowFrameDecimalSums(t *testing.T) {
	big := types.Pow10(38)
	big, _ = types.SubInt128(big, decimal128.FromI64(1)) // 38 nines
	neg := decimal128.FromI64(0)
	neg, _ = types.SubInt128(neg, big)
	dt := &arrow.Decimal128Type{Precision: 38, Scale: 0}
	cases := []struct {
		name  string
		vals  []decimal128.Num
		start FrameBound
		want  []decimal128.Num // nil: overflow
	}{
		{"one row each while the prefix wraps", []decimal128.Num{big, big, big, neg}, FrameBound{Kind: CurrentRow}, []decimal128.Num{big, big, big, neg}},
		{"two large values overflow", []decimal128.Num{big, big, neg, neg}, FrameBound{Kind: Preceding, Rows: 1}, nil},
		{"a positive and a negative", []decimal128.Num{big, neg, big, neg}, FrameBound{Kind: Preceding, Rows: 1}, []decimal128.Num{big, {}, {}, {}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			schema := arrow.NewSchema([]arrow.Field{{Name: "o", Type: arrow.PrimitiveTypes.Int64}, {Name: "d", Type: dt, Nullable: true}}, nil)
			b := array.NewRecordBuilder(mem, schema)
			for i, v := range tc.vals {
				b.Field(0).(*array.Int64Builder).Append(int64(i))
				b.Field(1).(*array.Decimal128Builder).Append(v)
			}
			src := &recsOp{schema: schema, recs: []arrow.Record{b.NewRecord()}}
			b.Release()
			out := types.DecimalType(38, 0)
			op := NewWindow(src, nil, []SortKey{{Col: 0}}, []WindowCall{{Func: "sum", Arg: 1, Default: -1, Out: out, Name: "s",
				Frame: &Frame{Start: tc.start, End: FrameBound{Kind: CurrentRow}}}})
			task := NewTask(context.Background(), mem)
			require.NoError(t, op.Open(task))
			rec, err := op.Next(task)
			if tc.want == nil {
				require.ErrorIs(t, err, sqlerr.ErrOverflow)
			} else {
				require.NoError(t, err)
				require.Equal(t, tc.want, rec.Column(2).(*array.Decimal128).Values())
				rec.Release()
			}
			require.NoError(t, op.Close())
		})
	}
}

// TestWindowFrameChecksWhileComputing cancels a framed window while its
// kernels run over a large input: each chunk of rows must check.
func TestWindowFrameChecksWhileComputing(t *testing.T) {
	for _, fn := range []string{"sum", "max", "first_value"} {
		t.Run(fn, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			frame := &Frame{Start: FrameBound{Kind: Preceding, Rows: 1000}, End: FrameBound{Kind: Following, Rows: 1000}}
			op := NewWindow(finite(500_000), nil, []SortKey{{Col: 0}}, []WindowCall{{Func: fn, Arg: 0, Default: -1, Out: types.Int64Type, Name: "w", Frame: frame}})
			task := NewTask(ctx, mem)
			require.NoError(t, op.Open(task))
			// Load and number the input, then run the frame with the
			// query cancelled.
			rows := 0
			for {
				rec, err := op.child.Next(task)
				require.NoError(t, err)
				if rec == nil {
					break
				}
				op.batches = append(op.batches, rec)
				op.starts = append(op.starts, rows)
				rows += int(rec.NumRows())
			}
			require.NoError(t, op.number(task))
			cancel()
			chunks, err := op.framed(task, op.calls[0])
			require.ErrorIs(t, err, context.Canceled)
			require.Nil(t, chunks)
			require.NoError(t, op.Close())
		})
	}
}
