package expr

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// Env is what evaluation needs from the running task: the query's allocator,
// and the budget that expensive per-row functions spend in chunks so a
// cancelled query stops inside a batch. operators.Task implements it.
type Env interface {
	Alloc() memory.Allocator
	Spend(units int) error
}

// Vec is the value of an expression over one batch: an array of the
// batch's length, or a constant that stands for every row. Constants keep
// `x < 24` from materialising a column of 24s.
type Vec struct {
	Arr   arrow.Array // owned by the holder; nil for a constant
	Const Datum
}

// IsConst reports whether v is a constant.
func (v Vec) IsConst() bool { return v.Arr == nil }

// IsNullConst reports whether v is the constant NULL.
func (v Vec) IsNullConst() bool { return v.Arr == nil && !v.Const.Valid }

// Release releases the array, if any.
func (v Vec) Release() {
	if v.Arr != nil {
		v.Arr.Release()
	}
}

// Evaluator computes one expression over record batches. It is immutable
// after Compile and safe for concurrent use by several tasks.
type Evaluator interface {
	Eval(env Env, batch arrow.Record) (Vec, error)
	Type() types.T
}

// Compile prepares e for evaluation. Every ColumnRef must have its Index
// resolved against the schema of the batches it will see.
func Compile(e Expr) (Evaluator, error) {
	switch e := e.(type) {
	case *ColumnRef:
		if e.Index < 0 {
			return nil, sqlerr.New(sqlerr.ErrInternal, "column %s not resolved", e.Name)
		}
		return &colEval{idx: e.Index, t: e.T}, nil
	case *Literal:
		return &constEval{d: e.Value, t: e.T}, nil
	case *Binary:
		return compileBinary(e)
	case *And:
		return compileLogic(e.Args, true)
	case *Or:
		return compileLogic(e.Args, false)
	case *Not:
		x, err := Compile(e.X)
		if err != nil {
			return nil, err
		}
		return &notEval{x: x}, nil
	case *IsNull:
		x, err := Compile(e.X)
		if err != nil {
			return nil, err
		}
		return &isNullEval{x: x, negated: e.Negated}, nil
	case *InList:
		return compileInList(e)
	case *Like:
		return compileLike(e)
	case *Case:
		return compileCase(e)
	case *Cast:
		return compileCast(e)
	case *Func:
		return compileFunc(e)
	}
	return nil, sqlerr.New(sqlerr.ErrInternal, "cannot evaluate %T (%s)", e, e)
}

// EvalArray evaluates ev and returns an array of the batch's length,
// materialising a constant.
func EvalArray(env Env, ev Evaluator, batch arrow.Record) (arrow.Array, error) {
	v, err := ev.Eval(env, batch)
	if err != nil {
		return nil, err
	}
	if v.Arr != nil {
		return v.Arr, nil
	}
	return ConstArray(env.Alloc(), v.Const, ev.Type(), int(batch.NumRows()))
}

type colEval struct {
	idx int
	t   types.T
}

func (c *colEval) Type() types.T { return c.t }
func (c *colEval) Eval(_ Env, b arrow.Record) (Vec, error) {
	a := b.Column(c.idx)
	a.Retain()
	return Vec{Arr: a}, nil
}

type constEval struct {
	d Datum
	t types.T
}

func (c *constEval) Type() types.T                       { return c.t }
func (c *constEval) Eval(Env, arrow.Record) (Vec, error) { return Vec{Const: c.d}, nil }

// evalAll evaluates several sub-expressions, releasing what it produced if
// one of them fails.
func evalAll(env Env, b arrow.Record, evs []Evaluator) ([]Vec, error) {
	out := make([]Vec, len(evs))
	for i, ev := range evs {
		v, err := ev.Eval(env, b)
		if err != nil {
			releaseAll(out[:i])
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func releaseAll(vs []Vec) {
	for _, v := range vs {
		v.Release()
	}
}

func errUnsupportedType(what string, t types.T) error {
	return sqlerr.New(sqlerr.ErrType, "%s is not defined for %s", what, t)
}

func internalf(format string, args ...any) error {
	return sqlerr.New(sqlerr.ErrInternal, "%s", fmt.Sprintf(format, args...))
}
