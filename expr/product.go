package expr

import (
	"github.com/minisql/minisql/types"
)

// ProductTerm is one factor of a DecimalProduct: the column plus C, or C
// minus the column when Neg, in the column's scale.
type ProductTerm struct {
	Col *ColumnRef
	C   int64
	Neg bool
}

// maxProductTerms bounds the factors the aggregates' fused kernels take.
const maxProductTerms = 3

// productConstBound bounds a term's constant: one of TPC-H's 1 - discount
// is 100 at scale 2; anything near 2^62 would not fit the kernels' int64
// arithmetic anyway.
const productConstBound = 1 << 40

// DecimalProduct reports whether e is a product of one to three DECIMAL
// factors, each a column, or a column plus or minus a constant (TPC-H's
// revenue, l_extendedprice * (1 - l_discount)), and returns the factors.
// Such a product's exact value is the product of the factors' unscaled
// integers: + and - have operands of their result's scale already, and *
// adds the scales up (decimalArith). A plain column is not a product.
func DecimalProduct(e Expr) ([]ProductTerm, bool) {
	if _, plain := e.(*ColumnRef); plain {
		return nil, false
	}
	terms, ok := productTerms(e, nil)
	return terms, ok && len(terms) <= maxProductTerms
}

func productTerms(e Expr, terms []ProductTerm) ([]ProductTerm, bool) {
	if e.Type().Kind != types.Decimal {
		return nil, false
	}
	switch x := e.(type) {
	case *ColumnRef:
		return append(terms, ProductTerm{Col: x}), true
	case *Binary:
		switch x.Op {
		case OpMul:
			l, r := x.L.Type(), x.R.Type()
			if l.Kind != types.Decimal || r.Kind != types.Decimal || x.T.Scale != l.Scale+r.Scale {
				return nil, false
			}
			terms, ok := productTerms(x.L, terms)
			if !ok {
				return nil, false
			}
			return productTerms(x.R, terms)
		case OpAdd, OpSub:
			if t, ok := affineTerm(x); ok {
				return append(terms, t), true
			}
		}
	}
	return nil, false
}

// affineTerm matches col + c, c + col, col - c and c - col, all in one
// scale.
func affineTerm(b *Binary) (ProductTerm, bool) {
	col, lit, colLeft := b.L, b.R, true
	if _, ok := col.(*ColumnRef); !ok {
		col, lit, colLeft = b.R, b.L, false
	}
	ref, ok := col.(*ColumnRef)
	if !ok {
		return ProductTerm{}, false
	}
	l, ok := lit.(*Literal)
	if !ok || !l.Value.Valid || l.T.Kind != types.Decimal || ref.T.Kind != types.Decimal {
		return ProductTerm{}, false
	}
	if l.T.Scale != b.T.Scale || ref.T.Scale != b.T.Scale {
		return ProductTerm{}, false
	}
	d := l.Value.D
	c := int64(d.LowBits())
	if d.HighBits() != c>>63 || c >= productConstBound || c <= -productConstBound {
		return ProductTerm{}, false
	}
	switch {
	case b.Op == OpAdd:
		return ProductTerm{Col: ref, C: c}, true
	case colLeft: // col - c
		return ProductTerm{Col: ref, C: -c}, true
	default: // c - col
		return ProductTerm{Col: ref, C: c, Neg: true}, true
	}
}
