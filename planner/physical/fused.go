package physical

import (
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
)

// bindFused returns f with its terms at input positions and the whole
// argument e compiled over that input: each term's column is where pos
// puts the expression its Col indexes.
func bindFused(f *operators.FusedProduct, e expr.Expr, pos []int) (*operators.FusedProduct, error) {
	terms, _ := expr.DecimalProduct(e)
	l := layout{}
	out := &operators.FusedProduct{Terms: make([]operators.FusedTerm, len(f.Terms))}
	for k, t := range f.Terms {
		t.Col = pos[t.Col]
		out.Terms[k] = t
		l[terms[k].Col.ID] = t.Col
	}
	ev, err := compile(e, l)
	if err != nil {
		return nil, err
	}
	out.Eval = ev
	return out, nil
}
