package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// Two-phase aggregation: each parallel worker runs a partial aggregate over
// its morsels and emits, per group, mergeable states; one final aggregate
// merges the states of all workers. COUNT's state is a count (merged by
// summing), SUM's a sum, MIN and MAX themselves, AVG's a 128-bit (or DOUBLE)
// sum and a count. DISTINCT aggregates cannot be split this way.

// AggAvgMerge merges AVG states: Arg is the sum state, Arg2 the count.
// AggVarMerge merges variance states: Arg the counts, Arg2 the means,
// Arg3 the squared deviations; Of is the function it finishes.
// AggStateMerge merges the partial states of the aggregate Of, in
// columns States, with Of's own accumulator (a stateAcc).
const (
	AggAvgMerge   AggKind = 100
	AggVarMerge   AggKind = 101
	AggStateMerge AggKind = 102
)

// stateAcc is an accumulator whose partial state is several columns per
// group, merged by the same accumulator in the final phase.
type stateAcc interface {
	accumulator
	// states returns the partial states of groups [from, to), of the
	// types stateTypes gives.
	states(mem memory.Allocator, from, to int) []arrow.Array
	// merge folds rows of partial states into the groups gids.
	merge(t *Task, gids []int32, states []arrow.Array) error
}

// stateTypes are the partial state columns of the aggregates that
// stateAcc implements, or nil for the others.
func stateTypes(s AggSpec) []types.T {
	f, i := types.Float64Type, types.Int64Type
	switch s.Kind {
	case AggAnyValue, AggFirst, AggLast: // the value, and whether there was one
		return []types.T{s.In, types.BoolType}
	case AggFSum, AggFAvg: // the sum, its compensation and the count
		return []types.T{f, f, i}
	case AggCovarPop, AggCovarSamp, AggCorr, AggRegrSlope, AggRegrIntercept, AggRegrCount,
		AggRegrR2, AggRegrAvgX, AggRegrAvgY, AggRegrSXX, AggRegrSYY, AggRegrSXY:
		return []types.T{i, f, f, f, f, f} // n, the means, the co-moments
	case AggSkewness, AggKurtosis, AggKurtosisPop:
		return []types.T{i, f, f, f, f} // n, the mean, the central moments
	case AggApproxCountDistinct:
		return []types.T{types.StringType} // the sketch's bytes
	}
	return nil
}

// SplitAggregates returns the specs of the partial and final phases for
// keys followed by specs, the types of the partial phase's state columns
// (after the keys), or ok=false when an aggregate cannot be split.
func SplitAggregates(nkeys int, specs []AggSpec) (partial []AggSpec, states []types.T, final []AggSpec, ok bool) {
	col := nkeys
	for _, s := range specs {
		if s.Distinct || s.Ordered { // an ordered string_agg's partial strings could not be merged in order
			return nil, nil, nil, false
		}
		partial = append(partial, s)
		switch s.Kind {
		case AggCountStar, AggCount:
			states = append(states, types.Int64Type)
			final = append(final, AggSpec{Kind: AggSum, Arg: col, In: types.Int64Type, Out: types.Int64Type})
			col++
		case AggSum, AggMin, AggMax:
			states = append(states, s.Out)
			final = append(final, AggSpec{Kind: s.Kind, Arg: col, In: s.Out, Out: s.Out})
			col++
		case AggStringAgg: // the workers' strings, joined again
			states = append(states, types.StringType)
			final = append(final, AggSpec{Kind: AggStringAgg, Arg: col, In: types.StringType, Out: types.StringType, Sep: s.Sep})
			col++
		case AggVarSamp, AggVarPop, AggStddevSamp, AggStddevPop:
			states = append(states, types.Int64Type, types.Float64Type, types.Float64Type)
			final = append(final, AggSpec{Kind: AggVarMerge, Arg: col, Arg2: col + 1, Arg3: col + 2, Of: s.Kind,
				In: types.Float64Type, Out: types.Float64Type})
			col += 3
		case AggArgMax, AggArgMin: // the workers' pairs, compared again
			states = append(states, s.In, s.In2)
			final = append(final, AggSpec{Kind: s.Kind, Arg: col, Arg2: col + 1, In: s.In, In2: s.In2, Out: s.Out, KeepNulls: s.KeepNulls})
			col += 2
		case AggBoolAnd, AggBoolOr, AggBitAnd, AggBitOr, AggBitXor, AggProduct:
			// The workers' results, combined again (a product's partial
			// products: rounding may differ from one pass in the last bit).
			states = append(states, s.Out)
			final = append(final, AggSpec{Kind: s.Kind, Arg: col, In: s.Out, Out: s.Out})
			col++
		case AggAvg:
			st := avgStateType(s.In)
			states = append(states, st, types.Int64Type)
			final = append(final, AggSpec{Kind: AggAvgMerge, Arg: col, Arg2: col + 1, In: st, Out: s.Out})
			col += 2
		default:
			st := stateTypes(s)
			if st == nil {
				return nil, nil, nil, false
			}
			m := AggSpec{Kind: AggStateMerge, Of: s.Kind, Arg: col, In: s.In, In2: s.In2, Out: s.Out}
			for range st {
				m.States = append(m.States, col)
				col++
			}
			states = append(states, st...)
			final = append(final, m)
		}
	}
	return partial, states, final, true
}

// avgStateType is the type of an AVG's partial sum: exact 128-bit for
// integers and decimals, DOUBLE for doubles.
func avgStateType(in types.T) types.T {
	switch in.Kind {
	case types.Float64:
		return types.Float64Type
	case types.Decimal:
		return types.DecimalType(types.MaxDecimalPrecision, int(in.Scale))
	}
	return types.DecimalType(types.MaxDecimalPrecision, 0)
}

// newMergeAccumulator returns the accumulator of a final-phase spec that
// has no complete-phase equivalent.
func newMergeAccumulator(spec AggSpec) (accumulator, error) {
	if spec.Kind == AggVarMerge {
		return &varAcc{kind: spec.Of}, nil
	}
	if spec.Kind == AggStateMerge {
		acc, err := newAccumulator(AggSpec{Kind: spec.Of, In: spec.In, In2: spec.In2, Out: spec.Out})
		if err != nil {
			return nil, err
		}
		if _, ok := acc.(stateAcc); !ok {
			return nil, sqlerr.New(sqlerr.ErrInternal, "%s has no partial states", spec.Of)
		}
		return acc, nil
	}
	if spec.Kind == AggAvgMerge {
		if spec.In.Kind == types.Float64 {
			return &avgAcc{kind: types.Float64}, nil
		}
		return &avgAcc{kind: types.Decimal, scale: int(spec.In.Scale)}, nil
	}
	return nil, sqlerr.New(sqlerr.ErrInternal, "no merge accumulator for %s", spec.Kind)
}
