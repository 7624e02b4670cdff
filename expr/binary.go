package expr

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/types"
)

type binaryEval struct {
	op     BinOp
	l, r   Evaluator
	out    types.T
	kernel func(env Env, n int, l, r Vec) (arrow.Array, error)
}

func compileBinary(e *Binary) (Evaluator, error) {
	l, err := Compile(e.L)
	if err != nil {
		return nil, err
	}
	r, err := Compile(e.R)
	if err != nil {
		return nil, err
	}
	b := &binaryEval{op: e.Op, l: l, r: r, out: e.T}
	lt, rt := e.L.Type(), e.R.Type()
	switch {
	case e.Op.IsComparison():
		t := lt
		if t.Kind == types.Null {
			t = rt
		}
		b.kernel = func(env Env, n int, l, r Vec) (arrow.Array, error) {
			return compare(env.Alloc(), b.op, t, n, l, r)
		}
	case e.T.Kind == types.Int64:
		b.kernel = func(env Env, n int, l, r Vec) (arrow.Array, error) {
			return int64Arith(env.Alloc(), b.op, n, l, r)
		}
	case e.T.Kind == types.Float64:
		if lt.Kind != types.Float64 || rt.Kind != types.Float64 {
			return nil, internalf("DOUBLE %s over %s and %s: operands not coerced", e.Op, lt, rt)
		}
		b.kernel = func(env Env, n int, l, r Vec) (arrow.Array, error) {
			return float64Arith(env.Alloc(), b.op, n, l, r)
		}
	case e.T.Kind == types.Decimal:
		if lt.Kind != types.Decimal || rt.Kind != types.Decimal {
			return nil, internalf("DECIMAL %s over %s and %s: operands not coerced", e.Op, lt, rt)
		}
		b.kernel = func(env Env, n int, l, r Vec) (arrow.Array, error) {
			return decimalArith(env.Alloc(), b.op, n, l, r, b.out)
		}
	default:
		return nil, errUnsupportedType("operator "+e.Op.String(), e.T)
	}
	return b, nil
}

func (b *binaryEval) Type() types.T { return b.out }

func (b *binaryEval) Eval(env Env, batch arrow.Record) (Vec, error) {
	l, err := b.l.Eval(env, batch)
	if err != nil {
		return Vec{}, err
	}
	defer l.Release()
	if l.IsNullConst() {
		return Vec{}, nil
	}
	r, err := b.r.Eval(env, batch)
	if err != nil {
		return Vec{}, err
	}
	defer r.Release()
	if r.IsNullConst() {
		return Vec{}, nil
	}
	n := int(batch.NumRows())
	if l.IsConst() && r.IsConst() {
		arr, err := ConstArray(env.Alloc(), l.Const, b.l.Type(), n)
		if err != nil {
			return Vec{}, err
		}
		l = Vec{Arr: arr}
		defer arr.Release()
	}
	if err := env.Spend(n); err != nil {
		return Vec{}, err
	}
	arr, err := b.kernel(env, n, l, r)
	if err != nil {
		return Vec{}, err
	}
	return Vec{Arr: arr}, nil
}
