package operators

import (
	"fmt"

	"github.com/minisql/minisql/types"
)

// AggKind is an aggregate function.
type AggKind uint8

const (
	AggCountStar AggKind = iota
	AggCount
	AggSum
	AggAvg
	AggMin
	AggMax
	// AggStringAgg joins a group's strings with AggSpec.Sep between them,
	// in input order.
	AggStringAgg
	// AggQuantileCont interpolates the AggSpec.Frac quantile of a group
	// (median is its 0.5); AggQuantileDisc picks the value at that rank.
	AggQuantileCont
	AggQuantileDisc
	// The variances and standard deviations of a sample and of a
	// population, over DOUBLE.
	AggVarSamp
	AggVarPop
	AggStddevSamp
	AggStddevPop
	// AggBoolAnd is whether every non-NULL value is true, AggBoolOr
	// whether one is.
	AggBoolAnd
	AggBoolOr
	// AggArgMax is the Arg of the row with the greatest Arg2, AggArgMin
	// of the least.
	AggArgMax
	AggArgMin
	// AggMode is a group's most frequent value.
	AggMode
	// AggAnyValue is a group's first non-NULL value, AggFirst its first
	// value and AggLast its last, NULL or not (agg_first.go).
	AggAnyValue
	AggFirst
	AggLast
	// AggProduct multiplies a group's values as DOUBLEs.
	AggProduct
	// The bitwise AND, OR and XOR of a group's integers.
	AggBitAnd
	AggBitOr
	AggBitXor
	// AggFSum and AggFAvg are the compensated (Kahan) DOUBLE sum and
	// average.
	AggFSum
	AggFAvg
	// Statistics of (y, x) pairs, both non-NULL (agg_regr.go).
	AggCovarPop
	AggCovarSamp
	AggCorr
	AggRegrSlope
	AggRegrIntercept
	AggRegrCount
	AggRegrR2
	AggRegrAvgX
	AggRegrAvgY
	AggRegrSXX
	AggRegrSYY
	AggRegrSXY
	// The third and fourth standardised moments (agg_moments.go).
	AggSkewness
	AggKurtosis
	AggKurtosisPop
	// AggEntropy is the base-2 entropy of a group's value counts.
	AggEntropy
	// AggApproxCountDistinct estimates the distinct non-NULL values by a
	// HyperLogLog sketch (agg_hll.go).
	AggApproxCountDistinct
)

var aggNames = [...]string{"count_star", "count", "sum", "avg", "min", "max", "string_agg", "quantile_cont", "quantile_disc",
	"var_samp", "var_pop", "stddev_samp", "stddev_pop", "bool_and", "bool_or", "arg_max", "arg_min", "mode",
	"any_value", "first", "last", "product", "bit_and", "bit_or", "bit_xor", "fsum", "favg",
	"covar_pop", "covar_samp", "corr", "regr_slope", "regr_intercept", "regr_count", "regr_r2",
	"regr_avgx", "regr_avgy", "regr_sxx", "regr_syy", "regr_sxy",
	"skewness", "kurtosis", "kurtosis_pop", "entropy", "approx_count_distinct"}

func (k AggKind) String() string {
	switch k {
	case AggAvgMerge:
		return "avg_merge"
	case AggVarMerge:
		return "var_merge"
	case AggStateMerge:
		return "state_merge"
	}
	return aggNames[k]
}

// AggSpec is one aggregate computed by HashAggregate: function, input
// column (-1 for COUNT(*)), input and output types.
type AggSpec struct {
	Kind     AggKind
	Arg      int
	In, Out  types.T
	Distinct bool
	// Arg2 is the second input of AggAvgMerge (the count state),
	// AggVarMerge (the means) and arg_max and arg_min (the key); Arg3 the
	// third of AggVarMerge.
	Arg2, Arg3 int
	// In2 is the type of Arg2 for arg_max and arg_min.
	In2 types.T
	// Of is the variance function AggVarMerge finishes, or the aggregate
	// whose partial states AggStateMerge merges.
	Of AggKind
	// States are the columns of the partial states AggStateMerge merges.
	States []int
	// Sep is string_agg's separator.
	Sep string
	// Ordered says string_agg's Arg2 is a sort key (expr.SortKeyFunc): its
	// ORDER BY, the order to join the strings in.
	Ordered bool
	// Filter says first's or last's Arg2 is its FILTER condition: a row
	// counts when it is true.
	Filter bool
	// Frac is a quantile's fraction.
	Frac QuantileFrac
	// Fused, on a SUM whose Arg is -1, is its argument: a product the
	// aggregate computes itself (agg_fused.go).
	Fused *FusedProduct
	// KeepNulls makes arg_min and arg_max count the rows whose value
	// (Arg) is NULL: first and last with an ORDER BY.
	KeepNulls bool
}

// TwoArgs reports whether an aggregate reads a second argument (Arg2):
// the key of arg_max and arg_min, the x of the (y, x) statistics.
func (k AggKind) TwoArgs() bool {
	return k == AggArgMax || k == AggArgMin || k >= AggCovarPop && k <= AggRegrSXY
}

// HasArg2 reports whether the aggregate reads Arg2.
func (a AggSpec) HasArg2() bool { return a.Kind.TwoArgs() || a.Ordered || a.Filter }

func (a AggSpec) String() string {
	if a.Kind == AggCountStar {
		return "count(*)"
	}
	d := ""
	if a.Distinct {
		d = "DISTINCT "
	}
	if a.Kind == AggQuantileCont || a.Kind == AggQuantileDisc {
		return fmt.Sprintf("%s(%s#%d, %s)", a.Kind, d, a.Arg, a.Frac)
	}
	return fmt.Sprintf("%s(%s#%d)", a.Kind, d, a.Arg)
}

// AggResultType is the type of an aggregate over a value of type in,
// following DuckDB: COUNT is BIGINT, SUM of BIGINT is BIGINT (overflow is
// an error), SUM of DECIMAL(p,s) is DECIMAL(38,s), AVG is DOUBLE, MIN and
// MAX keep the input type, quantile_cont is DOUBLE but for a DECIMAL,
// quantile_disc keeps the input type.
func AggResultType(k AggKind, in types.T) (types.T, error) {
	switch k {
	case AggCountStar, AggCount:
		return types.Int64Type, nil
	case AggSum:
		switch in.Kind {
		case types.Int64, types.Null, types.Bool:
			return types.Int64Type, nil
		case types.Float64:
			return types.Float64Type, nil
		case types.Decimal:
			return types.DecimalType(types.MaxDecimalPrecision, int(in.Scale)), nil
		}
	case AggAvg:
		if in.IsNumeric() || in.Kind == types.Null {
			return types.Float64Type, nil
		}
	case AggMin, AggMax:
		if in.Kind == types.Interval {
			break
		}
		return in, nil
	case AggStringAgg:
		if in.Kind == types.String || in.Kind == types.Null {
			return types.StringType, nil
		}
	case AggQuantileCont:
		// DuckDB interpolates decimals and timestamps in their own type
		// and everything else numeric as DOUBLE (the binder casts integers,
		// and dates to TIMESTAMP).
		switch in.Kind {
		case types.Float64, types.Null:
			return types.Float64Type, nil
		case types.Decimal, types.Timestamp:
			return in, nil
		}
	case AggQuantileDisc:
		if in.Kind != types.Interval {
			return in, nil
		}
	case AggVarSamp, AggVarPop, AggStddevSamp, AggStddevPop:
		if in.Kind == types.Float64 || in.Kind == types.Null { // the binder casts numbers
			return types.Float64Type, nil
		}
	case AggBoolAnd, AggBoolOr:
		if in.Kind == types.Bool || in.Kind == types.Null {
			return types.BoolType, nil
		}
	case AggArgMax, AggArgMin, AggMode, AggAnyValue, AggFirst, AggLast:
		if in.Kind != types.Interval {
			return in, nil
		}
	case AggProduct, AggFSum, AggFAvg, AggSkewness, AggKurtosis, AggKurtosisPop:
		if in.Kind == types.Float64 || in.Kind == types.Null { // the binder casts numbers
			return types.Float64Type, nil
		}
	case AggBitAnd, AggBitOr, AggBitXor:
		if in.Kind == types.Int64 || in.Kind == types.Null {
			return types.Int64Type, nil
		}
	case AggCovarPop, AggCovarSamp, AggCorr, AggRegrSlope, AggRegrIntercept, AggRegrR2,
		AggRegrAvgX, AggRegrAvgY, AggRegrSXX, AggRegrSYY, AggRegrSXY:
		if in.Kind == types.Float64 || in.Kind == types.Null { // the binder casts both numbers
			return types.Float64Type, nil
		}
	case AggRegrCount:
		if in.Kind == types.Float64 || in.Kind == types.Null {
			return types.Int64Type, nil
		}
	case AggApproxCountDistinct:
		if in.Kind != types.Interval {
			return types.Int64Type, nil
		}
	case AggEntropy:
		if in.Kind != types.Interval {
			return types.Float64Type, nil
		}
	}
	return types.T{}, fmt.Errorf("%s is not defined for %s", k, in)
}
