package optimizer

import (
	"errors"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/plan"
)

// FoldConstants evaluates constant subexpressions once at plan time,
// simplifies AND/OR with constant operands, drops filters that are always
// true and replaces those that are never true by an empty relation.
func FoldConstants(n plan.Node) (plan.Node, bool) {
	changed := false
	var walk func(plan.Node) plan.Node
	walk = func(n plan.Node) plan.Node {
		ins := n.Inputs()
		if len(ins) > 0 {
			newIns := make([]plan.Node, len(ins))
			for i, in := range ins {
				newIns[i] = walk(in)
			}
			n = n.WithInputs(newIns)
		}
		switch x := n.(type) {
		case *plan.Filter:
			p := fold(x.Pred, &changed)
			if lit, ok := p.(*expr.Literal); ok {
				changed = true
				if lit.Value.Valid && lit.Value.Bool() {
					return x.Input
				}
				return &plan.Values{Cols: x.Input.Columns()}
			}
			return &plan.Filter{Input: x.Input, Pred: p}
		case *plan.Project:
			p := &plan.Project{Input: x.Input, Cols: x.Cols, Exprs: make([]expr.Expr, len(x.Exprs))}
			for i, e := range x.Exprs {
				p.Exprs[i] = fold(e, &changed)
			}
			return p
		case *plan.Join:
			if x.Cond != nil {
				j := *x
				j.Cond = fold(x.Cond, &changed)
				if lit, ok := j.Cond.(*expr.Literal); ok && lit.Value.Valid && lit.Value.Bool() {
					j.Cond = nil
				}
				return &j
			}
		}
		return n
	}
	return walk(n), changed
}

// fold simplifies one expression bottom-up.
func fold(e expr.Expr, changed *bool) expr.Expr {
	ch := e.Children()
	if len(ch) > 0 {
		out := make([]expr.Expr, len(ch))
		for i, c := range ch {
			out[i] = fold(c, changed)
		}
		e = e.WithChildren(out)
	}
	switch x := e.(type) {
	case *expr.And:
		return simplifyLogic(x.Args, true, changed)
	case *expr.Or:
		return simplifyLogic(x.Args, false, changed)
	case *expr.Literal, *expr.ColumnRef:
		return e
	case *expr.Func:
		if expr.IsVolatile(x) { // random(): a value per row, not one for all
			return e
		}
	}
	for _, c := range e.Children() {
		if _, ok := c.(*expr.Literal); !ok {
			return e
		}
	}
	if e.Type().Kind == 0 || e.Type().Arrow().ID() == arrow.INTERVAL_MONTH_DAY_NANO {
		return e
	}
	if d, ok := evalConst(e); ok {
		*changed = true
		return &expr.Literal{Value: d, T: e.Type()}
	}
	return e
}

// simplifyLogic drops neutral constants from AND/OR and short-circuits on
// the absorbing one (false for AND, true for OR).
func simplifyLogic(args []expr.Expr, isAnd bool, changed *bool) expr.Expr {
	var keep []expr.Expr
	for _, a := range args {
		if lit, ok := a.(*expr.Literal); ok && lit.Value.Valid {
			*changed = true
			if lit.Value.Bool() != isAnd {
				return lit // false AND ..., true OR ...
			}
			continue // true AND x = x
		}
		keep = append(keep, a)
	}
	switch len(keep) {
	case 0:
		return &expr.Literal{Value: expr.BoolDatum(isAnd), T: boolType}
	case 1:
		return keep[0]
	}
	if isAnd {
		return &expr.And{Args: keep}
	}
	return &expr.Or{Args: keep}
}

// foldBudget is the most work, in the budget units a query's checks
// count, that folding spends on one expression: a few quanta, well under
// a millisecond. Planning looks at no context, so a constant folded at
// any cost ran outside the query's cancellation: regexp_matches over
// repeat('ab', 25000000) took 2.4 s to plan and ignored a 100 ms
// statement timeout. A costlier constant is left for run time, where
// its kernels spend the query's budget and see its cancel.
const foldBudget = 1 << 16

var errFoldBudget = errors.New("constant too costly to fold")

// foldEnv is the Env of one folding: the budget left for it.
type foldEnv struct{ left *int }

func (foldEnv) Alloc() memory.Allocator { return memory.DefaultAllocator }

func (e foldEnv) Spend(n int) error {
	if *e.left -= n; *e.left < 0 {
		return errFoldBudget
	}
	return nil
}

// evalConst evaluates a constant expression on a one-row batch; errors
// (1/0, a bad cast) and work past foldBudget leave it for run time.
func evalConst(e expr.Expr) (expr.Datum, bool) {
	ev, err := expr.Compile(e)
	if err != nil {
		return expr.Datum{}, false
	}
	rec := array.NewRecord(arrow.NewSchema(nil, nil), nil, 1)
	defer rec.Release()
	left := foldBudget
	arr, err := expr.EvalArray(foldEnv{&left}, ev, rec)
	if err != nil {
		return expr.Datum{}, false
	}
	defer arr.Release()
	return expr.DatumAt(arr, e.Type(), 0), true
}
