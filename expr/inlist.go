package expr

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// inListEval tests membership in a list of constants with a set built once
// at compile time. Lists with non-constant elements are rewritten by the
// binder into ORs of equalities.
type inListEval struct {
	x        Evaluator
	t        types.T
	negated  bool
	hasNull  bool // the list contains NULL: a miss is NULL, not false
	ints     map[int64]struct{}
	strs     map[string]struct{}
	decs     map[decimal128.Num]struct{}
	floats   map[float64]struct{}
	nan      bool     // the list holds a NaN (map lookups never find one)
	smallStr []string // short string lists: a linear scan beats hashing
}

func compileInList(e *InList) (Evaluator, error) {
	x, err := Compile(e.X)
	if err != nil {
		return nil, err
	}
	t := e.X.Type()
	ev := &inListEval{x: x, t: t, negated: e.Negated}
	for _, item := range e.List {
		lit, ok := item.(*Literal)
		if !ok {
			return nil, internalf("IN list element %s is not a constant", item)
		}
		d := lit.Value
		if !d.Valid {
			ev.hasNull = true
			continue
		}
		switch t.Kind {
		case types.Int64, types.Date, types.Timestamp, types.Bool:
			if ev.ints == nil {
				ev.ints = map[int64]struct{}{}
			}
			ev.ints[d.I] = struct{}{}
		case types.String:
			if ev.strs == nil {
				ev.strs = map[string]struct{}{}
			}
			if _, dup := ev.strs[d.S]; !dup {
				ev.smallStr = append(ev.smallStr, d.S)
			}
			ev.strs[d.S] = struct{}{}
		case types.Decimal:
			if ev.decs == nil {
				ev.decs = map[decimal128.Num]struct{}{}
			}
			ev.decs[d.D] = struct{}{}
		case types.Float64:
			if ev.floats == nil {
				ev.floats = map[float64]struct{}{}
			}
			ev.floats[d.F] = struct{}{}
			ev.nan = ev.nan || math.IsNaN(d.F)
		default:
			return nil, errUnsupportedType("IN", t)
		}
	}
	if len(ev.smallStr) > 6 {
		ev.smallStr = nil
	}
	return ev, nil
}

func (e *inListEval) Type() types.T { return types.BoolType }

func (e *inListEval) Eval(env Env, batch arrow.Record) (Vec, error) {
	v, err := e.x.Eval(env, batch)
	if err != nil || v.IsNullConst() {
		return Vec{}, err
	}
	if v.IsConst() {
		// A constant in, a constant out: test it as a one-row array.
		arr, err := ConstArray(env.Alloc(), v.Const, e.t, 1)
		if err != nil {
			return Vec{}, err
		}
		defer arr.Release()
		res, err := e.test(env, arr)
		if err != nil {
			return Vec{}, err
		}
		defer res.Release()
		return Vec{Const: DatumAt(res, types.BoolType, 0)}, nil
	}
	defer v.Release()
	if err := env.Spend(v.Arr.Len()); err != nil {
		return Vec{}, err
	}
	res, err := e.test(env, v.Arr)
	return Vec{Arr: res}, err
}

// test computes the membership of every value of arr.
func (e *inListEval) test(env Env, arr arrow.Array) (arrow.Array, error) {
	n := arr.Len()
	mem := env.Alloc()
	vbuf, out := vector.AllocBitmap(mem, n)
	switch a := arr.(type) {
	case *array.Int64:
		for i, x := range a.Int64Values() {
			_, hit := e.ints[x]
			out[i>>3] |= b2u(hit) << (i & 7)
		}
	case *array.Date32:
		for i, x := range a.Date32Values() {
			_, hit := e.ints[int64(x)]
			out[i>>3] |= b2u(hit) << (i & 7)
		}
	case *array.Timestamp:
		for i, x := range a.TimestampValues() {
			_, hit := e.ints[int64(x)]
			out[i>>3] |= b2u(hit) << (i & 7)
		}
	case *array.Decimal128:
		for i, x := range a.Values() {
			_, hit := e.decs[x]
			out[i>>3] |= b2u(hit) << (i & 7)
		}
	case *array.Float64:
		for i, x := range a.Float64Values() {
			_, hit := e.floats[x]
			hit = hit || x != x && e.nan // NaN equals NaN in SQL
			out[i>>3] |= b2u(hit) << (i & 7)
		}
	case *array.Boolean:
		for i := 0; i < n; i++ {
			_, hit := e.ints[int64(b2u(a.Value(i)))]
			out[i>>3] |= b2u(hit) << (i & 7)
		}
	case *array.String:
		offs, data := vector.StringData(a)
		for i := 0; i < n; i++ {
			s := data[offs[i]:offs[i+1]]
			hit := false
			if e.smallStr != nil {
				for _, c := range e.smallStr {
					if string(s) == c {
						hit = true
						break
					}
				}
			} else {
				_, hit = e.strs[string(s)]
			}
			out[i>>3] |= b2u(hit) << (i & 7)
		}
	default:
		vbuf.Release()
		return nil, errUnsupportedType("IN", e.t)
	}
	// Validity: NULL input is NULL; with a NULL in the list a miss is NULL.
	validity, nulls := vector.Validity(mem, n, arr)
	if e.hasNull {
		if validity == nil {
			validity, _ = vector.AllValid(mem, n)
		}
		vw, ow := vector.Words(validity.Bytes()), vector.Words(out)
		for i := range ow {
			vw[i] &= ow[i]
		}
		nulls = vector.NullCount(validity.Bytes(), n)
	}
	res := vector.NewBoolArray(n, validity, nulls, vbuf)
	if !e.negated {
		return res, nil
	}
	defer res.Release()
	return invertBool(mem, res), nil
}
