package expr

import (
	"sort"
	"strings"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// scalarFunc is one entry of the function registry.
type scalarFunc struct {
	// bind checks the argument types and returns the result type and the
	// type each argument must be cast to before the call.
	bind func(args []types.T) (ret types.T, params []types.T, err error)
	// eval computes the function over one batch. Arguments may be
	// constants; for strict functions none of them is the NULL constant.
	eval evalFunc
	// strict functions return NULL when any argument is NULL.
	strict bool
	// lenient functions take arguments of any type that casts to their
	// parameter types (concat(1, 'a') is '1a'); others accept only the
	// implicit conversions (a number widening, a string literal).
	lenient bool
	// cost is the budget spent per row beyond the first unit, for
	// functions that do more than a few ns of work per value.
	cost int
	// volatile functions (random) give each row, and each call, a value
	// of its own: the optimizer neither folds nor shares them.
	volatile bool
	// prepare, when set, makes the kernel of one call site from its
	// arguments as compiled: regexp functions compile a constant pattern
	// here once, not once per batch. Arguments that are not Literals may
	// still be constant at run time (a cast of a literal, say).
	prepare func(args []Expr, argT []types.T) (evalFunc, error)
}

// evalFunc is the kernel of a scalar function (see scalarFunc.eval).
type evalFunc = func(env Env, n int, args []Vec, argT []types.T, ret types.T) (arrow.Array, error)

// registry maps lower-case function names to implementations. It is built
// once and never modified.
var registry = buildRegistry()

func buildRegistry() map[string]*scalarFunc {
	r := map[string]*scalarFunc{}
	registerStringFuncs(r)
	registerMathFuncs(r)
	registerDateFuncs(r)
	registerSortKey(r)
	registerRegexpFuncs(r)
	registerStringFuncsMore(r)
	registerMathFuncsMore(r)
	registerDateFuncsMore(r)
	return r
}

// Signature is a resolved call: the result type, the type each argument
// must be cast to, and whether any castable argument is accepted.
type Signature struct {
	Ret     types.T
	Params  []types.T
	Lenient bool
}

// ResolveFunc binds a call of the named scalar function.
func ResolveFunc(name string, args []types.T) (Signature, error) {
	f, ok := registry[strings.ToLower(name)]
	if !ok {
		return Signature{}, sqlerr.New(sqlerr.ErrUnknownFunc, "%s", name)
	}
	ret, params, err := f.bind(args)
	return Signature{Ret: ret, Params: params, Lenient: f.lenient}, err
}

// IsScalarFunc reports whether name is a registered scalar function.
func IsScalarFunc(name string) bool {
	_, ok := registry[strings.ToLower(name)]
	return ok
}

// FuncNames lists the registered scalar functions (for completion and docs).
func FuncNames() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		if n[0] >= 'a' && n[0] <= 'z' { // not operators such as ||
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// IsVolatile reports whether e calls a volatile function anywhere: such an
// expression must not be folded, shared or evaluated twice for one value.
func IsVolatile(e Expr) bool {
	if f, ok := e.(*Func); ok {
		if sf := registry[strings.ToLower(f.Name)]; sf != nil && sf.volatile {
			return true
		}
	}
	for _, c := range e.Children() {
		if IsVolatile(c) {
			return true
		}
	}
	return false
}

type funcEval struct {
	f    *scalarFunc
	eval evalFunc // f.eval, or what f.prepare made for this call
	args []Evaluator
	argT []types.T
	t    types.T
}

func compileFunc(e *Func) (Evaluator, error) {
	f, ok := registry[strings.ToLower(e.Name)]
	if !ok {
		return nil, sqlerr.New(sqlerr.ErrUnknownFunc, "%s", e.Name)
	}
	args := make([]Evaluator, len(e.Args))
	argT := make([]types.T, len(e.Args))
	for i, a := range e.Args {
		ev, err := Compile(a)
		if err != nil {
			return nil, err
		}
		args[i], argT[i] = ev, a.Type()
	}
	eval := f.eval
	if f.prepare != nil {
		var err error
		if eval, err = f.prepare(e.Args, argT); err != nil {
			return nil, err
		}
	}
	return &funcEval{f: f, eval: eval, args: args, argT: argT, t: e.T}, nil
}

func (e *funcEval) Type() types.T { return e.t }

func (e *funcEval) Eval(env Env, batch arrow.Record) (Vec, error) {
	args, err := evalAll(env, batch, e.args)
	if err != nil {
		return Vec{}, err
	}
	defer releaseAll(args)
	allConst := true
	for _, a := range args {
		if e.f.strict && a.IsNullConst() {
			return Vec{}, nil
		}
		allConst = allConst && a.IsConst()
	}
	n := int(batch.NumRows())
	if allConst && len(args) > 0 {
		// Compute once on a single row and broadcast the result.
		arr, err := e.eval(env, 1, args, e.argT, e.t)
		if err != nil {
			return Vec{}, err
		}
		defer arr.Release()
		return constOf(env, arr, e.t)
	}
	if err := env.Spend(n * (1 + e.f.cost)); err != nil {
		return Vec{}, err
	}
	arr, err := e.eval(env, n, args, e.argT, e.t)
	if err != nil {
		return Vec{}, err
	}
	return Vec{Arr: arr}, nil
}

// constOf is the value of arr's one row as a constant. A long string is
// copied with checks: DatumAt's one copy of a 60 MB repeat took 0.25 s.
func constOf(env Env, arr arrow.Array, t types.T) (Vec, error) {
	s, ok := arr.(*array.String)
	if !ok || s.IsNull(0) || s.ValueLen(0) <= copyPiece {
		return Vec{Const: DatumAt(arr, t, 0)}, nil
	}
	v := vector.StringAt(s, 0)
	b := make([]byte, len(v))
	if err := copyChecked(env, b, v); err != nil {
		return Vec{}, err
	}
	return Vec{Const: StrDatum(unsafe.String(unsafe.SliceData(b), len(b)))}, nil
}

// argArray returns argument i as an array of n rows, materialising a
// constant; release the result.
func argArray(env Env, v Vec, t types.T, n int) (arrow.Array, error) {
	if v.Arr != nil {
		v.Arr.Retain()
		return v.Arr, nil
	}
	return ConstArray(env.Alloc(), v.Const, t, n)
}

// Binding helpers.

func fixed(ret types.T, params ...types.T) func([]types.T) (types.T, []types.T, error) {
	return func(args []types.T) (types.T, []types.T, error) {
		if len(args) != len(params) {
			return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "expected %d arguments, got %d", len(params), len(args))
		}
		return ret, params, nil
	}
}

func argCount(args []types.T, lo, hi int) error {
	if len(args) < lo || len(args) > hi {
		if lo == hi {
			return sqlerr.New(sqlerr.ErrType, "expected %d arguments, got %d", lo, len(args))
		}
		return sqlerr.New(sqlerr.ErrType, "expected %d to %d arguments, got %d", lo, hi, len(args))
	}
	return nil
}

func repeatType(t types.T, n int) []types.T {
	out := make([]types.T, n)
	for i := range out {
		out[i] = t
	}
	return out
}
