package physical

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

func TestOrderConjuncts(t *testing.T) {
	icol := func(id expr.ColumnID) expr.Expr { return &expr.ColumnRef{ID: id, Name: "i", T: types.Int64Type} }
	scol := func(id expr.ColumnID) expr.Expr { return &expr.ColumnRef{ID: id, Name: "s", T: types.StringType} }
	ilit := func(v int64) expr.Expr { return &expr.Literal{Value: expr.IntDatum(v), T: types.Int64Type} }
	slit := func(v string) expr.Expr { return &expr.Literal{Value: expr.StrDatum(v), T: types.StringType} }
	cmp := func(op expr.BinOp, l, r expr.Expr) expr.Expr {
		return &expr.Binary{Op: op, L: l, R: r, T: types.BoolType}
	}
	rangeLo, rangeHi := cmp(expr.OpGe, icol(1), ilit(10)), cmp(expr.OpLt, icol(1), ilit(20))
	colCol := cmp(expr.OpLt, icol(2), icol(3))
	strIn := &expr.InList{X: scol(4), List: []expr.Expr{slit("MAIL"), slit("SHIP")}}
	strEq := cmp(expr.OpEq, scol(4), slit("AIR"))
	like := &expr.Like{X: scol(4), Pattern: slit("%x%")}
	guard := cmp(expr.OpNe, icol(2), ilit(0))
	div := cmp(expr.OpGt, &expr.Binary{Op: expr.OpIntDiv, L: icol(1), R: icol(2), T: types.Int64Type}, ilit(3))
	castCmp := cmp(expr.OpEq, &expr.Cast{X: scol(4), To: types.Int64Type}, ilit(1))
	orMixed := &expr.Or{Args: []expr.Expr{strEq, rangeLo}}
	tests := []struct {
		name string
		in   []expr.Expr
		want []expr.Expr
	}{
		// TPC-H Q12's order: the IN-list written first runs last.
		{"q12", []expr.Expr{strIn, colCol, rangeLo, rangeHi}, []expr.Expr{rangeLo, rangeHi, colCol, strIn}},
		{"like last", []expr.Expr{like, strEq, colCol}, []expr.Expr{colCol, strEq, like}},
		{"an OR costs its dearest branch", []expr.Expr{orMixed, colCol}, []expr.Expr{colCol, orMixed}},
		// What can fail keeps its place after the conjuncts written
		// before it, its guard included.
		{"guard then division", []expr.Expr{guard, div}, []expr.Expr{guard, div}},
		{"division waits behind what is moved", []expr.Expr{strIn, div, rangeLo}, []expr.Expr{rangeLo, strIn, div}},
		{"two fallible keep their order", []expr.Expr{castCmp, div, strEq}, []expr.Expr{strEq, castCmp, div}},
		{"already ordered", []expr.Expr{rangeLo, colCol, strEq}, []expr.Expr{rangeLo, colCol, strEq}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, orderConjuncts(tt.in))
		})
	}
}
