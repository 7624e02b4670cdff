package operators

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// The aggregates of a window run the GROUP BY accumulators with the peer
// groups as groups. Without an ORDER BY a partition is one peer group,
// and that is the answer. With one, the default frame runs from the
// partition's start to the current row's last peer, so the per-peer
// results are then accumulated over each partition in order.

func isWindowAgg(f string) bool {
	_, ok := WindowAggKinds[f]
	return ok
}

// WindowAggKinds are the aggregates a window may compute, by name.
var WindowAggKinds = map[string]AggKind{"count": AggCount, "sum": AggSum, "avg": AggAvg, "min": AggMin, "max": AggMax,
	// Over whole partitions only (the binder refuses them with an ORDER BY
	// or a frame): their per-peer results do not accumulate in order. The
	// variances and standard deviations take frames (FramedStatistic).
	"var_samp": AggVarSamp, "variance": AggVarSamp, "var_pop": AggVarPop, "stddev": AggStddevSamp,
	"stddev_samp": AggStddevSamp, "stddev_pop": AggStddevPop, "bool_and": AggBoolAnd, "every": AggBoolAnd,
	"bool_or": AggBoolOr, "product": AggProduct, "approx_count_distinct": AggApproxCountDistinct,
	"entropy": AggEntropy, "skewness": AggSkewness, "kurtosis": AggKurtosis,
	"median": AggQuantileCont, "quantile_cont": AggQuantileCont, "quantile_disc": AggQuantileDisc, "quantile": AggQuantileDisc}

// WholePartitionOnly reports whether a window aggregate runs only over
// whole partitions (no ORDER BY, no frame).
func WholePartitionOnly(name string) bool {
	switch name {
	case "count", "sum", "avg", "min", "max":
		return false
	}
	return isWindowAgg(name) && !FramedStatistic(name)
}

// FramedStatistic reports whether a window aggregate is one of the
// variances and standard deviations, skewness and kurtosis, product, the
// quantiles, bool_and or bool_or:
// bound as the whole-partition ones are, they also run over an ORDER BY's
// default frame or any other (window_frame_moments.go,
// window_frame_skew.go, window_frame_product.go, window_frame_quantile.go,
// window_frame_bool.go).
func FramedStatistic(name string) bool {
	switch name {
	case "var_samp", "variance", "var_pop", "stddev", "stddev_samp", "stddev_pop",
		"median", "quantile_cont", "quantile_disc", "quantile", "bool_and", "every", "bool_or",
		"skewness", "kurtosis", "product":
		return true
	}
	return false
}

// aggregate returns an aggregate call's result per peer group, in chunks
// of peerChunk.
func (w *Window) aggregate(t *Task, c WindowCall) ([]arrow.Array, error) {
	in := types.MustFromArrow(w.child.Schema().Field(c.Arg).Type)
	kind := WindowAggKinds[c.Func]
	if len(w.order) > 0 && kind == AggAvg {
		return w.runningAvg(t, c.Arg, in)
	}
	groups, err := w.perPeerAgg(t, AggSpec{Kind: kind, Arg: c.Arg, In: in, Frac: c.Frac, Distinct: c.Distinct})
	if err != nil || len(w.order) == 0 {
		return groups, err
	}
	defer releaseArrays(groups)
	return w.running(t, kind, groups)
}

func releaseArrays(arrs []arrow.Array) {
	for _, a := range arrs {
		a.Release()
	}
}

// perPeerAgg runs one accumulator over the input with the peer groups as
// groups and returns its results in chunks.
func (w *Window) perPeerAgg(t *Task, spec AggSpec) ([]arrow.Array, error) {
	out, err := AggResultType(spec.Kind, spec.In)
	if err != nil {
		return nil, err
	}
	spec.Out = out
	arg := spec.Arg
	acc, err := newAccumulator(spec)
	if err != nil {
		return nil, err
	}
	groups := w.idx.peerStart.Len()
	if err := acc.resize(t, groups); err != nil {
		return nil, err
	}
	var gids []int32
	for bi, b := range w.batches {
		start, n := w.starts[bi], int(b.NumRows())
		gids = gids[:0]
		w.idx.peer.Chunks(start, start+n, func(_ int, s []int32) { gids = append(gids, s...) })
		if err := acc.update(t, gids, b.Column(arg)); err != nil {
			return nil, err
		}
		if err := t.Spend(n); err != nil {
			return nil, err
		}
	}
	var chunks []arrow.Array
	for from := 0; from < groups; from += peerChunk {
		if p, ok := acc.(preparer); ok {
			if err := p.prepare(t, from, min(groups, from+peerChunk)); err != nil {
				releaseArrays(chunks)
				return nil, err
			}
		}
		chunks = append(chunks, acc.finish(t.Alloc(), from, min(groups, from+peerChunk)))
		if err := t.Spend(peerChunk); err != nil {
			releaseArrays(chunks)
			return nil, err
		}
	}
	return chunks, nil
}

// running accumulates per-peer results over each partition, in order.
func (w *Window) running(t *Task, kind AggKind, groups []arrow.Array) ([]arrow.Array, error) {
	if len(groups) == 0 {
		return nil, nil
	}
	switch kind {
	case AggCount, AggSum:
		switch groups[0].(type) {
		case *array.Int64:
			return prefixChunks(w, t, groups, func(a arrow.Array) []int64 { return a.(*array.Int64).Int64Values() },
				func(a, b int64) int64 { return a + b })
		case *array.Float64:
			return prefixChunks(w, t, groups, func(a arrow.Array) []float64 { return a.(*array.Float64).Float64Values() },
				func(a, b float64) float64 { return a + b })
		case *array.Decimal128:
			return prefixChunks(w, t, groups, func(a arrow.Array) []decimal128.Num { return a.(*array.Decimal128).Values() },
				func(a, b decimal128.Num) decimal128.Num { return a.Add(b) })
		}
	case AggMin, AggMax:
		return w.runningBest(t, groups, kind == AggMax)
	}
	return nil, fmt.Errorf("window: no running %s over %s", kind, groups[0].DataType())
}

// newPartition reports whether peer group g starts a partition.
func (w *Window) newPartition(g int) bool {
	return g == 0 || w.idx.peerPart.Get(g) != w.idx.peerPart.Get(g-1)
}

// prefixChunks adds up each partition's per-peer values in order; a
// prefix of NULLs (no value yet) stays NULL.
func prefixChunks[T any](w *Window, t *Task, groups []arrow.Array, values func(arrow.Array) []T, add func(a, b T) T) ([]arrow.Array, error) {
	var out []arrow.Array
	var acc T
	seen := false
	for ci, g := range groups {
		vals := values(g)
		n := g.Len()
		buf, dst := vector.AllocValuesUninit[T](t.Alloc(), n)
		valid := make([]bool, n)
		for k := range n {
			if w.newPartition(ci*peerChunk + k) {
				var zero T
				acc, seen = zero, false
			}
			if g.IsValid(k) {
				if seen {
					acc = add(acc, vals[k])
				} else {
					acc, seen = vals[k], true
				}
			}
			dst[k], valid[k] = acc, seen
		}
		vbuf, nulls := seenValidity(t.Alloc(), valid)
		out = append(out, vector.NewFixedArray(g.DataType(), n, vbuf, nulls, buf))
		if err := t.Spend(n); err != nil {
			releaseArrays(out)
			return nil, err
		}
	}
	return out, nil
}

// runningBest is the running minimum or maximum of each partition's
// per-peer values, NULLs skipped.
func (w *Window) runningBest(t *Task, groups []arrow.Array, max bool) ([]arrow.Array, error) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: groups[0].DataType(), Nullable: true}}, nil)
	cmp := newRowComparator([]SortKey{{Col: 0}}, schema)
	for _, g := range groups {
		rec := array.NewRecord(schema, []arrow.Array{g}, int64(g.Len()))
		cmp.addBatch(rec)
		rec.Release() // the comparator keeps the arrays, which groups owns
	}
	var out []arrow.Array
	best := vector.RowRef{Batch: -1}
	for ci, g := range groups {
		refs := make([]vector.RowRef, g.Len())
		for k := range refs {
			if w.newPartition(ci*peerChunk + k) {
				best = vector.RowRef{Batch: -1}
			}
			if g.IsValid(k) {
				if best.Batch < 0 {
					best = vector.RowRef{Batch: int32(ci), Row: int32(k)}
				} else if c := cmp.compare(ci, k, int(best.Batch), int(best.Row)); max && c > 0 || !max && c < 0 {
					best = vector.RowRef{Batch: int32(ci), Row: int32(k)}
				}
			}
			refs[k] = best
		}
		out = append(out, vector.TakeMulti(t.Alloc(), groups, refs))
		if err := t.Spend(len(refs)); err != nil {
			releaseArrays(out)
			return nil, err
		}
	}
	return out, nil
}

// runningAvg divides the running sum by the running count, as a DOUBLE
// (AVG's type, as in DuckDB).
func (w *Window) runningAvg(t *Task, arg int, in types.T) ([]arrow.Array, error) {
	var parts [2][]arrow.Array
	defer func() { releaseArrays(parts[0]); releaseArrays(parts[1]) }()
	for i, kind := range []AggKind{AggSum, AggCount} {
		groups, err := w.perPeerAgg(t, AggSpec{Kind: kind, Arg: arg, In: in})
		if err != nil {
			return nil, err
		}
		parts[i], err = w.running(t, kind, groups)
		releaseArrays(groups)
		if err != nil {
			return nil, err
		}
	}
	var out []arrow.Array
	for ci, sums := range parts[0] {
		n := sums.Len()
		counts := parts[1][ci].(*array.Int64).Int64Values()
		buf, dst := vector.AllocValuesUninit[float64](t.Alloc(), n)
		valid := make([]bool, n)
		for k := range n {
			if counts[k] == 0 || sums.IsNull(k) {
				continue
			}
			var s float64
			switch a := sums.(type) {
			case *array.Int64:
				s = float64(a.Value(k))
			case *array.Float64:
				s = a.Value(k)
			case *array.Decimal128:
				s = a.Value(k).ToFloat64(int32(in.Scale))
			}
			dst[k], valid[k] = s/float64(counts[k]), true
		}
		vbuf, nulls := seenValidity(t.Alloc(), valid)
		out = append(out, vector.NewFixedArray(arrow.PrimitiveTypes.Float64, n, vbuf, nulls, buf))
		if err := t.Spend(n); err != nil {
			releaseArrays(out)
			return nil, err
		}
	}
	return out, nil
}
