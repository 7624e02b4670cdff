package physical

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

func TestGroupRanges(t *testing.T) {
	col := func(id expr.ColumnID) expr.Expr { return &expr.ColumnRef{ID: id, Name: "c", T: types.Int64Type} }
	lit := func(v int64) expr.Expr { return &expr.Literal{Value: expr.IntDatum(v), T: types.Int64Type} }
	cmp := func(op expr.BinOp, l, r expr.Expr) expr.Expr {
		return &expr.Binary{Op: op, L: l, R: r, T: types.BoolType}
	}
	a1, a5 := cmp(expr.OpGt, col(1), lit(1)), cmp(expr.OpLt, col(1), lit(5))
	b2 := cmp(expr.OpEq, col(2), lit(2))
	litLeft := cmp(expr.OpLe, lit(0), col(1))
	div := cmp(expr.OpGt, &expr.Binary{Op: expr.OpIntDiv, L: lit(10), R: col(1), T: types.Int64Type}, lit(1))
	and := func(args ...expr.Expr) expr.Expr { return &expr.And{Args: args} }
	tests := []struct {
		name string
		in   []expr.Expr
		want []expr.Expr
	}{
		{"a range, then another column", []expr.Expr{a1, a5, b2}, []expr.Expr{and(a1, a5), b2}},
		{"not consecutive: order kept", []expr.Expr{a1, b2, a5}, []expr.Expr{a1, b2, a5}},
		{"constant on the left", []expr.Expr{litLeft, a5}, []expr.Expr{and(litLeft, a5)}},
		{"a guard stays a stage of its own", []expr.Expr{cmp(expr.OpNe, col(1), lit(0)), div}, []expr.Expr{cmp(expr.OpNe, col(1), lit(0)), div}},
		{"one conjunct", []expr.Expr{b2}, []expr.Expr{b2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, groupRanges(tt.in))
		})
	}
}
