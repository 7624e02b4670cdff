package expr

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

func TestDecimalProduct(t *testing.T) {
	d2, d4 := types.DecimalType(15, 2), types.DecimalType(31, 4)
	col := func(id ColumnID, ty types.T) *ColumnRef { return &ColumnRef{ID: id, Name: "c", T: ty} }
	price, disc, tax := col(1, d2), col(2, d2), col(3, d2)
	lit := func(v int64, ty types.T) *Literal { return &Literal{Value: DecDatum(decimal128.FromI64(v)), T: ty} }
	one := lit(100, types.DecimalType(3, 2)) // 1.00
	bin := func(op BinOp, l, r Expr, ty types.T) *Binary { return &Binary{Op: op, L: l, R: r, T: ty} }
	oneMinus := bin(OpSub, one, disc, types.DecimalType(16, 2))
	onePlus := bin(OpAdd, one, tax, types.DecimalType(16, 2))
	revenue := bin(OpMul, price, oneMinus, d4)

	for _, tc := range []struct {
		name string
		e    Expr
		want []ProductTerm // nil: not a product
	}{
		{"price * discount", bin(OpMul, price, disc, types.DecimalType(30, 4)),
			[]ProductTerm{{Col: price}, {Col: disc}}},
		{"price * (1 - discount)", revenue,
			[]ProductTerm{{Col: price}, {Col: disc, C: 100, Neg: true}}},
		{"price * (1 - discount) * (1 + tax)", bin(OpMul, revenue, onePlus, types.DecimalType(38, 6)),
			[]ProductTerm{{Col: price}, {Col: disc, C: 100, Neg: true}, {Col: tax, C: 100}}},
		{"discount - 1", bin(OpSub, disc, one, types.DecimalType(16, 2)),
			[]ProductTerm{{Col: disc, C: -100}}},
		{"tax + 1", bin(OpAdd, tax, one, types.DecimalType(16, 2)),
			[]ProductTerm{{Col: tax, C: 100}}},
		{"a plain column", price, nil},
		{"four factors", bin(OpMul, bin(OpMul, revenue, disc, types.DecimalType(38, 6)), tax, types.DecimalType(38, 8)), nil},
		{"a sum of two columns", bin(OpMul, price, bin(OpAdd, disc, tax, types.DecimalType(16, 2)), d4), nil},
		{"a scale the product does not add up to", bin(OpMul, price, disc, types.DecimalType(38, 3)), nil},
		{"a constant of another scale", bin(OpMul, price, bin(OpSub, lit(1, types.DecimalType(1, 0)), disc, types.DecimalType(16, 2)), d4), nil},
		{"a NULL constant", bin(OpMul, price, bin(OpSub, &Literal{T: types.DecimalType(3, 2)}, disc, types.DecimalType(16, 2)), d4), nil},
		{"a constant too large", bin(OpMul, price, bin(OpSub, lit(1<<41, types.DecimalType(16, 2)), disc, types.DecimalType(17, 2)), d4), nil},
		{"a constant times a column", bin(OpMul, one, price, types.DecimalType(18, 4)), nil},
		{"a division", bin(OpDiv, price, disc, types.Float64Type), nil},
		{"an integer product", bin(OpMul, col(4, types.Int64Type), col(5, types.Int64Type), types.Int64Type), nil},
		{"a cast", &Cast{X: revenue, To: types.DecimalType(38, 4)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := DecimalProduct(tc.e)
			if tc.want == nil {
				require.False(t, ok, "%v", got)
				return
			}
			require.True(t, ok)
			require.Equal(t, tc.want, got)
		})
	}
}
